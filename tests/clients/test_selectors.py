"""clients.selectors: permission-filtered reads, and allocation suggestions with their reasons."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from clients import selectors, services
from clients.models import Allocation, Client
from livingwell.accounts.roles import Role
from tests.factories import ClientFactory, ConsentFactory, GPPracticeFactory, VolunteerFactory

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def elsie(elsie):
    """Elsie (tests/conftest.py), with the details a search looks at."""
    elsie.postcode, elsie.phone, elsie.nhs_number = "TR18 4AJ", "01736 123456", "9434765919"
    elsie.support_wanted = ["driver", "befriender"]
    elsie.save()
    return elsie


# --- PagedByKeys: the client list a page at a time -----------------------------------------------


@pytest.mark.parametrize("areas", ["one", "both"])
def test_every_page_read_by_its_keys_holds_the_rows_an_offset_would(
    make_person, west, east, west_practice, east_practice, areas
):
    # Shared names, so that the order within a name (by id) counts too.
    for index in range(23):
        ClientFactory(
            first_name=["Amy", "Bert"][index % 2],
            last_name=["Angove", "Bolitho", "Chegwidden"][index % 3],
            gp_practice=west_practice if index % 4 else east_practice,
        )
    person = make_person(Role.COORDINATOR, areas=[west] if areas == "one" else [west, east])
    clients = selectors.clients_for_staff(person)
    everyone = list(clients)
    paged = selectors.PagedByKeys(clients)

    assert paged.count() == len(everyone) == (17 if areas == "one" else 23)
    pages = [paged[start : start + 5] for start in range(0, len(everyone), 5)]
    assert [client.pk for page in pages for client in page] == [client.pk for client in everyone]
    assert [page[0].active_allocation_count for page in pages] == [0] * len(pages)
    with pytest.raises(TypeError):
        paged[0]


# --- clients_for_staff ------------------------------------------------------------------------------


def test_staff_see_their_areas_clients_in_name_order(make_person, west, east, west_practice, east_practice):
    zoe = ClientFactory(first_name="Zoe", last_name="Angove", gp_practice=west_practice)
    amy = ClientFactory(first_name="Amy", last_name="Angove", gp_practice=west_practice)
    bert = ClientFactory(first_name="Bert", last_name="Bolitho", gp_practice=west_practice)
    penrose = ClientFactory(last_name="Penrose", gp_practice=east_practice)
    owner = make_person(Role.COORDINATOR, areas=[west])
    other = make_person(Role.COORDINATOR, areas=[east])
    assert list(selectors.clients_for_staff(owner)) == [amy, zoe, bert]
    assert list(selectors.clients_for_staff(other)) == [penrose]


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.MANAGER, Role.MDT_CHAIR, Role.CLINICIAN])
def test_people_who_are_not_staff_get_no_clients_from_the_staff_list(make_person, west, elsie, role):
    assert not selectors.clients_for_staff(make_person(role, areas=[west])).exists()


@pytest.mark.parametrize(
    "search", ["trewin", "ELSIE", "Elsie Trewin", "tr18", "9434765919", "943 476 5919", "01736 123456"]
)
def test_staff_find_a_client_by_name_postcode_nhs_number_or_phone(coordinator, elsie, west_practice, search):
    ClientFactory(first_name="Jack", last_name="Nance", postcode="TR26 1AB", gp_practice=west_practice)
    assert list(selectors.clients_for_staff(coordinator, search=search)) == [elsie]


def test_search_never_reaches_another_areas_clients(make_person, east, elsie):
    other = make_person(Role.COORDINATOR, areas=[east])
    assert not selectors.clients_for_staff(other, search="9434765919").exists()
    assert not selectors.clients_for_staff(other, search="Trewin").exists()


def test_staff_of_two_areas_filter_by_area_practice_and_status(make_person, west, east, elsie, east_practice):
    both = make_person(Role.TEAM_LEADER, areas=[west, east])
    penrose = ClientFactory(last_name="Penrose", gp_practice=east_practice, status="paused")
    assert set(selectors.clients_for_staff(both)) == {elsie, penrose}
    assert list(selectors.clients_for_staff(both, area=east)) == [penrose]
    assert list(selectors.clients_for_staff(both, practice=elsie.gp_practice)) == [elsie]
    assert list(selectors.clients_for_staff(both, status="paused")) == [penrose]


def test_asking_for_an_area_one_does_not_work_in_finds_nothing(coordinator, east, east_practice):
    ClientFactory(gp_practice=east_practice)
    assert not selectors.clients_for_staff(coordinator, area=east).exists()


def test_the_staff_list_counts_only_active_allocations(coordinator, elsie, west, allocate):
    allocate(elsie, VolunteerFactory(areas=[west]), by=coordinator)
    ended = allocate(elsie, VolunteerFactory(areas=[west]), by=coordinator)
    services.allocation_end(allocation=ended, by=coordinator)
    allocate(elsie, VolunteerFactory(areas=[west]), by=coordinator)
    alone = ClientFactory(gp_practice=elsie.gp_practice)
    counts = {each.pk: each.active_allocation_count for each in selectors.clients_for_staff(coordinator)}
    assert counts == {elsie.pk: 2, alone.pk: 0}


# --- clients_of_volunteer ---------------------------------------------------------------------------


def test_my_clients_are_the_active_clients_i_visit_now(coordinator, elsie, west, west_practice, allocate):
    vera = VolunteerFactory(areas=[west])
    allocate(elsie, vera, by=coordinator)
    paused = ClientFactory(gp_practice=west_practice)
    allocate(paused, vera, by=coordinator)
    Client.objects.filter(pk=paused.pk).update(status="paused")
    past = allocate(ClientFactory(gp_practice=west_practice), vera, by=coordinator)
    services.allocation_end(allocation=past, by=coordinator)
    allocate(ClientFactory(gp_practice=west_practice), VolunteerFactory(areas=[west]), by=coordinator)

    assert list(selectors.clients_of_volunteer(vera.user)) == [elsie]


def test_a_coordinator_has_no_clients_of_their_own_to_visit(coordinator, elsie):
    assert not selectors.clients_of_volunteer(coordinator).exists()


# --- client_record and who_has_looked ------------------------------------------------------------


def test_the_record_brings_allocations_and_consent_history_in_a_fixed_number_of_queries(
    coordinator, elsie, west, allocate, django_assert_num_queries
):
    for _ in range(3):
        allocate(elsie, VolunteerFactory(areas=[west]), by=coordinator)
    ConsentFactory(client=elsie, recorded_by=coordinator)
    ConsentFactory(client=elsie, scope="outcome_to_volunteer", recorded_by=coordinator)
    with django_assert_num_queries(3):
        record = selectors.client_record(elsie)
        names = [allocation.volunteer.name for allocation in record.allocations.all()]
        recorders = [consent.recorded_by.username for consent in record.consents.all()]
        places = (record.gp_practice.name, record.area.name)
    assert places == ("Alverton Practice", "West Cornwall")
    assert len(names) == 3
    assert recorders == [coordinator.username] * 2


def test_who_has_looked_lists_looks_at_this_client_newest_first(make_person, elsie, west_practice):
    first, second = make_person(Role.COORDINATOR), make_person(Role.COORDINATOR)
    services.client_access_log(client=elsie, user=first, page="record")
    services.client_access_log(client=elsie, user=second, page="record")
    services.client_access_log(client=ClientFactory(gp_practice=west_practice), user=first, page="record")
    services.client_update(
        client=elsie, by=make_person(Role.COORDINATOR, areas=[elsie.area]), phone="01736 100001"
    )
    LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=first).update(
        timestamp=timezone.now() - datetime.timedelta(hours=1)
    )
    assert [entry.actor for entry in selectors.who_has_looked(elsie)] == [second, first]


def test_who_has_looked_shows_the_latest_looks_only(make_person, elsie):
    viewer = make_person(Role.COORDINATOR)
    for _ in range(5):
        services.client_access_log(client=elsie, user=viewer, page="record")
    assert len(selectors.who_has_looked(elsie, limit=3)) == 3


# --- allocation_suggestions -----------------------------------------------------------------------


@pytest.fixture
def ranked(coordinator, elsie, west, east, west_practice, allocate):
    """Volunteers of West, each strongest on one ranking rule, and some who must not appear."""
    other_practice = GPPracticeFactory(name="Bolitho Surgery", area=west)

    def volunteer(last_name, **kwargs):
        return VolunteerFactory(user__first_name="V", user__last_name=last_name, areas=[west], **kwargs)

    def busy_with(person, practice, times=1):
        for _ in range(times):
            allocate(ClientFactory(gp_practice=practice), person, by=coordinator)

    people = {
        # Already visits a client of Elsie's practice: one meeting covers both.
        "sharer": volunteer("Sharer", capacity=3),
        # Room, both skills, willing to attend the practice's meeting.
        "skilled_willing": volunteer("Skilled", skills=["befriender", "driver", "diy"], mdt_opt_in=True),
        # Room, both skills, not willing: behind the willing one.
        "skilled": volunteer("Also-skilled", skills=["driver", "befriender"]),
        # Room, one skill.
        "one_skill": volunteer("Onesk", skills=["driver"]),
        # Room, no skills, fewer clients first.
        "idle": volunteer("Idle"),
        "busier": volunteer("Busier", capacity=3),
        # No room, though skilled.
        "full": volunteer("Full", skills=["driver", "befriender"], capacity=1),
    }
    busy_with(people["sharer"], west_practice)
    busy_with(people["busier"], other_practice)
    busy_with(people["full"], other_practice)
    excluded = {
        "paused": volunteer("Paused", status="paused", skills=["driver", "befriender"]),
        "left": volunteer("Left", status="left"),
        "east": VolunteerFactory(user__last_name="Eastern", areas=[east], skills=["driver"]),
        "already": volunteer("Already"),
    }
    allocate(elsie, excluded["already"], by=coordinator)
    return people, excluded


def test_suggestions_rank_the_areas_active_volunteers_by_practice_room_skills_and_willingness(elsie, ranked):
    people, excluded = ranked
    order = [suggestion.volunteer for suggestion in selectors.allocation_suggestions(elsie)]
    assert order == [
        people["sharer"],
        people["skilled_willing"],
        people["skilled"],
        people["one_skill"],
        people["idle"],
        people["busier"],
        people["full"],
    ]
    assert not set(excluded.values()) & set(order)


def test_each_suggestion_says_why(elsie, ranked):
    people, _ = ranked
    reasons = {s.volunteer: s for s in selectors.allocation_suggestions(elsie)}
    assert reasons[people["sharer"]].reasons == [
        "Already visits 1 client registered at Alverton Practice, so one practice meeting covers them all",
        "Has room for 2 more clients",
    ]
    assert reasons[people["skilled_willing"]].reasons == [
        "Has room for 2 more clients",
        "Skills that match: Befriender, Driver with own car",
        "Willing to attend Alverton Practice's Multi-Disciplinary Team meeting",
    ]
    assert reasons[people["one_skill"]].reasons == [
        "Has room for 2 more clients",
        "Skills that match: Driver with own car",
    ]
    assert reasons[people["busier"]].reasons == ["Has room for 2 more clients"]
    assert reasons[people["full"]].warnings == ["Already visits 1, their stated limit"]
    assert "Has room" not in " ".join(reasons[people["full"]].reasons)
    assert all(not s.warnings for v, s in reasons.items() if v != people["full"])


def test_room_for_one_more_is_said_in_the_singular(coordinator, elsie, west, allocate):
    vera = VolunteerFactory(areas=[west], capacity=2)
    allocate(ClientFactory(gp_practice=GPPracticeFactory(area=west)), vera, by=coordinator)
    (suggestion,) = selectors.allocation_suggestions(elsie)
    assert suggestion.reasons == ["Has room for 1 more client"]


def test_visits_to_several_clients_of_the_practice_are_counted(
    coordinator, elsie, west, west_practice, allocate
):
    vera = VolunteerFactory(areas=[west], capacity=5)
    for _ in range(2):
        allocate(ClientFactory(gp_practice=west_practice), vera, by=coordinator)
    (suggestion,) = selectors.allocation_suggestions(elsie)
    assert suggestion.reasons[0].startswith("Already visits 2 clients registered at Alverton Practice")
    assert suggestion.reasons[1] == "Has room for 3 more clients"


def test_ended_allocations_do_not_count_against_room_or_practice(
    coordinator, elsie, west, west_practice, allocate
):
    vera = VolunteerFactory(areas=[west], capacity=1)
    past = allocate(ClientFactory(gp_practice=west_practice), vera, by=coordinator)
    services.allocation_end(allocation=past, by=coordinator)
    (suggestion,) = selectors.allocation_suggestions(elsie)
    assert suggestion.reasons == ["Has room for 1 more client"]


def test_willingness_to_attend_counts_only_where_the_practice_welcomes_volunteers(elsie, west):
    elsie.gp_practice.mdt_welcomes_volunteers = False
    elsie.gp_practice.save()
    willing = VolunteerFactory(user__last_name="Willing", areas=[west], mdt_opt_in=True)
    abel = VolunteerFactory(user__last_name="Abel", areas=[west])
    suggestions = selectors.allocation_suggestions(elsie)
    assert [s.volunteer for s in suggestions] == [abel, willing]  # by name: willingness is no reason here
    assert all("Willing to attend" not in " ".join(s.reasons) for s in suggestions)


def test_a_volunteer_registered_at_the_clients_practice_is_flagged(elsie, west, west_practice):
    patient = VolunteerFactory(areas=[west], own_gp_practice=west_practice)
    elsewhere = VolunteerFactory(areas=[west], own_gp_practice=GPPracticeFactory(area=west))
    suggestions = {s.volunteer: s for s in selectors.allocation_suggestions(elsie)}
    assert suggestions[patient].warnings == [
        "Is registered as a patient at Alverton Practice: a possible conflict of interest at its meetings"
    ]
    assert suggestions[elsewhere].warnings == []


def test_suggestions_work_for_a_client_who_wants_no_particular_help(west, west_practice):
    quiet = ClientFactory(gp_practice=west_practice, support_wanted=[])
    VolunteerFactory(areas=[west], skills=["driver"])
    (suggestion,) = selectors.allocation_suggestions(quiet)
    assert not any(reason.startswith("Skills") for reason in suggestion.reasons)


def test_suggestions_are_limited(elsie, west):
    for _ in range(4):
        VolunteerFactory(areas=[west])
    assert len(selectors.allocation_suggestions(elsie, limit=3)) == 3


def test_a_volunteer_in_two_areas_is_suggested_once(elsie, west, east):
    VolunteerFactory(areas=[west, east])
    assert len(selectors.allocation_suggestions(elsie)) == 1


def test_suggestions_never_write(elsie, ranked, django_assert_max_num_queries):
    before = Allocation.objects.count()
    with django_assert_max_num_queries(2):
        selectors.allocation_suggestions(elsie)
    assert Allocation.objects.count() == before
