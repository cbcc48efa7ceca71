"""Reads of risks (risks.selectors): the triage queue, "My concerns", the timeline, the
directory and the rota, each filtered by permission in the database."""

import datetime

import pytest
from django.utils import timezone

from clients.models import ConsentScope
from clients.services import consent_give, consent_withdraw
from livingwell import pagination
from livingwell.accounts.models import Route
from livingwell.accounts.roles import Role
from risks import selectors, services
from risks.models import RiskEvent, Service, Severity, Status
from tests.factories import UserFactory
from tests.risks.factories import OPEN_IN_WEST, OnCallShiftFactory, ServiceFactory

HOUR = datetime.timedelta(hours=1)


def names(risks) -> list[str]:
    return [risk.client.last_name for risk in risks]


def due_in(risk, delta):
    type(risk).objects.filter(pk=risk.pk).update(due_at=timezone.now() + delta)


# --- The triage queue -----------------------------------------------------------------------


def test_the_queue_holds_the_open_concerns_of_the_persons_own_areas(world, varied):
    assert set(names(selectors.triage_queue(world.coordinator))) == OPEN_IN_WEST
    assert set(names(selectors.triage_queue(world.team_leader))) == OPEN_IN_WEST
    assert set(names(selectors.triage_queue(world.other_coordinator))) == {"Baker"}


@pytest.mark.parametrize("person", ["volunteer", "manager", "mdt_chair", "no_role"])
def test_the_queue_is_empty_for_people_who_are_not_staff_of_an_area(world, varied, person):
    assert list(selectors.triage_queue(getattr(world, person))) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"area": "east"}, {"Baker"}),
        ({"category": "medication"}, {"Carne"}),
        ({"severity": Severity.HIGH}, {"Dunn"}),
        ({"status": Status.TRIAGED}, {"Eddy"}),
        ({"status": Status.OUTCOME_RECORDED}, {"Jory"}),
        ({"route": Route.COFFEE_MORNING}, {"Fox"}),
        ({"route": Route.TEAM_LEADER_PHONE}, {"Hicks"}),
        ({"volunteer": "other_volunteer"}, {"Gill", "Hicks"}),
        ({"area": "west", "severity": Severity.HIGH}, {"Dunn"}),
    ],
)
def test_each_filter_narrows_the_queue(world, varied, filters, expected):
    both = UserFactory(roles=[Role.COORDINATOR], areas=[world.west, world.east])
    objects = {"east": world.east, "west": world.west, "medication": world.medication}
    objects["other_volunteer"] = world.other_volunteer
    filters = {key: objects.get(value, value) for key, value in filters.items()}

    assert set(names(selectors.triage_queue(both))) == OPEN_IN_WEST | {"Baker"}
    assert set(names(selectors.triage_queue(both, **filters))) == expected


def test_a_filter_cannot_reach_another_areas_concerns(world, varied):
    assert list(selectors.triage_queue(world.coordinator, area=world.east)) == []


@pytest.fixture
def to_order(new_concern):
    """Concerns whose targets are set so that severity and due time disagree."""
    made = {
        "UrgentLate": (Severity.URGENT, 3 * HOUR),
        "UrgentEarly": (Severity.URGENT, HOUR),
        "HighLate": (Severity.HIGH, 20 * HOUR),
        "HighEarly": (Severity.HIGH, 10 * HOUR),
        "MediumOverdue": (Severity.MEDIUM, -2 * HOUR),
        "Low": (Severity.LOW, 600 * HOUR),
    }
    for last_name, (severity, due) in made.items():
        due_in(new_concern(last_name, severity=severity), due)


def test_the_queue_puts_urgent_concerns_first_and_orders_by_due_time(world, to_order):
    order = names(selectors.triage_queue(world.coordinator))

    assert order[:2] == ["UrgentEarly", "UrgentLate"]
    assert order.index("HighEarly") < order.index("HighLate")
    assert order[-1] == "Low"


def test_after_the_urgent_ones_the_queue_is_ordered_by_due_time_whatever_the_severity(world, to_order):
    assert names(selectors.triage_queue(world.coordinator)) == [
        "UrgentEarly",
        "UrgentLate",
        "MediumOverdue",
        "HighEarly",
        "HighLate",
        "Low",
    ]


