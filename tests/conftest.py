"""Fixtures shared by every test: people in each role, in two areas, so that every
permission test has an owner, another person of the same role, and an outsider."""

from types import SimpleNamespace

import pytest
from django.test import Client as TestBrowser
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from livingwell.accounts.roles import Role
from tests.factories import (
    TEST_PASSWORD,
    AreaFactory,
    ClientFactory,
    GPPracticeFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.support.second_factor import force_login_with_both_steps

# Property tests try 200 examples each in `make test`; `--hypothesis-profile=long` tries
# 5,000. No deadline: a test's first example also warms up the database connection.
hypothesis_settings.register_profile(
    "default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hypothesis_settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hypothesis_settings.load_profile("default")

# A test that signs someone in means both steps of signing in, for the roles that need two
# (livingwell/accounts/second_factor.py); tests/accounts/test_second_factor.py tests the
# second step itself.
TestBrowser.force_login = force_login_with_both_steps


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
def today():
    """Today's date where the service runs, read when the test runs. Never compute it at
    import (`TODAY = timezone.localdate()`): a run that crosses midnight would compare
    yesterday's date with the code's today (tests/platform/test_test_suite.py checks)."""
    return timezone.localdate()


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


# --- The cast: one fixture per person, the same person in every test folder ----------------
#
# West Cornwall: Cora (coordinator), Tom (team leader), Vera (volunteer), Victor (another
# volunteer); East Cornwall: Cory (coordinator), Tess (team leader), Ewan (volunteer).
# Outsiders: Dr Chen (chairs the MDT meeting of Elsie's practice) and a nurse of that
# practice, Mona (a manager), and Nobody (no role). Elsie Trewin is a client of West
# Cornwall; `world` adds the clients the volunteers visit. The user fixtures are named after
# the columns of the authorisation tables (tests/support/access_table.py); the volunteers'
# fixtures (`vera`, `victor`, `ewan`) are their volunteer profiles. Ask for the people one
# by one, or for all of them at once with `world` (or `cast`, for the authorisation tables).


@pytest.fixture
def coordinator(west):
    return UserFactory(
        username="cora", first_name="Cora", last_name="Nance", roles=[Role.COORDINATOR], areas=[west]
    )


@pytest.fixture
def other_coordinator(east):
    return UserFactory(
        username="cory", first_name="Cory", last_name="Jago", roles=[Role.COORDINATOR], areas=[east]
    )


@pytest.fixture
def team_leader(west):
    return UserFactory(
        username="tom", first_name="Tom", last_name="Hosking", roles=[Role.TEAM_LEADER], areas=[west]
    )


@pytest.fixture
def other_team_leader(east):
    return UserFactory(
        username="tess", first_name="Tess", last_name="Rowe", roles=[Role.TEAM_LEADER], areas=[east]
    )


@pytest.fixture
def vera(west):
    """Vera Pascoe, a volunteer of West Cornwall (her profile; `volunteer` is her user)."""
    return VolunteerFactory(
        user__username="vera", user__first_name="Vera", user__last_name="Pascoe", areas=[west]
    )


@pytest.fixture
def victor(west):
    """Victor Opie, another volunteer of West Cornwall (`other_volunteer` is his user)."""
    return VolunteerFactory(
        user__username="victor", user__first_name="Victor", user__last_name="Opie", areas=[west]
    )


@pytest.fixture
def ewan(east):
    """Ewan Tonkin, a volunteer of East Cornwall."""
    return VolunteerFactory(
        user__username="ewan", user__first_name="Ewan", user__last_name="Tonkin", areas=[east]
    )


@pytest.fixture
def volunteer(vera):
    return vera.user


@pytest.fixture
def other_volunteer(victor):
    return victor.user


@pytest.fixture
def mdt_chair(west_practice):
    return UserFactory(username="drchen", roles=[Role.MDT_CHAIR], practices=[west_practice])


@pytest.fixture
def clinician(west_practice):
    return UserFactory(username="nurse", roles=[Role.CLINICIAN], practices=[west_practice])


@pytest.fixture
def manager(west):
    return UserFactory(username="mona", roles=[Role.MANAGER], areas=[west])


@pytest.fixture
def no_role(west):
    return UserFactory(username="nobody", areas=[west])


@pytest.fixture
def elsie(west_practice):
    """Elsie Trewin, a client of West Cornwall. Nobody visits her until a test allocates."""
    return ClientFactory(first_name="Elsie", last_name="Trewin", gp_practice=west_practice)


@pytest.fixture
def world(
    fast_password_hashing,
    west,
    east,
    coordinator,
    other_coordinator,
    team_leader,
    other_team_leader,
    vera,
    victor,
    ewan,
    elsie,
    west_practice,
    east_practice,
    mdt_chair,
    clinician,
    manager,
    no_role,
):
    """The whole cast at once, with the clients the volunteers visit: Vera visits Elsie,
    Victor visits Jack Nankervis, Ewan visits Morwenna Penrose (each allocated by the
    area's coordinator). Attributes are named as the fixtures and table columns are."""
    from tests.risks.factories import category, ensure_visits

    jack = ClientFactory(first_name="Jack", last_name="Nankervis", gp_practice=west_practice)
    morwenna = ClientFactory(first_name="Morwenna", last_name="Penrose", gp_practice=east_practice)
    ensure_visits(elsie, vera.user)
    ensure_visits(jack, victor.user)
    ensure_visits(morwenna, ewan.user)
    return SimpleNamespace(
        west=west,
        east=east,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        team_leader=team_leader,
        other_team_leader=other_team_leader,
        volunteer=vera.user,
        other_volunteer=victor.user,
        east_volunteer=ewan.user,
        elsie=elsie,
        jack=jack,
        morwenna=morwenna,
        mdt_chair=mdt_chair,
        clinician=clinician,
        manager=manager,
        no_role=no_role,
        falls=category("falls-mobility"),
        medication=category("medication"),
    )


@pytest.fixture
def cast(world):
    """The world as the authorisation tables see it, around Elsie (whom Vera visits, with
    active consent to be discussed at her practice's meeting, whose summary the MDT chair
    and the clinician of her practice have been granted). `cast.people[actor]` is the
    person of each column (None for the anonymous visitor)."""
    from guardian.shortcuts import assign_perm

    from clients.models import Allocation
    from tests.factories import ConsentFactory
    from tests.support.access_table import ACTORS

    for person in (world.mdt_chair, world.clinician):
        assign_perm("clients.view_client_mdt_summary", person, world.elsie)
    people = {actor: None if actor == "anonymous" else getattr(world, actor) for actor in ACTORS}
    return SimpleNamespace(
        people=people,
        elsie=world.elsie,
        east_client=world.morwenna,
        visiting=world.volunteer.volunteer,
        allocation=Allocation.objects.get(client=world.elsie, volunteer__user=world.volunteer),
        consent=ConsentFactory(client=world.elsie, recorded_by=world.coordinator),
    )


@pytest.fixture(autouse=True)
def report_figures_worked_out_every_time(settings):
    """Tests change records and read the reports again at once: keeping an ended period's
    figures (livingwell/reports/cache.py) is tested on its own, in tests/reports/test_cache.py."""
    settings.REPORT_FIGURES_CACHE_SECONDS = 0
