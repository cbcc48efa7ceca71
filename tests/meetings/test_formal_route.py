"""The formal meeting route: concerns routed to it gather on the area's next formal meeting
(newest last); one that cannot wait for that meeting is flagged and the on-call team
leader is told, once; what the meeting decides goes through the risk services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from livingwell.accounts.models import Route
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from meetings import services
from meetings.models import AgendaItem, AgendaItemResult, MeetingKind
from risks import services as risk_services
from risks.models import RiskReport, Severity, Status
from tests.factories import UserFactory
from tests.risks.factories import OnCallShiftFactory, RiskReportFactory


@pytest.fixture
def report(world):
    """report(severity=medium, client=Elsie): a concern reported by the volunteer who visits
    the client (Vera for Elsie, Victor for Jack)."""

    def make(severity=Severity.MEDIUM, client=None):
        client = client or world.elsie
        reporter = world.other_volunteer if client == world.jack else world.volunteer
        return RiskReportFactory(client=client, reported_by=reporter, category=world.falls, severity=severity)

    return make


@pytest.fixture
def on_call(world):
    """Tamsin, a second team leader of West Cornwall, on call now (Tom is not)."""
    tamsin = UserFactory(username="tamsin", roles=[Role.TEAM_LEADER], areas=[world.west])
    OnCallShiftFactory(area=world.west, team_leader=tamsin)
    return tamsin


def plan_formal(world, at, days, hour=10):
    return services.meeting_plan(
        by=world.coordinator,
        kind=MeetingKind.FORMAL,
        area=world.west,
        starts_at=at(days, hour),
        ends_at=at(days, hour + 2),
        place="Penzance Library",
    )


def cannot_wait_alerts(person):
    return Notification.objects.filter(
        recipient=person,
        kind=Notification.Kind.URGENT_CONCERN,
        title__startswith="Cannot wait for the meeting",
    )


def agenda(meeting):
    return list(meeting.items.order_by("position", "pk").values_list("risk__client__last_name", flat=True))


def test_medium_concern_lands_on_the_next_formal_meeting_newest_last(
    world, at, report, planned_formal_meeting
):
    later = plan_formal(world, at, 20)

    first = report(client=world.jack)
    second = report(client=world.elsie)

    assert first.route == second.route == Route.FORMAL_MEETING
    assert agenda(planned_formal_meeting) == ["Nankervis", "Trewin"]
    assert agenda(later) == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.too_late_for_meeting_at is None
    assert second.too_late_for_meeting_at is None


def test_a_concern_just_reported_joins_the_agenda_without_looking_for_itself_on_it(
    world, report, planned_formal_meeting
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report(client=world.jack)
    with CaptureQueriesContext(connection) as captured:
        risk = report(client=world.elsie)

    on_the_agenda = [q["sql"] for q in captured.captured_queries if '"meetings_agendaitem"' in q["sql"]]
    # The last position, then the new item: a concern made a moment ago is on no agenda yet.
    assert len(on_the_agenda) == 2, on_the_agenda
    assert on_the_agenda[0].startswith("SELECT MAX(")
    assert on_the_agenda[1].startswith("INSERT")
    assert AgendaItem.objects.get(risk=risk).position == 2
    # Added again by another way in (a change of route), it is still there once.
    services.formal_agenda_add(risk)
    assert AgendaItem.objects.filter(risk=risk).count() == 1


def test_planning_a_formal_meeting_gathers_the_concerns_waiting_for_one_oldest_first(world, at, report):
    older = report(client=world.jack)
    newer = report(client=world.elsie)

    meeting = plan_formal(world, at, 3)

    assert agenda(meeting) == ["Nankervis", "Trewin"]
    assert list(meeting.items.values_list("risk", flat=True).order_by("position")) == [older.pk, newer.pk]
    # Once on a planned meeting, another meeting does not gather them again.
    assert agenda(plan_formal(world, at, 10)) == []


def test_concerns_of_another_area_or_route_do_not_gather(world, at, planned_formal_meeting):
    RiskReportFactory(client=world.morwenna, reported_by=world.east_volunteer, category=world.falls)
    RiskReportFactory(client=world.elsie, reported_by=world.volunteer, category=world.falls, route=Route.MDT)

    assert agenda(planned_formal_meeting) == []


def test_high_concern_whose_meeting_is_after_its_target_is_flagged_and_the_on_call_leader_told_once(
    world, at, report, on_call, planned_formal_meeting
):
    risk = report(severity=Severity.HIGH)

    risk.refresh_from_db()
    assert risk.too_late_for_meeting_at is not None
    alert = cannot_wait_alerts(on_call).get()
    assert "Elsie Trewin" in alert.title
    assert "The next formal meeting is" in alert.body
    assert alert.link == f"/risks/{risk.pk}/"
    assert not cannot_wait_alerts(world.team_leader).exists()
    # It still goes on the meeting's agenda: the meeting hears about it.
    assert agenda(planned_formal_meeting) == ["Trewin"]

    # Moving the meeting, planning another and checking again never tells anybody twice.
    flagged_at = risk.too_late_for_meeting_at
    services.meeting_reschedule(
        meeting=planned_formal_meeting,
        by=world.coordinator,
        starts_at=at(4, 10),
        ends_at=at(4, 12),
        place="Hall",
    )
    plan_formal(world, at, 12)
    services.formal_agenda_add(risk)
    services.formal_agenda_add(risk)

    assert cannot_wait_alerts(on_call).count() == 1
    risk.refresh_from_db()
    assert risk.too_late_for_meeting_at == flagged_at


def test_concern_with_no_formal_meeting_planned_is_flagged_and_told_once(world, at, report, on_call):
    risk = report(severity=Severity.HIGH)

    risk.refresh_from_db()
    assert risk.too_late_for_meeting_at is not None
    assert "No formal meeting is planned" in cannot_wait_alerts(on_call).get().body
    assert not AgendaItem.objects.exists()

    meeting = plan_formal(world, at, 3)

    assert agenda(meeting) == ["Trewin"]
    assert cannot_wait_alerts(on_call).count() == 1


def test_concern_that_can_wait_is_not_flagged(world, report, on_call, planned_formal_meeting):
    risk = report(severity=Severity.MEDIUM)

    risk.refresh_from_db()
    assert risk.too_late_for_meeting_at is None
    assert not cannot_wait_alerts(on_call).exists()


def test_rescheduling_a_meeting_past_a_concerns_target_flags_it(
    world, at, report, on_call, planned_formal_meeting
):
    risk = report(severity=Severity.MEDIUM)

    services.meeting_reschedule(
        meeting=planned_formal_meeting,
        by=world.coordinator,
        starts_at=at(9, 10),
        ends_at=at(9, 12),
        place="Hall",
    )

    risk.refresh_from_db()
    assert risk.too_late_for_meeting_at is not None
    assert cannot_wait_alerts(on_call).count() == 1


@pytest.mark.parametrize(
    ("decision", "details", "status"),
    [
        (AgendaItemResult.TAKEN, {}, Status.TRIAGED),
        (AgendaItemResult.REFERRED, {"key_worker": "Dr Pengelly"}, Status.ESCALATED),
        (AgendaItemResult.CLOSED, {"reason": "Her daughter has moved in"}, Status.CLOSED),
    ],
)
def test_deciding_an_item_at_the_meeting_goes_through_the_risk_services(
    world, report, planned_formal_meeting, decision, details, status
):
    risk = report()
    item = planned_formal_meeting.items.get(risk=risk)

    services.agenda_item_conclude(
        item=item, by=world.coordinator, decision=decision, note="Cora will ring her.", **details
    )

    risk.refresh_from_db()
    item.refresh_from_db()
    assert risk.status == status
    assert item.result == decision
    event = risk.events.order_by("at", "pk").last()
    assert event.to_status == status
    assert event.actor == world.coordinator
    day = planned_formal_meeting.day_label
    assert f"discussed at the formal monthly meeting of {day}".lower() in event.note.lower()
    if decision != AgendaItemResult.CLOSED:
        assert f"Discussed at the formal monthly meeting of {day}. Cora will ring her." in event.note


def test_deciding_an_item_is_refused_to_someone_who_does_not_run_the_meeting(
    world, report, planned_formal_meeting
):
    risk = report()
    item = planned_formal_meeting.items.get(risk=risk)

    for person in (world.team_leader, world.other_coordinator, world.volunteer):
        with pytest.raises(PermissionDenied):
            services.agenda_item_conclude(item=item, by=person, decision=AgendaItemResult.TAKEN)

    risk.refresh_from_db()
    item.refresh_from_db()
    assert risk.status == Status.REPORTED
    assert item.result == ""


def test_an_unknown_decision_is_refused(world, report, planned_formal_meeting):
    risk = report()
    item = planned_formal_meeting.items.get(risk=risk)

    with pytest.raises(ValidationError):
        services.agenda_item_conclude(item=item, by=world.coordinator, decision="forgotten")

    risk.refresh_from_db()
    assert risk.status == Status.REPORTED


def test_a_cancelled_meetings_waiting_items_move_to_the_next_planned_one(
    world, at, report, planned_formal_meeting
):
    following = plan_formal(world, at, 6)
    decided, waiting = report(client=world.jack), report(client=world.elsie)
    services.agenda_item_conclude(
        item=planned_formal_meeting.items.get(risk=decided),
        by=world.coordinator,
        decision=AgendaItemResult.TAKEN,
    )

    services.meeting_cancel(meeting=planned_formal_meeting, by=world.coordinator, reason="Storm warning")

    assert agenda(following) == ["Trewin"]
    # What was decided stays with the meeting that decided it.
    assert agenda(planned_formal_meeting) == ["Nankervis"]
    assert planned_formal_meeting.items.get().result == AgendaItemResult.TAKEN
    waiting.refresh_from_db()
    assert waiting.too_late_for_meeting_at is None


def test_a_cancelled_meetings_items_with_no_next_meeting_are_flagged(
    world, report, on_call, planned_formal_meeting
):
    risk = report()

    services.meeting_cancel(meeting=planned_formal_meeting, by=world.coordinator, reason="Storm warning")

    risk.refresh_from_db()
    assert not planned_formal_meeting.items.exists()
    assert risk.too_late_for_meeting_at is not None
    assert cannot_wait_alerts(on_call).count() == 1


def test_coordinator_reorders_the_agenda(world, report, planned_formal_meeting, make_person):
    report(client=world.jack)
    report(client=world.elsie)
    third = RiskReportFactory(
        client=world.elsie, reported_by=world.volunteer, category=world.medication, severity=Severity.LOW
    )
    assert agenda(planned_formal_meeting) == ["Nankervis", "Trewin", "Trewin"]
    last = planned_formal_meeting.items.get(risk=third)

    services.agenda_item_move(item=last, by=world.coordinator, up=True)
    services.agenda_item_move(item=last, by=world.coordinator, up=True)

    order = list(planned_formal_meeting.items.order_by("position").values_list("risk", flat=True))
    assert order[0] == third.pk
    # Moving the first one up leaves the order as it is.
    services.agenda_item_move(item=last, by=world.coordinator, up=True)
    assert list(planned_formal_meeting.items.order_by("position").values_list("risk", flat=True)) == order
    # Another coordinator of the same area may too (they run the area's formal meetings).
    colleague = make_person(Role.COORDINATOR, areas=[world.west])
    services.agenda_item_move(item=last, by=colleague, up=False)
    assert (
        list(planned_formal_meeting.items.order_by("position").values_list("risk", flat=True))[1] == third.pk
    )


def test_reordering_is_refused_to_someone_who_does_not_run_the_meeting(world, report, planned_formal_meeting):
    report(client=world.jack)
    report(client=world.elsie)
    before = agenda(planned_formal_meeting)
    last = planned_formal_meeting.items.order_by("position").last()

    for person in (world.other_coordinator, world.team_leader, world.mdt_chair):
        with pytest.raises(PermissionDenied):
            services.agenda_item_move(item=last, by=person, up=True)

    assert agenda(planned_formal_meeting) == before


def test_a_triaged_concern_is_not_flagged_when_its_meeting_moves_late(
    world, at, report, on_call, planned_formal_meeting
):
    risk = report()
    risk_services.risk_triage(risk=risk, by=world.coordinator)

    services.meeting_reschedule(
        meeting=planned_formal_meeting,
        by=world.coordinator,
        starts_at=at(9, 10),
        ends_at=at(9, 12),
        place="Hall",
    )

    assert RiskReport.objects.get(pk=risk.pk).too_late_for_meeting_at is None
    assert not cannot_wait_alerts(on_call).exists()
