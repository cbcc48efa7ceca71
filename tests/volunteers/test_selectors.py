"""volunteers.selectors (and the Volunteer QuerySet): what staff see of the volunteers of
their areas, with the filters of the volunteer list."""

import datetime

import pytest

from clients import services as client_services
from livingwell.accounts import services as accounts_services
from livingwell.accounts.roles import Role
from tests.factories import (
    ClientFactory,
    ConfidentialityAgreementFactory,
    DBSCheckFactory,
    GPPracticeFactory,
    TrainingRecordFactory,
    VolunteerFactory,
)
from volunteers import selectors
from volunteers.models import Volunteer

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

ONE_DAY = datetime.timedelta(days=1)


def volunteer(last_name, areas, **kwargs):
    return VolunteerFactory(user__first_name="V", user__last_name=last_name, areas=areas, **kwargs)


# --- Who sees which volunteers ------------------------------------------------------------------


def test_staff_see_the_volunteers_of_their_areas_in_name_order(make_person, west, east):
    pascoe, angove = volunteer("Pascoe", [west]), volunteer("Angove", [west])
    eastern = volunteer("Eastern", [east])
    owner = make_person(Role.COORDINATOR, areas=[west])
    other = make_person(Role.TEAM_LEADER, areas=[east])
    assert list(selectors.volunteers_for_staff(owner)) == [angove, pascoe]
    assert list(selectors.volunteers_for_staff(other)) == [eastern]


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.MANAGER, Role.MDT_CHAIR, Role.CLINICIAN])
def test_people_who_are_not_staff_see_no_volunteers(make_person, west, role):
    volunteer("Pascoe", [west])
    assert not selectors.volunteers_for_staff(make_person(role, areas=[west])).exists()


def test_a_volunteer_in_two_areas_appears_once_with_their_clients_counted_once(
    make_person, west, east, west_practice, east_practice
):
    both_areas = make_person(Role.COORDINATOR, areas=[west, east])
    vera = volunteer("Pascoe", [west, east], capacity=4)
    for practice in (west_practice, east_practice):
        client_services.allocation_start(
            client=ClientFactory(gp_practice=practice), volunteer=vera, by=both_areas
        )
    (listed,) = selectors.volunteers_for_staff(both_areas)
    assert listed.active_clients == 2
    assert {m.area.name for m in listed.user.current_area_memberships} == {"West Cornwall", "East Cornwall"}


def test_a_volunteer_whose_membership_ended_or_has_not_started_is_not_in_the_area(make_person, west, today):
    coordinator = make_person(Role.COORDINATOR, areas=[west])
    gone = volunteer("Gone", [])
    membership = accounts_services.area_membership_start(
        user=gone.user, area=west, started_on=today - ONE_DAY
    )
    accounts_services.area_membership_end(membership=membership)
    future = volunteer("Future", [])
    accounts_services.area_membership_start(user=future.user, area=west, started_on=today + ONE_DAY)
    assert not Volunteer.objects.in_areas([west]).exists()
    assert not selectors.volunteers_for_staff(coordinator).exists()


# --- Filters -------------------------------------------------------------------------------------------


def test_filter_by_area_for_staff_of_two_areas(make_person, west, east):
    both = make_person(Role.COORDINATOR, areas=[west, east])
    pascoe, eastern = volunteer("Pascoe", [west]), volunteer("Eastern", [east])
    assert list(selectors.volunteers_for_staff(both, area=west)) == [pascoe]
    assert list(selectors.volunteers_for_staff(both, area=east)) == [eastern]


def test_filtering_by_an_area_one_does_not_work_in_finds_nobody(coordinator, east):
    volunteer("Eastern", [east])
    assert not selectors.volunteers_for_staff(coordinator, area=east).exists()


def test_filter_by_skill_status_and_mdt_willingness(coordinator, west):
    driver = volunteer("Driver", [west], skills=["driver", "diy"], mdt_opt_in=True)
    paused = volunteer("Paused", [west], status="paused")
    befriender = volunteer("Befriender", [west], skills=["befriender"])
    assert list(selectors.volunteers_for_staff(coordinator, skill="driver")) == [driver]
    assert list(selectors.volunteers_for_staff(coordinator, status="paused")) == [paused]
    assert list(selectors.volunteers_for_staff(coordinator, mdt_opt_in=True)) == [driver]
    assert list(selectors.volunteers_for_staff(coordinator, mdt_opt_in=False)) == [befriender, paused]
    assert len(selectors.volunteers_for_staff(coordinator, mdt_opt_in=None)) == 3


