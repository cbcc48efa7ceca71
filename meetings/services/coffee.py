"""Coffee mornings: concerns raised there, and the chase of minutes left unfinalised."""

from __future__ import annotations

import datetime
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import Route, User
from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from meetings.models import (
    AgendaItem,
    AgendaItemResult,
    Attendance,
    AttendanceResponse,
    AttendanceRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from meetings.services.agenda import (
    _next_position,
)
from meetings.services.base import (
    _check_open,
    _check_runs,
    _locked,
    _name,
)
from meetings.services.planning import (
    items_without_owner,
)
from risks import services as risk_services
from risks.models import RiskCategory

# --- Coffee mornings --------------------------------------------------------------------------


class RaisedConcern(TypedDict, total=False):
    action_taken: str
    client_wishes: str


@transaction.atomic
def coffee_concern_raise(
    *,
    meeting: Meeting,
    by: User,
    volunteer: User,
    client: Client,
    category: RiskCategory,
    severity: str,
    what_was_seen: str,
    observed_at: datetime.datetime,
    **details: Unpack[RaisedConcern],
) -> AgendaItem:
    """A concern a volunteer raises at a coffee morning, recorded by the coordinator on
    their behalf with the coffee morning route; it stays on the session's record until it
    has an owner and a due date."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if meeting.kind != MeetingKind.COFFEE_MORNING:
        raise ValidationError("Concerns are raised this way at coffee mornings only.")
    _check_open(meeting, "raising concerns")
    if client.area_id != meeting.area_id:
        raise ValidationError(f"{client.full_name} is not a client of {meeting.area.name}.")
    risk = risk_services.risk_report(
        by=by,
        on_behalf_of=volunteer,
        client=client,
        category=category,
        severity=severity,
        what_was_seen=what_was_seen,
        observed_at=observed_at,
        route=Route.COFFEE_MORNING,
        note=f"Raised by {_name(volunteer)} at {meeting.in_a_sentence}",
        **details,
    )
    attendance = Attendance.objects.filter(meeting=meeting, person=volunteer).first()
    if attendance is None:
        Attendance.objects.create(
            meeting=meeting,
            person=volunteer,
            role=AttendanceRole.VOLUNTEER,
            response=AttendanceResponse.ATTENDED,
        )
    elif attendance.response != AttendanceResponse.ATTENDED:
        attendance.response = AttendanceResponse.ATTENDED
        attendance.save(update_fields=["response"])
    return AgendaItem.objects.create(
        meeting=meeting,
        risk=risk,
        client=client,
        position=_next_position(meeting),
        presenter=volunteer,
        result=AgendaItemResult.RAISED,
        added_by=by,
    )


def coffee_mornings_chase_unfinalised(*, now=None) -> int:
    """Remind the chair of each coffee morning whose minutes are still not finalised
    COFFEE_MORNING_FINALISE_WITHIN_DAYS after it, once. Safe to run any number of times."""
    now = now or timezone.now()
    late = now - datetime.timedelta(days=settings.COFFEE_MORNING_FINALISE_WITHIN_DAYS)
    due = Meeting.objects.filter(
        kind=MeetingKind.COFFEE_MORNING,
        status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
        ends_at__lt=late,
        reminded_at__isnull=True,
    ).select_related("area", "chair")
    reminded = 0
    for meeting in due.iterator():
        with transaction.atomic():
            claimed = Meeting.objects.filter(pk=meeting.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            unowned = items_without_owner(meeting).count()
            waiting = (
                f" Concerns raised there that still need an owner and a due date: {unowned}."
                if unowned
                else ""
            )
            notify(
                recipient=meeting.chair,
                kind=Notification.Kind.REMINDER,
                title=f"Finalise the minutes: {meeting.title}"[:200],
                body=f"The minutes of {meeting.in_a_sentence} are not finalised yet.{waiting}",
                link=f"/meetings/{meeting.pk}/",
            )
            reminded += 1
    return reminded
