"""Fixtures shared by every test: people in each role, in two areas, so that every
permission test has an owner, another person of the same role, and an outsider."""

import pytest

from livingwell.accounts.roles import Role
from tests.factories import TEST_PASSWORD, AreaFactory, GPPracticeFactory, UserFactory


@pytest.fixture
def west(db):
    return AreaFactory(name="West Cornwall")


@pytest.fixture
def east(db):
    return AreaFactory(name="East Cornwall")


@pytest.fixture
def west_practice(west):
    return GPPracticeFactory(name="Alverton Practice", area=west, mdt_welcomes_volunteers=True)


@pytest.fixture
def make_person(db):
    """make_person("coordinator", areas=[west]) -> a user in that role group."""

    def make(*roles: str, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def volunteer(make_person, west):
    return make_person(Role.VOLUNTEER, username="alice", areas=[west])


@pytest.fixture
def coordinator(make_person, west):
    return make_person(Role.COORDINATOR, username="bob", areas=[west])


@pytest.fixture
def manager(make_person):
    return make_person(Role.MANAGER, username="mallory")


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user and returns the client."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