# --- My concerns ----------------------------------------------------------------------------


def test_my_concerns_are_the_ones_i_raised_or_phoned_in_newest_first(world, varied):
    assert names(selectors.concerns_of_volunteer(world.other_volunteer)) == ["Hicks", "Gill"]
    mine = names(selectors.concerns_of_volunteer(world.volunteer))
    assert set(mine) == {"Able", "Carne", "Dunn", "Eddy", "Fox", "Ivey", "Jory"}
    assert mine[0] == "Jory"
    # Tom recorded Hicks's concern by phone for Victor: he sees it as staff, not as its reporter.
    assert names(selectors.concerns_of_volunteer(world.team_leader)) == []


def test_my_concerns_carry_the_latest_outcome_message_and_whether_i_may_read_it(world, risk, advance):
    advance(risk, Status.OUTCOME_RECORDED, world.coordinator)  # volunteer_message "All sorted."
    services.risk_reopen(risk=risk, by=world.coordinator, note="Again")
    services.risk_record_outcome(
        kind="support_arranged",
        risk=risk,
        by=world.coordinator,
        staff_summary="Seen twice.",
        volunteer_message="Sorted again.",
    )

    [row] = selectors.concerns_of_volunteer(world.volunteer)
    assert (row.outcome_message, row.may_tell_volunteer) == ("Sorted again.", False)

    consent = consent_give(
        client=world.elsie,
        scope=ConsentScope.OUTCOME_TO_VOLUNTEER,
        given_on=timezone.localdate(),
        how_given="verbal",
        by=world.coordinator,
    )
    [row] = selectors.concerns_of_volunteer(world.volunteer)
    assert row.may_tell_volunteer is True

    consent_withdraw(consent=consent, by=world.coordinator)
    [row] = selectors.concerns_of_volunteer(world.volunteer)
    assert row.may_tell_volunteer is False


def test_my_concerns_read_the_clients_of_the_page_shown_only(world, risk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.risks.factories import bulk_copies

    bulk_copies(risk, 59)
    with CaptureQueriesContext(connection) as captured:
        shown = list(selectors.concerns_of_volunteer(world.volunteer)[:20])

    assert len(shown) == 20
    assert [row.client.full_name for row in shown] == ["Elsie Trewin"] * 20
    concerns_sql, clients_sql = (query["sql"] for query in captured)
    # A volunteer of some years raised hundreds of concerns: joined to the clients before
    # the page is kept, PostgreSQL hashed every client of the programme to join them all.
    assert 'JOIN "clients_client"' not in concerns_sql
    assert 'FROM "clients_client" WHERE ("clients_client"."id") IN ((' in clients_sql


# --- The timeline -------------------------------------------------------------------------


def test_the_timeline_is_in_the_order_things_happened(world, risk, advance):
    advance(risk, Status.CLOSED, world.coordinator)
    start = timezone.now() - HOUR
    for minutes, event in enumerate(risk.events.order_by("pk")):
        RiskEvent.objects.filter(pk=event.pk).update(at=start + datetime.timedelta(minutes=minutes))
    # Written last, but stamped between triage and closing.
    RiskEvent.objects.create(
        risk=risk,
        actor=world.team_leader,
        from_status=Status.TRIAGED,
        to_status=Status.TRIAGED,
        at=start + datetime.timedelta(seconds=90),
        note="Late entry",
    )

    timeline = list(selectors.risk_timeline(risk))

    assert [e.to_status for e in timeline] == [
        Status.REPORTED,
        Status.TRIAGED,
        Status.TRIAGED,
        Status.CLOSED,
    ]
    assert timeline[2].note == "Late entry"
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)


def test_the_timeline_holds_only_this_concerns_events(world, risk, east_risk):
    services.risk_triage(risk=east_risk, by=world.other_coordinator)
    assert {event.risk_id for event in selectors.risk_timeline(risk)} == {risk.pk}


# --- The directory and the rota ---------------------------------------------------------------


