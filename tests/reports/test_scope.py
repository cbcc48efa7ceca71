"""Whose figures each person may see (`report_scope_for`), narrowing a scope to some of its
areas, and the filter form read from the address bar, whatever is typed there."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from livingwell.accounts.models import AreaMembership, PracticeMembership
from livingwell.accounts.roles import Role
from livingwell.reports.forms import ReportFilterForm
from livingwell.reports.periods import DEFAULT_PRESET, ReportPeriod, preset_period
from livingwell.reports.scope import ReportScope, report_scope_for
from tests.factories import AreaFactory, GPPracticeFactory, OrganisationFactory, UserFactory

D = datetime.date
ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + digit) for digit in range(10)))


def arabic_indic(text: str) -> str:
    """`text` with its digits written in Arabic-Indic digits ("3" -> U+0663)."""
    return text.translate(ARABIC_INDIC)


@pytest.fixture
def places(db, fast_password_hashing):
    cornwall = OrganisationFactory(name="Age UK Cornwall")
    devon = OrganisationFactory(name="Age UK Devon")
    west = AreaFactory(name="West Cornwall", organisation=cornwall)
    east = AreaFactory(name="East Cornwall", organisation=cornwall)
    plymouth = AreaFactory(name="Plymouth", organisation=devon)
    return SimpleNamespace(
        cornwall=cornwall,
        devon=devon,
        west=west,
        east=east,
        plymouth=plymouth,
        alverton=GPPracticeFactory(name="Alverton Practice", area=west),
        penzance=GPPracticeFactory(name="Penzance Health Centre", area=west),
        liskeard=GPPracticeFactory(name="Liskeard Practice", area=east),
    )


def names(scope):
    return {area.name for area in scope.areas}


def person(*roles, **kwargs):
    return UserFactory(roles=list(roles), **kwargs)


# --- Managers ---------------------------------------------------------------------------------


def test_a_manager_sees_every_area_of_their_organisation(places):
    scope = report_scope_for(person(Role.MANAGER, organisation=places.cornwall))
    assert names(scope) == {"West Cornwall", "East Cornwall"}
    assert scope.practices == ()
    assert not scope.mdt_only
    assert scope.suppress_small_numbers


def test_a_manager_with_no_organisation_sees_the_organisation_of_the_area_they_work_in(places):
    scope = report_scope_for(person(Role.MANAGER, areas=[places.plymouth]))
    assert names(scope) == {"Plymouth"}
    assert scope.suppress_small_numbers


def test_a_manager_with_no_organisation_and_no_area_has_no_reports(places):
    assert report_scope_for(person(Role.MANAGER)) is None


def test_a_manager_whose_only_area_ended_has_no_reports(places):
    manager = person(Role.MANAGER)
    AreaMembership.objects.create(
        user=manager, area=places.west, started_on=D(2020, 1, 1), ended_on=D(2021, 1, 1)
    )
    assert report_scope_for(manager) is None


# --- Coordinators -------------------------------------------------------------------------------


def test_a_coordinator_sees_the_areas_they_coordinate_today_unsuppressed(places, today):
    coordinator = person(Role.COORDINATOR, areas=[places.west])
    AreaMembership.objects.create(
        user=coordinator, area=places.east, started_on=D(2020, 1, 1), ended_on=D(2021, 1, 1)
    )
    AreaMembership.objects.create(
        user=coordinator, area=places.plymouth, started_on=today + datetime.timedelta(days=30)
    )
    scope = report_scope_for(coordinator)
    # Not East (ended), not Plymouth (not started yet), not the rest of the organisation.
    assert names(scope) == {"West Cornwall"}
    assert not scope.suppress_small_numbers
    assert not scope.mdt_only


def test_a_coordinator_who_no_longer_works_in_an_area_has_no_reports(places):
    coordinator = person(Role.COORDINATOR)
    AreaMembership.objects.create(
        user=coordinator, area=places.west, started_on=D(2020, 1, 1), ended_on=D(2021, 1, 1)
    )
    assert report_scope_for(coordinator) is None


# --- Meeting chairs --------------------------------------------------------------------------------


def test_an_mdt_chair_sees_their_practices_meeting_figures_only(places):
    chair = person(Role.MDT_CHAIR, practices=[places.alverton, places.liskeard])
    PracticeMembership.objects.create(
        user=chair, practice=places.penzance, started_on=D(2020, 1, 1), ended_on=D(2021, 1, 1)
    )
    scope = report_scope_for(chair)
    assert scope.mdt_only
    assert {practice.name for practice in scope.practices} == {"Alverton Practice", "Liskeard Practice"}
    assert names(scope) == {"West Cornwall", "East Cornwall"}
    assert scope.suppress_small_numbers


def test_an_mdt_chair_who_left_their_practice_has_no_reports(places):
    chair = person(Role.MDT_CHAIR)
    PracticeMembership.objects.create(
        user=chair, practice=places.alverton, started_on=D(2020, 1, 1), ended_on=D(2021, 1, 1)
    )
    assert report_scope_for(chair) is None


# --- No reports -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.VOLUNTEER, Role.CLINICIAN, None])
def test_team_leaders_volunteers_clinicians_and_people_with_no_role_have_no_reports(places, role):
    someone = person(*([role] if role else []), areas=[places.west], practices=[places.alverton])
    assert report_scope_for(someone) is None


def test_a_visitor_who_has_not_signed_in_has_no_reports(places):
    assert report_scope_for(AnonymousUser()) is None


def test_a_manager_whose_account_is_switched_off_has_no_reports(places):
    manager = person(Role.MANAGER, organisation=places.cornwall)
    manager.is_active = False
    assert report_scope_for(manager) is None


# --- Several roles ------------------------------------------------------------------------------


def test_a_manager_who_also_coordinates_sees_the_union_suppressed(places):
    # A manager of Age UK Devon who also coordinates West Cornwall: Devon's areas, and, since
    # working in West makes Age UK Cornwall one of their organisations, Cornwall's too.
    both = person(Role.MANAGER, Role.COORDINATOR, organisation=places.devon, areas=[places.west])
    scope = report_scope_for(both)
    assert names(scope) == {"Plymouth", "West Cornwall", "East Cornwall"}
    assert scope.suppress_small_numbers


def test_a_coordinator_who_also_chairs_a_meeting_sees_their_areas_not_only_the_meeting(places):
    both = person(Role.COORDINATOR, Role.MDT_CHAIR, areas=[places.east], practices=[places.alverton])
    scope = report_scope_for(both)
    assert names(scope) == {"East Cornwall"}
    assert not scope.mdt_only
    # Suppression applies when any of their roles needs it.
    assert scope.suppress_small_numbers


def test_a_team_leader_who_also_coordinates_sees_the_coordinators_areas(places):
    both = person(Role.TEAM_LEADER, Role.COORDINATOR, areas=[places.east])
    scope = report_scope_for(both)
    assert names(scope) == {"East Cornwall"}
    assert not scope.suppress_small_numbers


# --- Narrowing a scope -----------------------------------------------------------------------------


@pytest.fixture
def cornwall_scope(places):
    return ReportScope(areas=(places.east, places.west), suppress_small_numbers=True)


def test_narrowed_to_some_areas(places, cornwall_scope):
    west = cornwall_scope.narrowed_to([places.west.pk])
    assert west.areas == (places.west,)
    assert west.suppress_small_numbers
    assert cornwall_scope.narrowed_to([]).areas == cornwall_scope.areas


def test_narrowed_to_ignores_ids_not_in_scope(places, cornwall_scope):
    assert cornwall_scope.narrowed_to([places.west.pk, places.plymouth.pk, 99999]).areas == (places.west,)
    # Nothing in scope chosen: the whole scope, never another organisation's area, never none.
    assert cornwall_scope.narrowed_to([places.plymouth.pk]).areas == cornwall_scope.areas
    assert cornwall_scope.narrowed_to([99999]).areas == cornwall_scope.areas


def test_narrowed_to_ignores_what_is_not_an_id(places, cornwall_scope):
    assert cornwall_scope.narrowed_to(["west", str(places.west.pk)]).areas == (places.west,)
    digits = arabic_indic(str(places.west.pk))
    assert cornwall_scope.narrowed_to(["west", "", digits]).areas == cornwall_scope.areas


def test_narrowing_a_chairs_scope_keeps_the_practices_of_the_areas_kept(places):
    scope = ReportScope(areas=(places.east, places.west), practices=(places.alverton, places.liskeard))
    west = scope.narrowed_to([places.west.pk])
    assert west.practices == (places.alverton,)
    assert west.mdt_only


# --- The filter form ---------------------------------------------------------------------------------


def form(scope, **data):
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return ReportFilterForm(query, scope=scope)


def test_no_filters_is_the_default_period_over_every_area(cornwall_scope, today):
    filters = form(cornwall_scope)
    assert filters.is_valid()
    assert filters.report_period(today) == preset_period(DEFAULT_PRESET, today)
    assert filters.report_scope().areas == cornwall_scope.areas


def test_a_preset_and_an_area(places, cornwall_scope):
    filters = form(cornwall_scope, period="last_12_months", area=str(places.west.pk))
    assert filters.is_valid(), filters.errors
    assert filters.report_period(D(2026, 4, 15)) == ReportPeriod(D(2025, 4, 1), D(2026, 3, 31))
    assert filters.report_scope().areas == (places.west,)


def test_dates_of_my_choosing(cornwall_scope):
    filters = form(cornwall_scope, period="custom", start="2025-02-01", end="2025-02-28")
    assert filters.is_valid(), filters.errors
    assert filters.report_period() == ReportPeriod(D(2025, 2, 1), D(2025, 2, 28))


def test_dates_are_ignored_unless_dates_of_my_choosing_are_asked_for(cornwall_scope, today):
    filters = form(cornwall_scope, period="last_month", start="2025-02-01", end="2025-02-28")
    assert filters.report_period(today) == preset_period("last_month", today)


def test_ten_years_is_allowed(cornwall_scope):
    filters = form(cornwall_scope, period="custom", start="2015-01-01", end="2024-12-31")
    assert filters.is_valid(), filters.errors
    assert filters.report_period() == ReportPeriod(D(2015, 1, 1), D(2024, 12, 31))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "custom", "start": "0001-01-01", "end": "2025-01-31"}, "Check the year"),
        ({"period": "custom", "start": "2025-01-01", "end": "9999-12-31"}, "cannot be in the future"),
        ({"period": "custom", "start": "9999-01-01", "end": "9999-12-31"}, "cannot be in the future"),
        ({"period": "custom", "start": "2025-03-01", "end": "2025-02-01"}, "cannot be before the first day"),
        ({"period": "custom", "start": "2005-01-01", "end": "2020-12-31"}, "ten years or less"),
        ({"period": "custom", "start": "2025-03-01"}, "Give both"),
        ({"period": "custom"}, "Give both"),
        ({"period": "custom", "start": "1 March", "end": "yesterday"}, "valid date"),
        ({"period": "custom", "start": "2025-02-30", "end": "2025-03-01"}, "valid date"),
        ({"period": "last_century"}, "This is not one of the choices"),
        ({"period": ["last_month", "nonsense"]}, "This is not one of the choices"),
        ({"area": "99999"}, "This is not one of the choices"),
        ({"area": "west"}, "This is not one of the choices"),
        ({"area": ["1.5"]}, "This is not one of the choices"),
        ({"area": arabic_indic("3")}, "This is not one of the choices"),
        ({"period": "x" * 5000}, "This is not one of the choices"),
    ],
)
def test_odd_input_falls_back_to_the_defaults_with_a_message(cornwall_scope, today, data, message):
    filters = form(cornwall_scope, **data)
    assert not filters.is_valid()
    assert message in str(filters.errors)
    assert filters.report_period(today) == preset_period(DEFAULT_PRESET, today)
    assert filters.report_scope().areas == cornwall_scope.areas


def test_another_organisations_area_cannot_be_chosen(places, cornwall_scope, today):
    filters = form(cornwall_scope, area=[str(places.west.pk), str(places.plymouth.pk)])
    assert not filters.is_valid()
    assert filters.report_scope().areas == cornwall_scope.areas
    assert places.plymouth not in filters.report_scope().areas


def test_arabic_indic_digits_in_a_date_are_refused_plainly(cornwall_scope, today):
    # A date box always sends ASCII digits, so only an edited address has others: refused
    # with a message, not a 500.
    start, end = arabic_indic("2025-02-01"), arabic_indic("2025-02-28")
    filters = form(cornwall_scope, period="custom", start=start, end=end)
    assert not filters.is_valid()
    assert "valid date" in str(filters.errors)
    assert filters.report_period(today) == preset_period(DEFAULT_PRESET, today)


def test_an_area_id_in_arabic_indic_digits_is_not_read_as_that_area(places, cornwall_scope):
    filters = form(cornwall_scope, area=arabic_indic(str(places.west.pk)))
    assert not filters.is_valid()
    assert filters.report_scope().areas == cornwall_scope.areas
