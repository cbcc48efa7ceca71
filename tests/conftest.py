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


# --- Clients and volunteers -------------------------------------------------------------


@pytest.fixture
def fast_password_hashing(settings):
    """Tests that make many people hash their passwords cheaply (the default hasher takes
    a quarter of a second per person). Ask for it first, before any person is made."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def east_practice(east):
    return GPPracticeFactory(name="Liskeard Practice", area=east, mdt_welcomes_volunteers=False)


@pytest.fixture
def allocate(db):
    """allocate(client, volunteer) starts an allocation the way the application does (so the
    volunteer is granted the visit page), by a coordinator of the client's area unless `by`."""
    from clients.services import allocation_start

    def start(client, volunteer, by=None, **kwargs):
        by = by or UserFactory(roles=[Role.COORDINATOR], areas=[client.area])
        return allocation_start(client=client, volunteer=volunteer, by=by, **kwargs)

    return start


@pytest.fixture
def cast(fast_password_hashing, west, east, west_practice, east_practice, allocate):
    """Everyone the authorisation tables need, around Elsie (a West client whom the West
    volunteer visits, with active consent to be discussed at her practice's meeting):
    each role in West, the same role in East or on another volunteer, and people of the
    roles that see no client record. `cast.people[name]` is None for the anonymous visitor."""
    from types import SimpleNamespace

    from guardian.shortcuts import assign_perm

    from tests.factories import ClientFactory, ConsentFactory, VolunteerFactory

    coordinator = UserFactory(username="cora", roles=[Role.COORDINATOR], areas=[west])
    visiting = VolunteerFactory(
        user__username="vera", user__first_name="Vera", user__last_name="Pascoe", areas=[west]
    )
    elsie = ClientFactory(first_name="Elsie", last_name="Trewin", gp_practice=west_practice)
    mdt_chair = UserFactory(username="drchen", roles=[Role.MDT_CHAIR], practices=[west_practice])
    clinician = UserFactory(username="nurse", roles=[Role.CLINICIAN], practices=[west_practice])
    for person in (mdt_chair, clinician):
        assign_perm("clients.view_client_mdt_summary", person, elsie)
    people = {
        "anonymous": None,
        "volunteer": visiting.user,
        "other_volunteer": VolunteerFactory(user__username="victor", areas=[west]).user,
        "coordinator": coordinator,
        "other_coordinator": UserFactory(username="cory", roles=[Role.COORDINATOR], areas=[east]),
        "team_leader": UserFactory(username="tom", roles=[Role.TEAM_LEADER], areas=[west]),
        "other_team_leader": UserFactory(username="tess", roles=[Role.TEAM_LEADER], areas=[east]),
        "mdt_chair": mdt_chair,
        "clinician": clinician,
        "manager": UserFactory(username="mona", roles=[Role.MANAGER], areas=[west]),
        "no_role": UserFactory(username="nobody", areas=[west]),
    }
    return SimpleNamespace(
        people=people,
        elsie=elsie,
        east_client=ClientFactory(first_name="Morwenna", last_name="Penrose", gp_practice=east_practice),
        visiting=visiting,
        allocation=allocate(elsie, visiting, by=coordinator),
        consent=ConsentFactory(client=elsie, recorded_by=coordinator),
    )