def test_the_directory_finds_active_services_by_area_words_and_kind_of_help(world):
    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west, world.east])
    nursing = ServiceFactory(
        name="District nurses",
        kind=Service.Kind.DISTRICT_NURSING,
        is_medical=True,
        helps_with="Dressings and injections at home.",
        areas=[world.west],
    )
    warm = ServiceFactory(
        name="Warm Homes", kind=Service.Kind.HOUSING, helps_with="Heating grants.", areas=[world.east]
    )
    ServiceFactory(name="Closed service", areas=[world.west], is_active=False)

    assert list(selectors.services_for()) == [nursing, transport, warm]
    assert list(selectors.services_for(area=world.west)) == [nursing, transport]
    assert list(selectors.services_for(medical="yes")) == [nursing]
    assert list(selectors.services_for(medical="no")) == [transport, warm]
    assert list(selectors.services_for(search="heating")) == [warm]
    assert list(selectors.services_for(search="transport")) == [transport]
    assert list(selectors.services_for(search="nursing")) == [nursing]  # its kind


def test_each_service_is_marked_editable_only_for_coordinators_of_one_of_its_areas(world):
    ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    ServiceFactory(name="Cornwall Dial-a-Ride", areas=[world.west, world.east])
    ServiceFactory(name="Bodmin Dial-a-Ride", areas=[world.east])

    def editable(viewer):
        return {service.name for service in selectors.services_for(viewer=viewer) if service.may_edit}

    assert editable(world.coordinator) == {"Penwith Community Transport", "Cornwall Dial-a-Ride"}
    assert editable(world.other_coordinator) == {"Cornwall Dial-a-Ride", "Bodmin Dial-a-Ride"}
    assert editable(world.team_leader) == editable(world.volunteer) == editable(world.manager) == set()
    assert editable(None) == set()
    assert {service.name for service in selectors.services_editable_by(world.coordinator)} == {
        "Penwith Community Transport",
        "Cornwall Dial-a-Ride",
    }


def test_who_is_on_call_is_the_shift_that_covers_now(world):
    now = timezone.now()
    current = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    OnCallShiftFactory(
        area=world.west, team_leader=world.team_leader, starts_at=now + HOUR, ends_at=now + 5 * HOUR
    )
    OnCallShiftFactory(area=world.east, team_leader=world.other_team_leader)

    assert list(selectors.on_call_for_areas([world.west])) == [current]


def test_the_rota_shows_the_shifts_of_the_persons_areas_that_have_not_ended(world):
    now = timezone.now()
    later = OnCallShiftFactory(
        area=world.west, team_leader=world.team_leader, starts_at=now + 9 * HOUR, ends_at=now + 17 * HOUR
    )
    current = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    OnCallShiftFactory(
        area=world.west, team_leader=world.team_leader, starts_at=now - 9 * HOUR, ends_at=now - HOUR
    )
    OnCallShiftFactory(area=world.east, team_leader=world.other_team_leader)

    assert list(selectors.rota_for(world.coordinator)) == [current, later]
    assert list(selectors.rota_for(world.volunteer)) == []


# --- The indexes the queue is read by ------------------------------------------------------------


def test_the_queue_of_one_area_is_read_from_the_open_queue_index_in_its_order(world, risk):
    from django.db import connection

    from tests.risks.factories import bulk_copies

    # Mostly closed concerns, as in a programme's third year, and a few thousand open ones:
    # enough rows that reading the index in order beats sorting.
    bulk_copies(risk, 20000, status=lambda i: Status.CLOSED if i % 10 else Status.TRIAGED)
    bulk_copies(risk, 2000, severity=Severity.URGENT, status=Status.CLOSED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE risks_riskreport")

    queue = selectors.triage_queue(world.coordinator)
    first_page = queue[:26].explain()
    deep_page = queue.filter(pagination.RowAfter(list(selectors.QUEUE_ORDER), [1, timezone.now(), risk.pk]))[
        :26
    ].explain()

    assert "risk_open_queue_idx" in first_page, first_page
    assert "risk_open_queue_idx" in deep_page, deep_page
    assert "Sort" not in first_page.split("SubPlan")[0], first_page