def test_search_by_name_or_username(coordinator, west):
    vera = VolunteerFactory(
        user__username="vera.p", user__first_name="Vera", user__last_name="Pascoe", areas=[west]
    )
    volunteer("Angove", [west])
    for search in ("vera", "PASC", "vera.p"):
        assert list(selectors.volunteers_for_staff(coordinator, search=search)) == [vera], search


def test_dbs_renewal_due_finds_those_due_within_60_days_overdue_or_never_checked(coordinator, west, today):
    def with_check(last_name, due_in_days):
        person = volunteer(last_name, [west])
        DBSCheckFactory(volunteer=person, renewal_due_on=today + datetime.timedelta(days=due_in_days))
        return person

    never = volunteer("Never", [west])
    overdue = with_check("Overdue", -5)
    soon = with_check("Soon", 30)
    on_the_day = with_check("Sixty", 60)
    with_check("Later", 61)
    with_check("Far", 700)
    renewed = with_check("Renewed", 10)  # an old check about to lapse...
    DBSCheckFactory(
        volunteer=renewed, checked_on=today, renewal_due_on=today + datetime.timedelta(days=1095)
    )  # ...and the newer one that replaced it

    due = set(selectors.volunteers_for_staff(coordinator, dbs_renewal_due=True))
    assert due == {never, overdue, soon, on_the_day}
    assert len(selectors.volunteers_for_staff(coordinator)) == 7


def test_the_list_shows_each_volunteers_latest_dbs_renewal_date_and_active_clients(
    coordinator, west, west_practice, allocate
):
    vera = volunteer("Pascoe", [west], capacity=3)
    DBSCheckFactory(
        volunteer=vera, checked_on=datetime.date(2020, 1, 1), renewal_due_on=datetime.date(2023, 1, 1)
    )
    DBSCheckFactory(
        volunteer=vera, checked_on=datetime.date(2023, 1, 1), renewal_due_on=datetime.date(2026, 1, 1)
    )
    allocate(ClientFactory(gp_practice=west_practice), vera, by=coordinator)
    ended = allocate(ClientFactory(gp_practice=west_practice), vera, by=coordinator)
    client_services.allocation_end(allocation=ended, by=coordinator)
    (listed,) = selectors.volunteers_for_staff(coordinator)
    assert listed.dbs_renewal_due_on == datetime.date(2026, 1, 1)
    assert listed.active_clients == 1


# --- volunteer_record -------------------------------------------------------------------------------


def test_a_volunteers_record_shows_clients_only_of_the_viewers_areas(make_person, west, east, east_practice):
    west_coordinator = make_person(Role.COORDINATOR, areas=[west])
    east_coordinator = make_person(Role.COORDINATOR, areas=[east])
    vera = volunteer("Pascoe", [west, east], capacity=4)
    west_client = ClientFactory(last_name="Trewin", gp_practice=GPPracticeFactory(area=west))
    east_client = ClientFactory(last_name="Penrose", gp_practice=east_practice)
    client_services.allocation_start(client=west_client, volunteer=vera, by=west_coordinator)
    client_services.allocation_start(client=east_client, volunteer=vera, by=east_coordinator)

    seen_from_west = selectors.volunteer_record(vera, west_coordinator)
    seen_from_east = selectors.volunteer_record(vera, east_coordinator)
    assert [a.client for a in seen_from_west.active_allocations] == [west_client]
    assert [a.client for a in seen_from_east.active_allocations] == [east_client]
    assert seen_from_west.active_clients == 2  # the count is of their load, not of names


def test_a_volunteers_record_brings_checks_training_and_agreements(
    coordinator, west, django_assert_max_num_queries
):
    vera = volunteer("Pascoe", [west])
    DBSCheckFactory(volunteer=vera)
    TrainingRecordFactory(volunteer=vera, module__name="Spotting falls risks")
    ConfidentialityAgreementFactory(volunteer=vera, version="2026.1")
    with django_assert_max_num_queries(8):
        record = selectors.volunteer_record(vera, coordinator)
        modules = [each.module.name for each in record.training.all()]
        versions = [each.version for each in record.agreements.all()]
        checks = list(record.dbs_checks.all())
    assert modules == ["Spotting falls risks"]
    assert versions == ["2026.1"]
    assert len(checks) == 1
