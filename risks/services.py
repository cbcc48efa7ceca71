"""The life of a risk. Every transition checks the current state, stamps the time, writes a
RiskEvent in the same transaction, and sends its notifications through the outbox."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone

from clients.models import Allocation, Client, ConsentScope
from livingwell.accounts.models import Area, Route, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import is_staff_of, people_with_role_in
from livingwell.dates import A_YEAR, a_year_ahead, long_date
from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from livingwell.text import clean_text
from risks.access import get_service_for_edit, get_shift_for, may_act_on
from risks.models import (
    SEVERITY_DESCRIPTIONS,
    OnCallShift,
    Outcome,
    OutcomeKind,
    Referral,
    RiskCategory,
    RiskEvent,
    RiskReport,
    Service,
    Severity,
    Status,
    target_for,
)
from risks.signals import risk_reported

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

# The longest each free-text box may be. Long enough to say what matters; a concern is
# read on a phone, and anything longer belongs in a conversation.
WHAT_WAS_SEEN_MAX_LENGTH = 4000
DETAIL_MAX_LENGTH = 2000  # what was done, what the client wants
SUMMARY_MAX_LENGTH = 2000  # an outcome, for staff and for the volunteer
NOTE_MAX_LENGTH = 1000


def observed_at_check(observed_at: datetime.datetime) -> None:
    """When a concern was seen: not in the future, not more than a year ago."""
    now = timezone.now()
    if observed_at > now + CLOCK_SKEW:
        raise ValidationError("When you saw it cannot be in the future.")
    if observed_at < now - A_YEAR:
        raise ValidationError(
            "When you saw it must be within the last year: check the date. "
            "For something older, talk to your coordinator."
        )


def plausible_written_at(
    written_at: datetime.datetime | None, *, arrived_at: datetime.datetime
) -> datetime.datetime | None:
    """When the phone says a report was written, if its clock can be believed: not after
    the report arrived (give or take CLOCK_SKEW), not more than a year before. A phone whose
    clock is wrong still sends a good report: the time is dropped, the report is not."""
    if written_at is None:
        return None
    try:
        if arrived_at - A_YEAR <= written_at <= arrived_at + CLOCK_SKEW:
            return written_at
    except OverflowError:  # year 1 or 9999 with an offset that takes it out of range
        pass
    return None


def _visited_on(volunteer: User, client: Client, day: datetime.date) -> bool:
    """Whether an allocation of this volunteer to this client was in effect on `day`. The
    day it ended counts: the last visit may be on that very day."""
    return (
        Allocation.objects.filter(client=client, volunteer__user=volunteer, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .exists()
    )


def _check_reporter_visits(by: User, client: Client, observed_at: datetime.datetime) -> None:
    """A volunteer reports about a client they visit now, or visited on the day they saw
    it: a report written with no signal may arrive after the allocation has ended."""
    if Client.objects.allocated_to(by).filter(pk=client.pk).exists():
        return
    seen_on = timezone.localdate(observed_at)
    if _visited_on(by, client, seen_on):
        return
    if not Allocation.objects.filter(client=client, volunteer__user=by).exists():
        # Never theirs: nothing about the client is said to them.
        raise ValidationError("You can only report a concern about a client you visit.")
    raise ValidationError(
        f"You did not visit {client.full_name} on {long_date(seen_on)}, when you saw this, "
        f"and you do not visit {client.called} now, so this report cannot be sent. "
        "Please phone your coordinator about it."
    )


def _note(note: str) -> str:
    return clean_text(note, max_length=NOTE_MAX_LENGTH, multiline=True, what="The note")


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
    if not is_staff_of(by, risk.area_id):
        raise PermissionDenied("Only coordinators and team leaders of this area may do this.")


def _check_may_act(by, risk: RiskReport) -> None:
    """Passing a concern on and recording its outcome: its area's staff, or the chair of a
    Multi-Disciplinary Team meeting that is discussing its client now."""
    if not may_act_on(by, risk):
        raise PermissionDenied(
            "Only coordinators and team leaders of this area, or the chair of the meeting "
            "discussing this client, may do this."
        )


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
    note: str = "",
    written_at: datetime.datetime | None = None,
) -> RiskReport:
    """A volunteer reports a concern about one of their own clients; or a team leader
    records one for a volunteer during a phone call (`on_behalf_of`: the phone line); or a
    coordinator or team leader records one a volunteer raised at a coffee morning
    (`on_behalf_of` with the coffee morning route). `note` goes on the first step of its
    timeline.

    A volunteer's report may have been kept on their phone with no signal and arrive late:
    it is accepted about a client they visit now or visited on the day it was seen.
    `written_at` is when the phone says it was written, kept if the phone's clock is
    plausible; `reported_at` is always when it arrived."""
    now = timezone.now()
    if on_behalf_of is None:
        # Checked first: whether they visited is decided by the day it was seen.
        observed_at_check(observed_at)
        _check_reporter_visits(by, client, observed_at)
    else:
        if route == Route.COFFEE_MORNING:
            if not is_staff_of(by, client.area_id):
                raise PermissionDenied(
                    "Only a coordinator or team leader of the client's area can record a concern "
                    "raised at its coffee morning."
                )
        else:
            if not is_staff_of(by, client.area_id, roles={Role.TEAM_LEADER}):
                raise PermissionDenied(
                    "Only a team leader of the client's area can record a concern for a volunteer."
                )
            route = Route.TEAM_LEADER_PHONE
            note = note or f"Recorded by phone for {on_behalf_of}"
        if not Client.objects.allocated_to(on_behalf_of).filter(pk=client.pk).exists():
            raise ValidationError(f"{on_behalf_of} does not visit {client.full_name}.")
    if severity not in Severity.values:
        raise ValidationError("Choose how serious it is.")
    if on_behalf_of is not None:
        observed_at_check(observed_at)
    what_was_seen = clean_text(
        what_was_seen,
        max_length=WHAT_WAS_SEEN_MAX_LENGTH,
        multiline=True,
        required=True,
        what="What you saw",
        required_message="Say what you saw.",
    )
    action_taken = clean_text(
        action_taken, max_length=DETAIL_MAX_LENGTH, multiline=True, what="What you have already done"
    )
    client_wishes = clean_text(
        client_wishes, max_length=DETAIL_MAX_LENGTH, multiline=True, what="What the client wants"
    )
    area = client.area
    if route is None and severity == Severity.URGENT and area.allows(Route.TEAM_LEADER_PHONE):
        # An urgent concern cannot wait for a meeting: it goes to the team leader on call.
        route = Route.TEAM_LEADER_PHONE
    route = route or area.default_route
    if not area.allows(route):
        raise ValidationError(f"{area.name} does not use the route “{Route(route).label}”.")
    # The checks above only read. The writes need no savepoint of their own inside a caller's
    # transaction (the one-time submission key's): if one fails, the caller's work is undone
    # with it, key and all, so the form can be sent again.
    with transaction.atomic(savepoint=False):
        risk = RiskReport.objects.create(
            client=client,
            area=area,
            category=category,
            severity=severity,
            route=route,
            what_was_seen=what_was_seen,
            observed_at=observed_at,
            action_taken=action_taken,
            client_wishes=client_wishes,
            reported_by=by,
            on_behalf_of=on_behalf_of,
            reported_at=now,
            written_at=plausible_written_at(written_at, arrived_at=now),
            due_at=now + target_for(severity),
        )
        _event(risk, by=by, from_status="", to_status=Status.REPORTED, note=note, at=now)
        if severity == Severity.URGENT:
            _alert_on_call(risk)
        risk_reported.send(sender=RiskReport, risk=risk, by=by)
    return risk


def on_call_people(area: Area) -> list[User]:
    """Who to tell when something in `area` cannot wait: the team leader on call now; when
    nobody is on call (or they no longer lead there), every team leader of the area;
    failing that, its coordinators. Somebody who can act is always told."""
    shift = on_call_now(area)
    leaders = list(team_leaders_of(area))
    if shift and any(leader.pk == shift.team_leader_id for leader in leaders):
        return [shift.team_leader]
    return leaders or list(coordinators_of(area))


def _alert_on_call(risk: RiskReport) -> list[User]:
    """An urgent concern goes at once to whoever is on call for the area."""
    people = on_call_people(risk.area)
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
                + _sent_late(risk)
            ),
            link=f"/risks/{risk.pk}/",
        )
    return people


def _sent_late(risk: RiskReport) -> str:
    """For the on-call alert of a report kept on a phone with no signal: it is older than
    it looks."""
    if risk.written_at is None:
        return ""
    return (
        f" It was seen {_day_and_time(risk.observed_at)} and written on the volunteer's phone "
        f"{_day_and_time(risk.written_at)}, where there was no signal to send it."
    )


@transaction.atomic
def risk_triage(*, risk: RiskReport, by: User, note: str = "") -> RiskReport:
    """Take ownership. The row lock means two people can never both take one concern:
    the second waits, then is told who took it."""
    note = _note(note)
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
    _check_may_act(by, risk)
    _check_allowed(risk, "escalate", "passed on")
    key_worker = clean_text(key_worker, max_length=200, what="Key worker")
    reference = clean_text(reference, max_length=100, what="Their reference")
    note = _note(note)
    if service is None and not key_worker:
        raise ValidationError("Choose a service from the directory or name the key worker.")
    if service is not None and not service.is_active:
        raise ValidationError(f"{service.name} is no longer taking referrals: choose another service.")
    if service is not None and not service.areas.filter(pk=risk.area_id).exists():
        raise ValidationError(f"{service.name} does not cover {risk.area.name}.")
    if expected_response_on and expected_response_on < timezone.localdate():
        raise ValidationError("The expected response date cannot be in the past.")
    if expected_response_on and expected_response_on > a_year_ahead():
        raise ValidationError("The expected response date must be within a year from today. Check the year.")
    now = timezone.now()
    referral = Referral.objects.create(
        risk=risk,
        service=service,
        key_worker=key_worker,
        reference=reference,
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
def risk_record_outcome(
    *, risk: RiskReport, by: User, kind: str, staff_summary: str, volunteer_message: str
) -> Outcome:
    """Record what happened, and send the good news to the volunteer who raised it."""
    risk = _locked(risk)
    _check_may_act(by, risk)
    _check_allowed(risk, "record_outcome", "given an outcome")
    if kind not in OutcomeKind.values:
        raise ValidationError("Choose what kind of outcome it was.")
    both = "Write both the summary for staff and the message for the volunteer."
    staff_summary = clean_text(
        staff_summary,
        max_length=SUMMARY_MAX_LENGTH,
        multiline=True,
        required=True,
        what="What happened (for staff)",
        required_message=both,
    )
    volunteer_message = clean_text(
        volunteer_message,
        max_length=SUMMARY_MAX_LENGTH,
        multiline=True,
        required=True,
        what="Message for the volunteer",
        required_message=both,
    )
    now = timezone.now()
    outcome = Outcome.objects.create(
        risk=risk,
        kind=kind,
        volunteer_told_detail=may_tell_volunteer(risk.client),
        staff_summary=staff_summary,
        volunteer_message=volunteer_message,
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
    if outcome.volunteer_told_detail:
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
    reason = clean_text(
        reason,
        max_length=200,
        required=True,
        what="Why it is closed",
        required_message="Say why the concern is being closed.",
    )
    now = timezone.now()
    from_status = risk.status
    risk.status, risk.closed_at, risk.close_reason = Status.CLOSED, now, reason
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
    note = clean_text(
        note,
        max_length=NOTE_MAX_LENGTH,
        multiline=True,
        required=True,
        what="Why it is reopened",
        required_message="Say why the concern is being reopened.",
    )
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
            owner_still_here = risk.owner_id and is_staff_of(risk.owner, risk.area_id)
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


# --- The directory ------------------------------------------------------------------------
# A coordinator keeps the directory entries of the areas where they work. A service shared
# with other areas is changed only in theirs: the other areas stay as they were, for those
# areas' coordinators to change.


def _directory_area_ids(by: User) -> set[int]:
    from risks.selectors import directory_areas_of

    return set(directory_areas_of(by).values_list("area", flat=True))


def _check_directory_areas(*, by: User, chosen: set[int], mine: set[int]) -> None:
    if not mine:
        raise PermissionDenied("Only coordinators keep the directory, for the areas where they work.")
    others = chosen - mine
    if others:
        names = ", ".join(Area.objects.filter(pk__in=others).order_by("name").values_list("name", flat=True))
        raise PermissionDenied(
            f"You can only add a service to the areas where you work, not to {names or 'that area'}."
        )


def _set_service_fields(service: Service, **fields) -> None:
    for name, value in fields.items():
        setattr(service, name, value)
    service.full_clean()
    service.save()


@transaction.atomic
def service_create(
    *,
    by: User,
    name: str,
    kind: str,
    is_medical: bool = False,
    helps_with: str,
    contact_person: str = "",
    phone: str = "",
    email: str = "",
    hours: str = "",
    website: str = "",
    areas: Iterable[Area],
    categories: Iterable[RiskCategory] = (),
    is_active: bool = True,
) -> Service:
    """Add a service to the directory, in one or more of the areas where `by` is a coordinator."""
    mine = _directory_area_ids(by)
    chosen = {area.pk for area in areas}
    _check_directory_areas(by=by, chosen=chosen, mine=mine)
    if not chosen:
        raise ValidationError({"areas": "Choose at least one of your areas that the service covers."})
    service = Service()
    _set_service_fields(
        service,
        name=name,
        kind=kind,
        is_medical=is_medical,
        helps_with=helps_with,
        contact_person=contact_person,
        phone=phone,
        email=email,
        hours=hours,
        website=website,
        is_active=is_active,
    )
    service.areas.set(chosen)
    service.categories.set(list(categories))
    return service


@transaction.atomic
def service_update(
    *,
    service: Service,
    by: User,
    name: str,
    kind: str,
    is_medical: bool = False,
    helps_with: str,
    contact_person: str = "",
    phone: str = "",
    email: str = "",
    hours: str = "",
    website: str = "",
    areas: Iterable[Area],
    categories: Iterable[RiskCategory] = (),
    is_active: bool = True,
) -> Service:
    """Change a service that covers one of the areas where `by` is a coordinator (404
    otherwise). `areas` are the areas of `by`'s that it covers from now on; the service's
    other areas are kept as they are."""
    # Locked, so that coordinators of two areas saving a shared service at once each keep
    # the other's areas.
    service = Service.objects.select_for_update().get(pk=service.pk)
    get_service_for_edit(by, service.pk)
    mine = _directory_area_ids(by)
    chosen = {area.pk for area in areas}
    _check_directory_areas(by=by, chosen=chosen, mine=mine)
    current = set(service.areas.values_list("pk", flat=True))
    wanted = (current - mine) | chosen
    if not wanted:
        raise ValidationError({"areas": "A service must cover at least one area: tick the areas it covers."})
    _set_service_fields(
        service,
        name=name,
        kind=kind,
        is_medical=is_medical,
        helps_with=helps_with,
        contact_person=contact_person,
        phone=phone,
        email=email,
        hours=hours,
        website=website,
        is_active=is_active,
    )
    if wanted != current:
        service.areas.set(wanted)
    categories = {category.pk for category in categories}
    if categories != set(service.categories.values_list("pk", flat=True)):
        service.categories.set(categories)
    return service


# --- The on-call rota ---------------------------------------------------------------------
# A shift is planned, or corrected, within a plausible window: a date typed with the wrong
# year would otherwise leave the phone line without anybody on call.
SHIFT_EARLIEST_START = datetime.timedelta(days=30)
SHIFT_LATEST_START = datetime.timedelta(days=365)
SHIFT_LONGEST = datetime.timedelta(days=14)


def _check_rota_keeper(by: User, area: Area) -> None:
    if not is_staff_of(by, area, roles={Role.COORDINATOR}):
        raise PermissionDenied(f"Only coordinators of {area.name} may change its rota.")


def check_shift(
    *,
    area: Area,
    team_leader: User,
    backup: User | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    now: datetime.datetime | None = None,
) -> None:
    """The rules every shift keeps, raised together as one ValidationError by field."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    leaders_here = team_leaders_of(area)
    # Whoever is on call must be able to open the area's concerns.
    if not leaders_here.filter(pk=team_leader.pk).exists():
        errors.setdefault("team_leader", []).append(
            f"{team_leader.get_full_name() or team_leader} is not a team leader in {area.name}."
        )
    if backup is not None:
        if backup.pk == team_leader.pk:
            errors.setdefault("backup", []).append("The back-up must be someone else.")
        elif not leaders_here.filter(pk=backup.pk).exists():
            errors.setdefault("backup", []).append(
                f"{backup.get_full_name() or backup} is not a team leader in {area.name}."
            )
    if starts_at < now - SHIFT_EARLIEST_START:
        errors.setdefault("starts_at", []).append(
            f"A shift cannot start more than {SHIFT_EARLIEST_START.days} days ago. Check the date and year."
        )
    elif starts_at > now + SHIFT_LATEST_START:
        errors.setdefault("starts_at", []).append(
            "A shift cannot start more than a year from now. Check the date and year."
        )
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append("A shift must end after it starts.")
    elif ends_at - starts_at > SHIFT_LONGEST:
        errors.setdefault("ends_at", []).append(
            f"A shift can last at most {SHIFT_LONGEST.days} days. Add a longer spell as several shifts."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def shift_create(
    *,
    by: User,
    area: Area,
    team_leader: User,
    backup: User | None = None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> OnCallShift:
    """Put a team leader of `area` on call, by a coordinator of that area."""
    _check_rota_keeper(by, area)
    check_shift(area=area, team_leader=team_leader, backup=backup, starts_at=starts_at, ends_at=ends_at)
    shift = OnCallShift(
        area=area, team_leader=team_leader, backup=backup, starts_at=starts_at, ends_at=ends_at
    )
    shift.full_clean()
    shift.save()
    return shift


@transaction.atomic
def shift_update(
    *,
    shift: OnCallShift,
    by: User,
    area: Area,
    team_leader: User,
    backup: User | None = None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> OnCallShift:
    """Change a shift of an area where `by` works (404 otherwise); they must be a
    coordinator of its area, and of the area it moves to."""
    shift = OnCallShift.objects.select_for_update().get(pk=get_shift_for(by, shift.pk).pk)
    _check_rota_keeper(by, shift.area)
    _check_rota_keeper(by, area)
    check_shift(area=area, team_leader=team_leader, backup=backup, starts_at=starts_at, ends_at=ends_at)
    shift.area, shift.team_leader, shift.backup = area, team_leader, backup
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift.full_clean()
    shift.save()
    return shift
