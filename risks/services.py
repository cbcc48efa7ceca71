"""The life of a risk. Every transition checks the current state, stamps the time, writes a
RiskEvent in the same transaction, and sends its notifications through the outbox."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone

from clients.models import Client, ConsentScope
from livingwell.accounts.models import Route, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import people_with_role_in, staff_areas_of
from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from risks.models import (
    SEVERITY_DESCRIPTIONS,
    OnCallShift,
    Outcome,
    Referral,
    RiskCategory,
    RiskEvent,
    RiskReport,
    Service,
    Severity,
    Status,
    target_for,
)

logger = logging.getLogger(__name__)

# Which transitions each state allows.
ALLOWED = {
    "triage": {Status.REPORTED},
    "escalate": {Status.REPORTED, Status.TRIAGED, Status.ESCALATED},
    "record_outcome": {Status.TRIAGED, Status.ESCALATED},
    "close": {Status.REPORTED, Status.TRIAGED, Status.ESCALATED, Status.OUTCOME_RECORDED},
    "reopen": {Status.OUTCOME_RECORDED, Status.CLOSED},
}
NO_ACTION_NEEDED = "No action needed"


def available_actions(risk: RiskReport) -> set[str]:
    """The transitions the risk's current state allows, for the page to offer."""
    return {action for action, states in ALLOWED.items() if risk.status in states}


# Clocks on phones drift: a few minutes ahead is "now", not "the future".
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _event(risk: RiskReport, *, by, from_status: str, to_status: str, note: str = "", at=None) -> RiskEvent:
    return RiskEvent.objects.create(
        risk=risk,
        actor=by,
        from_status=from_status,
        to_status=to_status,
        note=note.strip(),
        at=at or timezone.now(),
    )


def _locked(risk: RiskReport) -> RiskReport:
    # The owner is not joined here: a joined row read before the lock was granted would be
    # stale, and the owner is exactly what a concurrent triage changes.
    return RiskReport.objects.select_for_update(of=("self",)).select_related("client", "area").get(pk=risk.pk)


def _check_staff(by, risk: RiskReport) -> None:
    if not staff_areas_of(by).filter(area=risk.area_id).exists():
        raise PermissionDenied("Only coordinators and team leaders of this area may do this.")


def _check_allowed(risk: RiskReport, action: str, verb: str) -> None:
    if risk.status not in ALLOWED[action]:
        raise ValidationError(
            f"This concern cannot be {verb} now: it is {risk.get_status_display().lower()}."
        )


def on_call_now(area, at=None) -> OnCallShift | None:
    return OnCallShift.objects.at(at).filter(area=area).select_related("team_leader", "backup").first()


def team_leaders_of(area):
    return people_with_role_in(Role.TEAM_LEADER, [area])


def coordinators_of(area):
    return people_with_role_in(Role.COORDINATOR, [area])


@transaction.atomic
def risk_report(
    *,
    by: User,
    client: Client,
    category: RiskCategory,
    severity: str,
    what_was_seen: str,
    observed_at: datetime.datetime,
    action_taken: str = "",
    client_wishes: str = "",
    route: str | None = None,
    on_behalf_of: User | None = None,
) -> RiskReport:
    """A volunteer reports a concern about one of their own clients, or a team leader
    records one for a volunteer during a phone call."""
    now = timezone.now()
    if on_behalf_of is None:
        if not Client.objects.allocated_to(by).filter(pk=client.pk).exists():
            raise ValidationError("You can only report a concern about a client you visit.")
    else:
        if not (by.has_role(Role.TEAM_LEADER) and staff_areas_of(by).filter(area=client.area_id).exists()):
            raise PermissionDenied(
                "Only a team leader of the client's area can record a concern for a volunteer."
            )
        if not Client.objects.allocated_to(on_behalf_of).filter(pk=client.pk).exists():
            raise ValidationError(f"{on_behalf_of} does not visit {client.full_name}.")
        route = Route.TEAM_LEADER_PHONE
    if severity not in Severity.values:
        raise ValidationError("Choose how serious it is.")
    if observed_at > now + CLOCK_SKEW:
        raise ValidationError("When you saw it cannot be in the future.")
    if not what_was_seen.strip():
        raise ValidationError("Say what you saw.")
    area = client.area
    route = route or area.default_route
    if not area.allows(route):
        raise ValidationError(f"{area.name} does not use the route “{Route(route).label}”.")
    risk = RiskReport.objects.create(
        client=client,
        area=area,
        category=category,
        severity=severity,
        route=route,
        what_was_seen=what_was_seen.strip(),
        observed_at=observed_at,
        action_taken=action_taken.strip(),
        client_wishes=client_wishes.strip(),
        reported_by=by,
        on_behalf_of=on_behalf_of,
        reported_at=now,
        due_at=now + target_for(severity),
    )
    note = f"Recorded by phone for {on_behalf_of}" if on_behalf_of else ""
    _event(risk, by=by, from_status="", to_status=Status.REPORTED, note=note, at=now)
    if severity == Severity.URGENT:
        _alert_on_call(risk)
    return risk


