"""The life of a risk (risks.services): reporting, every transition and its RiskEvent, the
refusals that change nothing, the urgent alert and the good news that follows consent."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from clients.models import Allocation, ConsentScope
from clients.services import allocation_end, consent_give, consent_withdraw
from livingwell.accounts.models import AreaMembership, Route
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from risks import services
from risks.models import OnCallShift, Outcome, Referral, RiskEvent, RiskReport, Service, Severity, Status
from risks.selectors import risk_timeline
from tests.factories import UserFactory
from tests.risks.factories import OnCallShiftFactory, ServiceFactory

HOUR = datetime.timedelta(hours=1)


def report(world, **overrides):
    """Vera reports a concern about Elsie through the service."""
    fields = {
        "by": world.volunteer,
        "client": world.elsie,
        "category": world.falls,
        "severity": Severity.MEDIUM,
        "what_was_seen": "  She had a bruise on her arm and did not know how she got it.  ",
        "observed_at": timezone.now() - HOUR,
    }
    return services.risk_report(**{**fields, **overrides})


def counts() -> tuple[int, int, int]:
    return RiskReport.objects.count(), RiskEvent.objects.count(), Notification.objects.count()


def state_of(risk) -> dict:
    """Everything a transition could change about a risk, read fresh from the database."""
    fresh = RiskReport.objects.get(pk=risk.pk)
    return {
        "risk": {field.attname: getattr(fresh, field.attname) for field in RiskReport._meta.concrete_fields},
        "events": list(RiskEvent.objects.filter(risk=risk).values_list("pk", "to_status")),
        "referrals": Referral.objects.filter(risk=risk).count(),
        "outcomes": Outcome.objects.filter(risk=risk).count(),
        "notifications": Notification.objects.count(),
    }


# --- Reporting ----------------------------------------------------------------------------


def test_a_volunteer_reports_a_concern_about_their_own_client(world):
    before = timezone.now()
    risk = report(world)

    assert risk.status == Status.REPORTED
    assert (risk.client, risk.area, risk.reported_by, risk.on_behalf_of) == (
        world.elsie,
        world.west,
        world.volunteer,
        None,
    )
    assert risk.route == world.west.default_route
    assert risk.what_was_seen == "She had a bruise on her arm and did not know how she got it."
    assert before <= risk.reported_at <= timezone.now()
    assert risk.due_at - risk.reported_at == datetime.timedelta(days=7)
    [event] = risk.events.all()
    assert (event.actor, event.from_status, event.to_status, event.at) == (
        world.volunteer,
        "",
        Status.REPORTED,
        risk.reported_at,
    )


@pytest.mark.parametrize(
    ("severity", "hours"), [("urgent", 4), ("high", 24), ("medium", 7 * 24), ("low", 30 * 24)]
)
def test_a_concern_is_due_by_its_severitys_target_time(world, severity, hours):
    risk = report(world, severity=severity)
    assert risk.due_at - risk.reported_at == datetime.timedelta(hours=hours)


@pytest.mark.parametrize("client", ["jack", "morwenna"])
def test_a_volunteer_cannot_report_a_concern_about_a_client_they_do_not_visit(world, client):
    """Neither a client of their own area visited by somebody else, nor one of another area."""
    before = counts()
    with pytest.raises(ValidationError) as refused:
        report(world, client=getattr(world, client), severity=Severity.URGENT)
    assert refused.value.messages == ["You can only report a concern about a client you visit."]
    assert counts() == before


def test_a_volunteer_whose_allocation_has_ended_can_no_longer_report_what_they_see_after(world):
    allocation = world.elsie.allocations.get()
    allocation_end(allocation=allocation, by=world.coordinator, reason="Moved away")
    # Ended yesterday: what she sees today is after her last visit.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Allocation.objects.filter(pk=allocation.pk).update(
        started_on=yesterday - datetime.timedelta(days=30), ended_on=yesterday
    )
    with pytest.raises(ValidationError, match="you do not visit Elsie now"):
        report(world, observed_at=timezone.now())
    assert RiskReport.objects.count() == 0


def test_a_volunteer_reports_what_they_saw_on_the_day_their_allocation_ended(world):
    """The last visit may be on the day the allocation ends: that day still counts."""
    allocation = world.elsie.allocations.get()
    allocation_end(allocation=allocation, by=world.coordinator, reason="Moved away")
    risk = report(world, observed_at=timezone.now())
    assert risk.client == world.elsie


def test_a_concern_observed_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        report(world, observed_at=timezone.now() + HOUR)
    assert refused.value.messages == ["When you saw it cannot be in the future."]
    assert counts() == (0, 0, 0)


def test_a_phone_clock_a_minute_or_two_fast_is_not_the_future(world):
    risk = report(world, observed_at=timezone.now() + datetime.timedelta(minutes=2))
    assert risk.pk


@pytest.mark.parametrize("severity", ["", "catastrophic"])
def test_a_concern_without_a_known_severity_is_refused_in_plain_words(world, severity):
    with pytest.raises(ValidationError) as refused:
        report(world, severity=severity)
    assert refused.value.messages == ["Choose how serious it is."]
    assert counts() == (0, 0, 0)


def test_a_concern_must_say_what_was_seen(world):
    with pytest.raises(ValidationError) as refused:
        report(world, what_was_seen="   ")
    assert refused.value.messages == ["Say what you saw."]
    assert counts() == (0, 0, 0)


def test_a_route_the_area_does_not_use_is_refused(world):
    world.west.allowed_routes = [Route.FORMAL_MEETING]
    world.west.save()
    with pytest.raises(ValidationError) as refused:
        report(world, route=Route.COFFEE_MORNING)
    assert refused.value.messages == ["West Cornwall does not use the route “Coffee morning”."]
    assert counts() == (0, 0, 0)


def test_a_team_leader_records_a_phone_call_for_a_volunteer_who_visits_the_client(world):
    risk = report(world, by=world.team_leader, on_behalf_of=world.volunteer, route=Route.FORMAL_MEETING)

    assert risk.route == Route.TEAM_LEADER_PHONE
    assert (risk.reported_by, risk.on_behalf_of, risk.volunteer) == (
        world.team_leader,
        world.volunteer,
        world.volunteer,
    )
    [event] = risk.events.all()
    assert (event.actor, event.to_status, event.note) == (
        world.team_leader,
        Status.REPORTED,
        "Recorded by phone for Vera Pascoe",
    )


@pytest.mark.parametrize("recorder", ["coordinator", "other_team_leader", "other_volunteer"])
def test_only_a_team_leader_of_the_clients_area_may_record_a_concern_for_a_volunteer(world, recorder):
    with pytest.raises(PermissionDenied):
        report(world, by=getattr(world, recorder), on_behalf_of=world.volunteer)
    assert counts() == (0, 0, 0)


def test_a_phone_call_is_recorded_only_for_a_volunteer_who_visits_the_client(world):
    with pytest.raises(ValidationError) as refused:
        report(world, by=world.team_leader, on_behalf_of=world.other_volunteer)
    assert refused.value.messages == ["Victor Opie does not visit Elsie Trewin."]
    assert counts() == (0, 0, 0)


# --- Transitions ----------------------------------------------------------------------------


def test_triage_makes_the_person_the_owner_and_writes_an_event(world, risk):
    services.risk_triage(risk=risk, by=world.coordinator, note=" I will ring her daughter. ")

    risk.refresh_from_db()
    assert (risk.status, risk.owner) == (Status.TRIAGED, world.coordinator)
    event = risk.events.last()
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        world.coordinator,
        Status.REPORTED,
        Status.TRIAGED,
        "I will ring her daughter.",
    )
    assert event.at == risk.triaged_at


def test_escalating_to_a_service_records_the_referral_and_an_event(world, risk, advance):
    advance(risk, Status.TRIAGED, world.coordinator)
    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west, world.east])
    expected = timezone.localdate() + datetime.timedelta(days=3)

    referral = services.risk_escalate(
        risk=risk,
        by=world.team_leader,
        service=transport,
        reference=" PCT-42 ",
        expected_response_on=expected,
        note="Lift to the surgery booked.",
    )

    assert (referral.service, referral.reference, referral.expected_response_on, referral.made_by) == (
        transport,
        "PCT-42",
        expected,
        world.team_leader,
    )
    risk.refresh_from_db()
    assert risk.status == Status.ESCALATED
    assert risk.owner == world.coordinator  # escalating does not take the concern from its owner
    assert risk.escalated_at == referral.made_at
    event = risk.events.last()
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        world.team_leader,
        Status.TRIAGED,
        Status.ESCALATED,
        "Referred to Penwith Community Transport. Lift to the surgery booked.",
    )


def test_escalating_a_reported_concern_to_a_key_worker_also_takes_ownership(world, risk):
    referral = services.risk_escalate(risk=risk, by=world.coordinator, key_worker=" Dr Pengelly, GP ")

    assert (referral.service, referral.key_worker, referral.target) == (
        None,
        "Dr Pengelly, GP",
        "Dr Pengelly, GP",
    )
    risk.refresh_from_db()
    assert (risk.status, risk.owner) == (Status.ESCALATED, world.coordinator)
    assert risk.triaged_at == risk.escalated_at == referral.made_at
    assert list(risk.events.values_list("from_status", "to_status")) == [
        ("", Status.REPORTED),
        (Status.REPORTED, Status.ESCALATED),
    ]


def test_an_escalated_concern_may_be_referred_again_and_keeps_its_first_escalation_time(world, risk, advance):
    advance(risk, Status.ESCALATED, world.coordinator)
    first_escalated_at = RiskReport.objects.get(pk=risk.pk).escalated_at

    services.risk_escalate(risk=risk, by=world.coordinator, key_worker="Social worker on duty")

    risk.refresh_from_db()
    assert risk.escalated_at == first_escalated_at
    assert risk.referrals.count() == 2
    assert risk.events.filter(to_status=Status.ESCALATED).count() == 2


def test_recording_an_outcome_keeps_both_texts_and_writes_an_event(world, risk, advance):
    advance(risk, Status.ESCALATED, world.coordinator)

    outcome = services.risk_record_outcome(
        kind="support_arranged",
        risk=risk,
        by=world.coordinator,
        staff_summary=" GP visited; referred to falls clinic. ",
        volunteer_message=" Elsie has a new walking frame. ",
    )

    assert (outcome.staff_summary, outcome.volunteer_message, outcome.recorded_by) == (
        "GP visited; referred to falls clinic.",
        "Elsie has a new walking frame.",
        world.coordinator,
    )
    risk.refresh_from_db()
    assert (risk.status, risk.outcome_at) == (Status.OUTCOME_RECORDED, outcome.recorded_at)
    event = risk.events.last()
    assert (event.actor, event.from_status, event.to_status) == (
        world.coordinator,
        Status.ESCALATED,
        Status.OUTCOME_RECORDED,
    )


def test_closing_records_the_reason_and_an_event(world, risk):
    services.risk_close(risk=risk, by=world.team_leader, reason=f" {services.NO_ACTION_NEEDED} ")

    risk.refresh_from_db()
    assert (risk.status, risk.close_reason, risk.owner) == (
        Status.CLOSED,
        "No action needed",
        world.team_leader,
    )
    event = risk.events.last()
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        world.team_leader,
        Status.REPORTED,
        Status.CLOSED,
        "No action needed",
    )
    assert event.at == risk.closed_at


def test_reopening_gives_the_concern_to_the_person_reopening_it_and_makes_it_due_again(world, risk, advance):
    advance(risk, Status.CLOSED, world.coordinator)
    RiskReport.objects.filter(pk=risk.pk).update(
        due_at=timezone.now() - 10 * HOUR, last_reminded_on=timezone.localdate()
    )

    services.risk_reopen(risk=risk, by=world.team_leader, note="She fell again.")

    risk.refresh_from_db()
    assert (risk.status, risk.owner, risk.closed_at, risk.close_reason, risk.last_reminded_on) == (
        Status.TRIAGED,
        world.team_leader,
        None,
        "",
        None,
    )
    assert risk.due_at - timezone.now() > datetime.timedelta(days=6)
    event = risk.events.last()
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        world.team_leader,
        Status.CLOSED,
        Status.TRIAGED,
        "She fell again.",
    )


def test_one_concern_goes_through_every_state_and_each_step_is_on_its_timeline(world, risk):
    """reported -> triaged -> escalated -> outcome recorded -> closed -> reopened (triaged)
    -> closed with "No action needed"."""
    cora, tom = world.coordinator, world.team_leader
    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west])

    services.risk_triage(risk=risk, by=cora, note="I will ring her daughter.")
    services.risk_escalate(risk=risk, by=cora, service=transport, note="Lift booked.")
    services.risk_record_outcome(
        kind="support_arranged",
        risk=risk,
        by=cora,
        staff_summary="Seen at the falls clinic.",
        volunteer_message="She is doing well.",
    )
    services.risk_close(risk=risk, by=cora, reason="Resolved")
    services.risk_reopen(risk=risk, by=tom, note="Her daughter rang: another fall.")
    services.risk_close(risk=risk, by=tom, reason=services.NO_ACTION_NEEDED)

    timeline = list(risk_timeline(risk))
    assert [(e.actor, e.from_status, e.to_status, e.note) for e in timeline] == [
        (world.volunteer, "", Status.REPORTED, ""),
        (cora, Status.REPORTED, Status.TRIAGED, "I will ring her daughter."),
        (cora, Status.TRIAGED, Status.ESCALATED, "Referred to Penwith Community Transport. Lift booked."),
        (cora, Status.ESCALATED, Status.OUTCOME_RECORDED, ""),
        (cora, Status.OUTCOME_RECORDED, Status.CLOSED, "Resolved"),
        (tom, Status.CLOSED, Status.TRIAGED, "Her daughter rang: another fall."),
        (tom, Status.TRIAGED, Status.CLOSED, "No action needed"),
    ]
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    risk.refresh_from_db()
    assert (risk.status, risk.close_reason, risk.owner) == (Status.CLOSED, "No action needed", tom)
    assert (risk.referrals.count(), risk.outcomes.count()) == (1, 1)


# --- Refusals change nothing ------------------------------------------------------------------

TRANSITIONS = {
    "triage": services.risk_triage,
    "escalate": services.risk_escalate,
    "record_outcome": services.risk_record_outcome,
    "close": services.risk_close,
    "reopen": services.risk_reopen,
}
VALID_ARGUMENTS = {
    "triage": {},
    "escalate": {"key_worker": "Dr Pengelly"},
    "record_outcome": {
        "kind": "support_arranged",
        "staff_summary": "Seen by the GP.",
        "volunteer_message": "All sorted.",
    },
    "close": {"reason": "Resolved"},
    "reopen": {"note": "Worse again."},
}
YESTERDAY = object()
EAST_SERVICE = object()

# (the state the risk is in, the action Tom tries, its arguments, what he is told)
INVALID = {
    "record outcome on a reported concern": (
        Status.REPORTED,
        "record_outcome",
        VALID_ARGUMENTS["record_outcome"],
        "This concern cannot be given an outcome now: it is reported.",
    ),
    "record outcome twice": (
        Status.OUTCOME_RECORDED,
        "record_outcome",
        VALID_ARGUMENTS["record_outcome"],
        "This concern cannot be given an outcome now: it is outcome recorded.",
    ),
    "record outcome without a message for the volunteer": (
        Status.TRIAGED,
        "record_outcome",
        {"kind": "support_arranged", "staff_summary": "Seen by the GP.", "volunteer_message": "  "},
        "Write both the summary for staff and the message for the volunteer.",
    ),
    "reopen a reported concern": (
        Status.REPORTED,
        "reopen",
        VALID_ARGUMENTS["reopen"],
        "This concern cannot be reopened now: it is reported.",
    ),
    "reopen a triaged concern": (
        Status.TRIAGED,
        "reopen",
        VALID_ARGUMENTS["reopen"],
        "This concern cannot be reopened now: it is being looked at.",
    ),
    "reopen an escalated concern": (
        Status.ESCALATED,
        "reopen",
        VALID_ARGUMENTS["reopen"],
        "This concern cannot be reopened now: it is passed on.",
    ),
    "reopen without saying why": (
        Status.CLOSED,
        "reopen",
        {"note": " "},
        "Say why the concern is being reopened.",
    ),
    "triage twice": (Status.TRIAGED, "triage", {}, "Cora Nance took this concern at "),
    "escalate without a service or key worker": (
        Status.TRIAGED,
        "escalate",
        {"key_worker": "   "},
        "Choose a service from the directory or name the key worker.",
    ),
    "escalate to a service that does not cover the area": (
        Status.TRIAGED,
        "escalate",
        {"service": EAST_SERVICE},
        "Bodmin Dial-a-Ride does not cover West Cornwall.",
    ),
    "escalate expecting a reply in the past": (
        Status.TRIAGED,
        "escalate",
        {"key_worker": "Dr Pengelly", "expected_response_on": YESTERDAY},
        "The expected response date cannot be in the past.",
    ),
    "escalate a closed concern": (
        Status.CLOSED,
        "escalate",
        VALID_ARGUMENTS["escalate"],
        "This concern cannot be passed on now: it is closed.",
    ),
    "escalate a concern with an outcome": (
        Status.OUTCOME_RECORDED,
        "escalate",
        VALID_ARGUMENTS["escalate"],
        "This concern cannot be passed on now: it is outcome recorded.",
    ),
    "close without a reason": (
        Status.TRIAGED,
        "close",
        {"reason": "  "},
        "Say why the concern is being closed.",
    ),
    "close twice": (
        Status.CLOSED,
        "close",
        VALID_ARGUMENTS["close"],
        "This concern cannot be closed now: it is closed.",
    ),
}


@pytest.mark.parametrize(("state", "action", "arguments", "message"), INVALID.values(), ids=INVALID.keys())
def test_an_invalid_transition_is_refused_with_a_clear_message_and_changes_nothing(
    world, risk, advance, state, action, arguments, message
):
    advance(risk, state, world.coordinator)
    arguments = dict(arguments)
    if arguments.get("service") is EAST_SERVICE:
        arguments["service"] = ServiceFactory(name="Bodmin Dial-a-Ride", areas=[world.east])
    if arguments.get("expected_response_on") is YESTERDAY:
        arguments["expected_response_on"] = timezone.localdate() - datetime.timedelta(days=1)
    before = state_of(risk)

    with pytest.raises(ValidationError) as refused:
        TRANSITIONS[action](risk=risk, by=world.team_leader, **arguments)

    [said] = refused.value.messages
    assert said.startswith(message)
    assert state_of(risk) == before


@pytest.mark.parametrize("action", TRANSITIONS)
@pytest.mark.parametrize("person", ["other_coordinator", "other_team_leader", "volunteer", "manager"])
def test_only_staff_of_the_concerns_area_may_move_it_on(world, risk, advance, action, person):
    if action == "reopen":
        advance(risk, Status.CLOSED, world.coordinator)
    elif action == "record_outcome":
        advance(risk, Status.TRIAGED, world.coordinator)
    before = state_of(risk)

    with pytest.raises(PermissionDenied, match="Only coordinators and team leaders of this area"):
        TRANSITIONS[action](risk=risk, by=getattr(world, person), **VALID_ARGUMENTS[action])

    assert state_of(risk) == before


def test_staff_who_have_left_the_area_may_no_longer_move_its_concerns_on(world, risk):
    AreaMembership.objects.filter(user=world.coordinator).update(
        ended_on=timezone.localdate(), started_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    with pytest.raises(PermissionDenied):
        services.risk_triage(risk=risk, by=world.coordinator)
    assert RiskReport.objects.get(pk=risk.pk).status == Status.REPORTED


@pytest.mark.parametrize(
    ("state", "actions"),
    [
        (Status.REPORTED, {"triage", "escalate", "close"}),
        (Status.TRIAGED, {"escalate", "record_outcome", "close"}),
        (Status.ESCALATED, {"escalate", "record_outcome", "close"}),
        (Status.OUTCOME_RECORDED, {"close", "reopen"}),
        (Status.CLOSED, {"reopen"}),
    ],
)
def test_the_page_offers_only_the_transitions_the_state_allows(world, risk, advance, state, actions):
    assert services.available_actions(advance(risk, state, world.coordinator)) == actions


def test_the_refusal_to_triage_twice_names_the_local_time_it_was_taken(world, risk, advance):
    advance(risk, Status.TRIAGED, world.coordinator)
    summer_afternoon = timezone.make_aware(datetime.datetime(2026, 7, 1, 14, 30))  # 13:30 UTC
    RiskReport.objects.filter(pk=risk.pk).update(triaged_at=summer_afternoon)

    with pytest.raises(ValidationError) as refused:
        services.risk_triage(risk=risk, by=world.team_leader)

    assert refused.value.messages == ["Cora Nance took this concern at 14:30 on 01 Jul."]


# --- The urgent alert ---------------------------------------------------------------------


def urgent_alerts():
    return Notification.objects.filter(kind=Notification.Kind.URGENT_CONCERN)


def test_an_urgent_concern_reaches_the_team_leader_on_call_and_nobody_else(world):
    backup = UserFactory(roles=[Role.TEAM_LEADER], areas=[world.west])
    UserFactory(roles=[Role.TEAM_LEADER], areas=[world.west])  # in the area, not on call
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader, backup=backup)
    OnCallShiftFactory(area=world.east, team_leader=world.other_team_leader)

    risk = report(world, severity=Severity.URGENT)

    [alert] = urgent_alerts()
    assert alert.recipient == world.team_leader
    reported = timezone.localtime(risk.reported_at)
    assert alert.title == (
        f"Urgent concern: Falls and mobility, Elsie Trewin, reported {reported.day} {reported:%b, %H:%M}"
    )
    assert alert.link == f"/risks/{risk.pk}/"
    assert "Vera Pascoe reported an urgent concern about Elsie Trewin (West Cornwall)" in alert.body


def test_with_nobody_on_call_an_urgent_concern_reaches_every_team_leader_of_the_area(world):
    now = timezone.now()
    second = UserFactory(roles=[Role.TEAM_LEADER], areas=[world.west])
    left = UserFactory(roles=[Role.TEAM_LEADER])
    today = timezone.localdate()
    AreaMembership.objects.create(
        user=left, area=world.west, started_on=today - datetime.timedelta(days=90), ended_on=today
    )
    # West shifts that have ended or not yet begun do not count; East's does not cover West.
    OnCallShiftFactory(area=world.west, team_leader=second, starts_at=now - 9 * HOUR, ends_at=now - HOUR)
    OnCallShiftFactory(area=world.west, team_leader=second, starts_at=now + HOUR, ends_at=now + 9 * HOUR)
    OnCallShiftFactory(area=world.east, team_leader=world.other_team_leader)

    report(world, severity=Severity.URGENT)

    assert {alert.recipient for alert in urgent_alerts()} == {world.team_leader, second}
    assert urgent_alerts().count() == 2


@pytest.mark.parametrize("severity", [Severity.HIGH, Severity.MEDIUM, Severity.LOW])
def test_a_concern_that_is_not_urgent_alerts_nobody(world, severity):
    # On the phone line's route: a concern routed to a meeting may be flagged when the
    # meeting is too late for it (tests/meetings/test_formal_route.py).
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    report(world, severity=severity, route=Route.TEAM_LEADER_PHONE)
    assert Notification.objects.count() == 0


def test_an_urgent_concern_recorded_by_phone_alerts_the_team_leader_on_call(world):
    on_call = UserFactory(roles=[Role.TEAM_LEADER], areas=[world.west])
    OnCallShiftFactory(area=world.west, team_leader=on_call)

    report(world, by=world.team_leader, on_behalf_of=world.volunteer, severity=Severity.URGENT)

    [alert] = urgent_alerts()
    assert alert.recipient == on_call
    assert "Vera Pascoe reported an urgent concern" in alert.body


# --- Good news follows consent --------------------------------------------------------------

STAFF_SUMMARY = "GP visited; referred to the falls clinic; daughter informed."
MESSAGE = "Elsie has a new walking frame and sends her thanks."


def record_outcome(world, risk, advance):
    advance(risk, Status.ESCALATED, world.coordinator)
    services.risk_record_outcome(
        kind="support_arranged",
        risk=risk,
        by=world.coordinator,
        staff_summary=STAFF_SUMMARY,
        volunteer_message=MESSAGE,
    )
    return Notification.objects.get(kind=Notification.Kind.GOOD_NEWS)


def day(risk) -> str:
    reported = timezone.localtime(risk.reported_at)
    return f"{reported.day} {reported:%b}"


def test_good_news_about_two_concerns_says_which_concern_each_is_about(world, advance, new_concern):
    """Two concerns raised for the same client on different days, in different categories:
    their good news must not read the same."""
    give_consent(world)
    falls = report(world)
    medication = report(world, category=world.medication)
    RiskReport.objects.filter(pk=medication.pk).update(
        reported_at=timezone.now() - datetime.timedelta(days=3)
    )
    medication.refresh_from_db()
    for risk in (falls, medication):
        advance(risk, Status.ESCALATED, world.coordinator)
        services.risk_record_outcome(
            kind="support_arranged",
            risk=risk,
            by=world.coordinator,
            staff_summary=STAFF_SUMMARY,
            volunteer_message=MESSAGE,
        )

    titles = {news.link: news.title for news in Notification.objects.filter(kind=Notification.Kind.GOOD_NEWS)}

    assert titles == {
        f"/risks/{falls.pk}/": (
            f"Good news about the falls and mobility concern you raised on {day(falls)} for Elsie"
        ),
        f"/risks/{medication.pk}/": (
            f"Good news about the medication concern you raised on {day(medication)} for Elsie"
        ),
    }


def give_consent(world, scope=ConsentScope.OUTCOME_TO_VOLUNTEER):
    return consent_give(
        client=world.elsie,
        scope=scope,
        given_on=timezone.localdate(),
        how_given="verbal",
        by=world.coordinator,
    )


def assert_carries_no_client_detail(news):
    for detail in ("Elsie", "Trewin", MESSAGE, STAFF_SUMMARY, "walking frame"):
        assert detail not in news.title
        assert detail not in news.body


def test_with_consent_the_volunteer_is_told_the_message(world, risk, advance):
    give_consent(world)

    news = record_outcome(world, risk, advance)

    assert news.recipient == world.volunteer
    assert news.body == MESSAGE
    assert news.title == f"Good news about the falls and mobility concern you raised on {day(risk)} for Elsie"
    assert news.link == f"/risks/{risk.pk}/"
    assert STAFF_SUMMARY not in news.body


def test_without_consent_the_volunteer_is_thanked_without_client_detail(world, risk, advance):
    give_consent(world, scope=ConsentScope.SHARE_WITH_MDT)  # consent to something else

    news = record_outcome(world, risk, advance)

    assert news.recipient == world.volunteer
    assert news.title == f"Good news about the falls and mobility concern you raised on {day(risk)}"
    assert "thank you" in news.body
    assert_carries_no_client_detail(news)


def test_once_consent_is_withdrawn_the_volunteer_is_no_longer_told_the_detail(world, risk, advance):
    consent_withdraw(consent=give_consent(world), by=world.coordinator, note="Changed her mind")

    news = record_outcome(world, risk, advance)

    assert news.recipient == world.volunteer
    assert_carries_no_client_detail(news)


def test_good_news_of_a_phoned_in_concern_goes_to_the_volunteer_not_the_team_leader(world, advance):
    give_consent(world)
    risk = report(world, by=world.team_leader, on_behalf_of=world.volunteer)

    news = record_outcome(world, risk, advance)

    assert news.recipient == world.volunteer
    assert news.body == MESSAGE


def test_an_on_call_team_leader_who_no_longer_leads_in_the_area_is_passed_over(world):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    AreaMembership.objects.filter(user=world.team_leader).update(ended_on=timezone.localdate())
    stand_in = UserFactory(roles=[Role.TEAM_LEADER], areas=[world.west])

    report(world, severity=Severity.URGENT)

    assert [alert.recipient for alert in urgent_alerts()] == [stand_in]


def test_with_no_team_leader_in_the_area_an_urgent_concern_reaches_its_coordinators(world):
    AreaMembership.objects.filter(user=world.team_leader).update(ended_on=timezone.localdate())

    report(world, severity=Severity.URGENT)

    assert [alert.recipient for alert in urgent_alerts()] == [world.coordinator]


def test_a_concern_cannot_be_passed_to_a_service_that_no_longer_takes_referrals(world, risk):
    from risks.models import Referral
    from tests.risks.factories import ServiceFactory

    closed = ServiceFactory(name="Penwith Link (closed)", areas=[world.west], is_active=False)

    with pytest.raises(ValidationError, match="no longer taking referrals"):
        services.risk_escalate(risk=risk, by=world.coordinator, service=closed)
    assert not Referral.objects.exists()
    risk.refresh_from_db()
    assert risk.status == Status.REPORTED


def test_an_urgent_concern_goes_by_the_phone_line_where_the_area_has_one(world):
    risk = report(world, severity=Severity.URGENT)

    assert risk.route == Route.TEAM_LEADER_PHONE


# --- The directory: a coordinator changes only the areas where they work -------------------


def service_fields(**changes) -> dict:
    return {
        "name": "Penwith Community Transport",
        "kind": Service.Kind.TRANSPORT,
        "is_medical": False,
        "helps_with": "Lifts to appointments and the shops.",
        "contact_person": "",
        "phone": "01736 365000",
        "email": "",
        "hours": "",
        "website": "",
        "categories": [],
        "is_active": True,
        **changes,
    }


def service_state(service) -> dict:
    fresh = Service.objects.get(pk=service.pk)
    return {
        "fields": {field.attname: getattr(fresh, field.attname) for field in Service._meta.concrete_fields},
        "areas": set(fresh.areas.values_list("pk", flat=True)),
        "categories": set(fresh.categories.values_list("pk", flat=True)),
        "services": Service.objects.count(),
    }


@pytest.fixture
def shared(world):
    """A transport service that covers West and East Cornwall."""
    return ServiceFactory(name="Cornwall Dial-a-Ride", areas=[world.west, world.east])


def test_a_coordinator_who_saves_only_their_area_keeps_the_other_areas_of_a_shared_service(world, shared):
    services.service_update(service=shared, by=world.coordinator, **service_fields(areas=[world.west]))
    assert set(shared.areas.all()) == {world.west, world.east}


def test_a_coordinator_who_unticks_their_area_takes_the_service_out_of_it_only(world, shared):
    services.service_update(service=shared, by=world.coordinator, **service_fields(areas=[]))
    assert list(shared.areas.all()) == [world.east]


def test_a_coordinator_cannot_add_another_area_to_a_service_and_nothing_changes(world):
    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    before = service_state(transport)

    with pytest.raises(PermissionDenied, match="not to East Cornwall"):
        services.service_update(
            service=transport,
            by=world.coordinator,
            **service_fields(name="Renamed", areas=[world.west, world.east]),
        )

    assert service_state(transport) == before


def test_a_service_left_with_no_area_is_refused_and_nothing_changes(world):
    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    before = service_state(transport)

    with pytest.raises(ValidationError, match="at least one area"):
        services.service_update(service=transport, by=world.coordinator, **service_fields(areas=[]))

    assert service_state(transport) == before


def test_a_coordinator_adds_a_service_to_their_own_areas(world):
    added = services.service_create(by=world.coordinator, **service_fields(areas=[world.west]))
    assert list(added.areas.all()) == [world.west]
    assert added.phone == "01736 365000"


@pytest.mark.parametrize(
    ("areas", "refusal"),
    [(["east"], PermissionDenied), (["west", "east"], PermissionDenied), ([], ValidationError)],
)
def test_a_new_service_needs_one_of_the_coordinators_areas_and_no_other(world, areas, refusal):
    with pytest.raises(refusal):
        services.service_create(
            by=world.coordinator, **service_fields(areas=[getattr(world, name) for name in areas])
        )
    assert not Service.objects.exists()


@pytest.mark.parametrize("actor", ["team_leader", "volunteer", "manager", "mdt_chair", "no_role"])
def test_only_coordinators_add_to_the_directory(world, actor):
    with pytest.raises(PermissionDenied):
        services.service_create(by=getattr(world, actor), **service_fields(areas=[world.west]))
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    "actor", ["other_coordinator", "team_leader", "volunteer", "manager", "mdt_chair", "no_role"]
)
def test_only_a_coordinator_of_one_of_its_areas_may_change_a_service_and_nothing_changes(world, actor):
    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    before = service_state(transport)

    with pytest.raises(Http404):
        services.service_update(
            service=transport, by=getattr(world, actor), **service_fields(name="Renamed", areas=[world.east])
        )

    assert service_state(transport) == before


def test_a_change_to_a_service_is_kept_in_its_history_areas_included(world, shared):
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    with set_actor(world.other_coordinator):
        services.service_update(
            service=shared, by=world.other_coordinator, **service_fields(phone="01208 000111", areas=[])
        )

    entries = LogEntry.objects.get_for_object(shared).filter(actor=world.other_coordinator)
    changed = {name for entry in entries for name in entry.changes_dict}
    assert {"phone", "areas"} <= changed


# --- The on-call rota ---------------------------------------------------------------------


def shift_fields(world, **changes) -> dict:
    start = timezone.now() + datetime.timedelta(days=1)
    return {
        "area": world.west,
        "team_leader": world.team_leader,
        "backup": None,
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=8),
        **changes,
    }


def rota_state() -> list:
    return list(
        OnCallShift.objects.order_by("pk").values_list(
            "pk", "area", "team_leader", "backup", "starts_at", "ends_at"
        )
    )


def test_a_coordinator_puts_a_team_leader_of_their_area_on_call(world):
    shift = services.shift_create(by=world.coordinator, **shift_fields(world))
    assert (shift.area, shift.team_leader) == (world.west, world.team_leader)


@pytest.mark.parametrize(
    "actor", ["other_coordinator", "team_leader", "other_team_leader", "volunteer", "manager", "no_role"]
)
def test_only_a_coordinator_of_the_area_may_add_a_shift(world, actor):
    with pytest.raises(PermissionDenied):
        services.shift_create(by=getattr(world, actor), **shift_fields(world))
    assert not OnCallShift.objects.exists()


@pytest.mark.parametrize(
    ("actor", "refusal"),
    [
        ("other_coordinator", Http404),
        ("other_team_leader", Http404),
        ("volunteer", Http404),
        ("manager", Http404),
        ("team_leader", PermissionDenied),  # reads the area's rota, does not change it
    ],
)
def test_only_a_coordinator_of_the_area_may_change_a_shift_and_nothing_changes(world, actor, refusal):
    shift = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    before = rota_state()
    with pytest.raises(refusal):
        services.shift_update(
            shift=shift, by=getattr(world, actor), **shift_fields(world, ends_at=shift.ends_at + HOUR)
        )
    assert rota_state() == before


def test_a_coordinator_cannot_move_a_shift_to_an_area_where_they_do_not_work(world):
    shift = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    before = rota_state()
    with pytest.raises(PermissionDenied):
        services.shift_update(
            shift=shift,
            by=world.coordinator,
            **shift_fields(world, area=world.east, team_leader=world.other_team_leader),
        )
    assert rota_state() == before


def test_a_coordinator_changes_a_shift_and_it_is_kept_in_its_history(world):
    from auditlog.models import LogEntry

    shift = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    backup = UserFactory(first_name="Tamsin", roles=[Role.TEAM_LEADER], areas=[world.west])
    new_end = shift.ends_at + HOUR

    services.shift_update(
        shift=shift,
        by=world.coordinator,
        **shift_fields(world, backup=backup, starts_at=shift.starts_at, ends_at=new_end),
    )

    shift.refresh_from_db()
    assert (shift.backup, shift.ends_at) == (backup, new_end)
    change = LogEntry.objects.get_for_object(shift).get(action=LogEntry.Action.UPDATE)
    assert {"backup", "ends_at"} <= set(change.changes_dict)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"backup": "team_leader"}, "backup", "The back-up must be someone else."),
        ({"team_leader": "other_team_leader"}, "team_leader", "Tess Rowe is not a team leader in West"),
        ({"backup": "other_team_leader"}, "backup", "Tess Rowe is not a team leader in West Cornwall."),
        ({"starts": -datetime.timedelta(days=31)}, "starts_at", "cannot start more than 30 days ago"),
        ({"starts": datetime.timedelta(days=366)}, "starts_at", "cannot start more than a year from now"),
        ({"lasts": datetime.timedelta(days=14, hours=1)}, "ends_at", "can last at most 14 days"),
        ({"lasts": datetime.timedelta(0)}, "ends_at", "A shift must end after it starts."),
        ({"lasts": -HOUR}, "ends_at", "A shift must end after it starts."),
    ],
)
def test_a_shift_outside_the_rules_is_refused_in_plain_words_and_nothing_is_saved(
    world, changes, field, message
):
    fields = shift_fields(world)
    for name in ("team_leader", "backup"):
        if name in changes:
            fields[name] = getattr(world, changes[name])
    if "starts" in changes:
        fields["starts_at"] = timezone.now() + changes["starts"]
        fields["ends_at"] = fields["starts_at"] + 8 * HOUR
    if "lasts" in changes:
        fields["ends_at"] = fields["starts_at"] + changes["lasts"]

    with pytest.raises(ValidationError) as refused:
        services.shift_create(by=world.coordinator, **fields)

    assert any(message in text for text in refused.value.message_dict[field])
    assert not OnCallShift.objects.exists()


def test_a_shift_that_started_yesterday_and_lasts_a_fortnight_is_allowed(world):
    start = timezone.now() - datetime.timedelta(days=1)
    services.shift_create(
        by=world.coordinator,
        **shift_fields(world, starts_at=start, ends_at=start + datetime.timedelta(days=14)),
    )
    assert OnCallShift.objects.count() == 1


# --- The service refuses odd input too (admin, tasks and other views reach it without the form) ---


@pytest.mark.parametrize("typed", ["\u200b\u200b", "\u200b\u200c\u200d", "\ufeff \u2060", "\u202e", "\x00"])
def test_a_concern_whose_text_is_invisible_is_refused_by_the_service(world, typed):
    with pytest.raises(ValidationError, match=r"Say what you saw\."):
        report(world, what_was_seen=typed)
    assert counts() == (0, 0, 0)


def test_a_two_megabyte_concern_is_refused_by_the_service(world):
    with pytest.raises(ValidationError, match="What you saw: This is too long"):
        report(world, what_was_seen="x" * (2 * 1024 * 1024))
    assert counts() == (0, 0, 0)


def test_the_service_stores_a_concerns_text_normalised(world):
    risk = report(world, what_was_seen="\u200bShe fell.\r\nNo injury.\x07", action_taken="\u202eCalled 111")
    assert (risk.what_was_seen, risk.action_taken) == ("She fell.\nNo injury.", "Called 111")


@pytest.mark.parametrize(
    "observed_at",
    [
        datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
        "400 days ago",
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
    ],
)
def test_a_concern_seen_more_than_a_year_ago_or_in_the_far_future_is_refused_by_the_service(
    world, observed_at
):
    if observed_at == "400 days ago":
        observed_at = timezone.now() - datetime.timedelta(days=400)
    with pytest.raises(ValidationError, match="When you saw it"):
        report(world, observed_at=observed_at)
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("expected_response_on", "message"),
    [
        (datetime.date(9999, 12, 31), "within a year from today"),
        (datetime.date(1, 1, 1), "cannot be in the past"),
    ],
)
def test_a_reply_expected_outside_the_coming_year_is_refused_by_the_service(
    world, risk, expected_response_on, message
):
    with pytest.raises(ValidationError, match=message):
        services.risk_escalate(
            risk=risk,
            by=world.coordinator,
            key_worker="Dr Pengelly, GP",
            expected_response_on=expected_response_on,
        )
    assert not Referral.objects.exists()


def test_an_invisible_key_worker_is_no_key_worker(world, risk):
    with pytest.raises(ValidationError, match="name the key worker"):
        services.risk_escalate(risk=risk, by=world.coordinator, key_worker="\u200b\u2060")
    assert not Referral.objects.exists()


def test_an_outcome_and_a_reason_to_reopen_must_be_visible_text(world, risk, advance):
    advance(risk, Status.TRIAGED, world.coordinator)
    with pytest.raises(ValidationError, match="Write both"):
        services.risk_record_outcome(
            kind="support_arranged",
            risk=risk,
            by=world.coordinator,
            staff_summary="\u200b",
            volunteer_message="Thank you.",
        )
    services.risk_close(risk=risk, by=world.coordinator, reason="Resolved")
    with pytest.raises(ValidationError, match=r"Say why the concern is being reopened\."):
        services.risk_reopen(risk=risk, by=world.coordinator, note="\ufeff\u200b")
    assert RiskReport.objects.get(pk=risk.pk).status == Status.CLOSED