def _alert_on_call(risk: RiskReport) -> list[User]:
    """An urgent concern goes at once to the team leader on call for the area; when nobody
    is on call (or they no longer lead there), to every team leader of the area; failing
    that, to its coordinators. Somebody who can act is always told."""
    shift = on_call_now(risk.area)
    leaders = team_leaders_of(risk.area)
    if shift and leaders.filter(pk=shift.team_leader_id).exists():
        people = [shift.team_leader]
    else:
        people = list(leaders) or list(coordinators_of(risk.area))
    if not people:
        logger.error(
            "Urgent concern %s in %s: nobody to alert (no team leader or coordinator)", risk.pk, risk.area
        )
    for person in people:
        notify(
            recipient=person,
            kind=Notification.Kind.URGENT_CONCERN,
            title=(
                f"Urgent concern: {risk.category.name}, {risk.client.full_name}, "
                f"reported {_day_and_time(risk.reported_at)}"
            ),
            body=(
                f"{risk.volunteer} reported an urgent concern about {risk.client.full_name} "
                f"({risk.area.name}). {SEVERITY_DESCRIPTIONS[Severity.URGENT]} Please look at it now."
            ),
            link=f"/risks/{risk.pk}/",
        )
    return people


@transaction.atomic
def risk_triage(*, risk: RiskReport, by: User, note: str = "") -> RiskReport:
    """Take ownership. The row lock means two people can never both take one concern:
    the second waits, then is told who took it."""
    risk = _locked(risk)
    _check_staff(by, risk)
    if risk.status != Status.REPORTED and risk.owner_id:
        taken = f"{timezone.localtime(risk.triaged_at):%H:%M on %d %b}" if risk.triaged_at else "already"
        raise ValidationError(f"{risk.owner} took this concern at {taken}.")
    _check_allowed(risk, "triage", "taken")
    now = timezone.now()
    risk.status, risk.owner, risk.triaged_at = Status.TRIAGED, by, now
    risk.save(update_fields=["status", "owner", "triaged_at"])
    _event(risk, by=by, from_status=Status.REPORTED, to_status=Status.TRIAGED, note=note, at=now)
    return risk


@transaction.atomic
def risk_escalate(
    *,
    risk: RiskReport,
    by: User,
    service: Service | None = None,
    key_worker: str = "",
    reference: str = "",
    expected_response_on: datetime.date | None = None,
    note: str = "",
) -> Referral:
    """Pass the concern on: a referral to a directory service, or to a named key worker."""
    risk = _locked(risk)
    _check_staff(by, risk)
    _check_allowed(risk, "escalate", "passed on")
    if service is None and not key_worker.strip():
        raise ValidationError("Choose a service from the directory or name the key worker.")
    if service is not None and not service.areas.filter(pk=risk.area_id).exists():
        raise ValidationError(f"{service.name} does not cover {risk.area.name}.")
    if expected_response_on and expected_response_on < timezone.localdate():
        raise ValidationError("The expected response date cannot be in the past.")
    now = timezone.now()
    referral = Referral.objects.create(
        risk=risk,
        service=service,
        key_worker=key_worker.strip(),
        reference=reference.strip(),
        expected_response_on=expected_response_on,
        made_by=by,
        made_at=now,
    )
    from_status = risk.status
    risk.status = Status.ESCALATED
    risk.owner = risk.owner or by
    risk.triaged_at = risk.triaged_at or now
    risk.escalated_at = risk.escalated_at or now
    risk.save(update_fields=["status", "owner", "triaged_at", "escalated_at"])
    _event(
        risk,
        by=by,
        from_status=from_status,
        to_status=Status.ESCALATED,
        note=f"Referred to {referral.target}. {note}".strip(),
        at=now,
    )
    return referral


@transaction.atomic
def risk_record_outcome(*, risk: RiskReport, by: User, staff_summary: str, volunteer_message: str) -> Outcome:
    """Record what happened, and send the good news to the volunteer who raised it."""
    risk = _locked(risk)
    _check_staff(by, risk)
    _check_allowed(risk, "record_outcome", "given an outcome")
    if not staff_summary.strip() or not volunteer_message.strip():
        raise ValidationError("Write both the summary for staff and the message for the volunteer.")
    now = timezone.now()
    outcome = Outcome.objects.create(
        risk=risk,
        staff_summary=staff_summary.strip(),
        volunteer_message=volunteer_message.strip(),
        recorded_by=by,
        recorded_at=now,
    )
    from_status = risk.status
    risk.status, risk.outcome_at = Status.OUTCOME_RECORDED, now
    risk.save(update_fields=["status", "outcome_at"])
    _event(risk, by=by, from_status=from_status, to_status=Status.OUTCOME_RECORDED, at=now)
    _send_good_news(risk, outcome)
    return outcome


def may_tell_volunteer(client: Client) -> bool:
    return client.consents.active().filter(scope=ConsentScope.OUTCOME_TO_VOLUNTEER).exists()


def _day(moment: datetime.datetime) -> str:
    """`3 Nov`, in local time."""
    return dateformat.format(timezone.localtime(moment), "j M")


def _day_and_time(moment: datetime.datetime) -> str:
    """`3 Nov, 14:05`, in local time."""
    return dateformat.format(timezone.localtime(moment), "j M, H:i")


def _in_a_sentence(name: str) -> str:
    """A category's name inside a sentence: "Falls and mobility" -> "falls and mobility"."""
    return name[:1].lower() + name[1:]


def _send_good_news(risk: RiskReport, outcome: Outcome) -> Notification:
    """What the volunteer hears follows the client's consent: the message itself when the
    client agreed their volunteer may be told, otherwise thanks without client detail."""
    # Two notifications about different concerns must not read the same: say which one
    # (its category and the day it was raised), and for whom only with consent.
    which = f"the {_in_a_sentence(risk.category.name)} concern you raised on {_day(risk.reported_at)}"
    if may_tell_volunteer(risk.client):
        title = f"Good news about {which} for {risk.client.called}"
        body = outcome.volunteer_message
    else:
        title = f"Good news about {which}"
        body = (
            "A concern you raised has been followed up and acted on. We cannot share the details, "
            "but thank you: noticing it and telling us made a difference."
        )
    return notify(
        recipient=risk.volunteer,
        kind=Notification.Kind.GOOD_NEWS,
        title=title,
        body=body,
        link=f"/risks/{risk.pk}/",
    )


@transaction.atomic
def risk_close(*, risk: RiskReport, by: User, reason: str) -> RiskReport:
    risk = _locked(risk)
    _check_staff(by, risk)
    _check_allowed(risk, "close", "closed")
    if not reason.strip():
        raise ValidationError("Say why the concern is being closed.")
    now = timezone.now()
    from_status = risk.status
    risk.status, risk.closed_at, risk.close_reason = Status.CLOSED, now, reason.strip()[:200]
    risk.owner = risk.owner or by
    risk.save(update_fields=["status", "closed_at", "close_reason", "owner"])
    _event(risk, by=by, from_status=from_status, to_status=Status.CLOSED, note=reason, at=now)
    return risk


@transaction.atomic
def risk_reopen(*, risk: RiskReport, by: User, note: str) -> RiskReport:
    """Reopen a concern: the person reopening it owns it, and it is due again from now."""
    risk = _locked(risk)
    _check_staff(by, risk)
    _check_allowed(risk, "reopen", "reopened")
    if not note.strip():
        raise ValidationError("Say why the concern is being reopened.")
    now = timezone.now()
    from_status = risk.status
    risk.status, risk.owner, risk.closed_at, risk.close_reason = Status.TRIAGED, by, None, ""
    risk.due_at = now + target_for(risk.severity)
    risk.last_reminded_on = None
    risk.save(update_fields=["status", "owner", "closed_at", "close_reason", "due_at", "last_reminded_on"])
    _event(risk, by=by, from_status=from_status, to_status=Status.TRIAGED, note=note, at=now)
    return risk


def risks_remind_overdue(*, now=None) -> int:
    """Remind the owner (or, when nobody owns it, the area's coordinators) of each concern
    past its target time, once per concern per day. Safe to run any number of times."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = (
        RiskReport.objects.filter(status__in=[Status.REPORTED, Status.TRIAGED], due_at__lt=now)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
        .select_related("owner", "client", "category", "area")
    )
    reminded = 0
    for risk in overdue.iterator():
        with transaction.atomic():
            # Claim today's reminder; a second sweep finds it already claimed.
            claimed = (
                RiskReport.objects.filter(pk=risk.pk)
                .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
                .update(last_reminded_on=today)
            )
            if not claimed:
                continue
            owner_still_here = risk.owner_id and staff_areas_of(risk.owner).filter(area=risk.area_id).exists()
            people = [risk.owner] if owner_still_here else list(coordinators_of(risk.area))
            late = now - risk.due_at
            hours = int(late.total_seconds() // 3600)
            for person in people:
                notify(
                    recipient=person,
                    kind=Notification.Kind.REMINDER,
                    title=f"Overdue: {risk.category.name} concern about {risk.client.full_name}",
                    body=(
                        f"This {risk.get_severity_display().lower()} concern is {hours} hour"
                        f"{'s' if hours != 1 else ''} past its target time and is "
                        f"{risk.get_status_display().lower()}."
                    ),
                    link=f"/risks/{risk.pk}/",
                )
            reminded += 1
    return reminded
