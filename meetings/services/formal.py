"""The formal meeting route: concerns routed to the formal monthly meeting gather on its
agenda, are flagged when it is too late for them, and are decided there."""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from livingwell.accounts.models import Area, Route, User
from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from livingwell.text import clean_text
from meetings.models import (
    NOTE_MAX_LENGTH,
    AgendaItem,
    AgendaItemResult,
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
    _when,
)
from risks import services as risk_services
from risks.models import RiskReport, Service, Status

# --- The formal meeting route ---------------------------------------------------------------


def next_formal_meeting(area: Area, now=None) -> Meeting | None:
    return (
        Meeting.objects.upcoming(now)
        .filter(area=area, kind=MeetingKind.FORMAL, starts_at__gt=now or timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )


def formal_agenda_add(risk: RiskReport, *, just_reported: bool = False) -> AgendaItem | None:
    """Put a concern routed to the formal meeting on its area's next one (last), unless it is
    on one already (a concern `just_reported` cannot be); then tell the on-call team leader
    if that meeting is too late for it."""
    meeting = next_formal_meeting(risk.area)
    item = None
    if meeting is not None:
        if not just_reported:
            item = AgendaItem.objects.filter(meeting=meeting, risk=risk).first()
        if item is None:
            item = AgendaItem.objects.create(
                meeting=meeting,
                risk=risk,
                client=risk.client,
                position=_next_position(meeting),
                added_by_id=meeting.chair_id,
            )
    _check_can_wait(risk, meeting)
    return item


def formal_agenda_gather(meeting: Meeting) -> int:
    """Open concerns of the area routed to the formal meeting that are on no planned
    meeting yet join this one, oldest first (newest last)."""
    waiting = (
        RiskReport.objects.filter(
            area=meeting.area, route=Route.FORMAL_MEETING, status__in=[Status.REPORTED, Status.TRIAGED]
        )
        .exclude(
            Exists(
                AgendaItem.objects.filter(risk=OuterRef("pk")).filter(
                    Q(meeting__status=MeetingStatus.PLANNED, meeting__kind=MeetingKind.FORMAL) | ~Q(result="")
                )
            )
        )
        .select_related("area", "client", "category")
        .order_by("reported_at", "pk")
    )
    position = _next_position(meeting)
    added = 0
    for risk in waiting:
        AgendaItem.objects.create(
            meeting=meeting, risk=risk, client=risk.client, position=position, added_by_id=meeting.chair_id
        )
        position += 1
        added += 1
        _check_can_wait(risk, meeting)
    return added


def _check_can_wait(risk: RiskReport, meeting: Meeting | None) -> bool:
    """A concern that would reach its meeting after its target time cannot wait for it: it
    is flagged, and the on-call team leader is told, once. Returns whether it can wait."""
    if meeting is not None and meeting.starts_at <= risk.due_at:
        return True
    if risk.status not in (Status.REPORTED,):
        return True
    flagged = RiskReport.objects.filter(pk=risk.pk, too_late_for_meeting_at__isnull=True).update(
        too_late_for_meeting_at=timezone.now()
    )
    if not flagged:
        return False
    when = (
        f"The next formal meeting is {_when(meeting.starts_at)}"
        if meeting
        else "No formal meeting is planned"
    )
    for person in risk_services.on_call_people(risk.area):
        notify(
            recipient=person,
            kind=Notification.Kind.URGENT_CONCERN,
            title=f"Cannot wait for the meeting: {risk.category.name}, {risk.client.full_name}"[:200],
            body=(
                f"A {risk.get_severity_display().lower()} concern about {risk.client.full_name} "
                f"({risk.area.name}) should be acted on by {_when(risk.due_at)}. {when}, which is too late: "
                "please take it now."
            ),
            link=f"/risks/{risk.pk}/",
        )
    return False


def on_risk_reported(sender, *, risk: RiskReport, **kwargs) -> None:
    """A concern routed to the formal meeting joins the next one's agenda as it is reported."""
    if risk.route == Route.FORMAL_MEETING:
        formal_agenda_add(risk, just_reported=True)


def _discussed(meeting: Meeting, note: str) -> str:
    return f"Discussed at {meeting.in_a_sentence}. {note}".strip()


class Conclusion(TypedDict, total=False):
    note: str
    service: Service | None
    key_worker: str
    reason: str


@transaction.atomic
def agenda_item_conclude(
    *, item: AgendaItem, by: User, decision: str, **details: Unpack[Conclusion]
) -> AgendaItem:
    """What the meeting decided about a concern on its agenda: take it on ("taken"), pass it
    on ("referred") or close it ("closed"), through the risk services, so that the concern's
    timeline says it was discussed at this meeting."""
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    _check_open(meeting, "recording decisions")
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("risk").get(pk=item.pk)
    if item.risk is None:
        raise ValidationError("This item has no concern to decide on.")
    note = details.get("note", "")
    if decision == AgendaItemResult.TAKEN:
        risk_services.risk_triage(risk=item.risk, by=by, note=_discussed(meeting, note))
    elif decision == AgendaItemResult.REFERRED:
        risk_services.risk_escalate(
            risk=item.risk,
            by=by,
            service=details.get("service"),
            key_worker=details.get("key_worker", ""),
            note=_discussed(meeting, note),
        )
    elif decision == AgendaItemResult.CLOSED:
        reason = clean_text(
            details.get("reason", ""),
            max_length=150,
            required=True,
            what="Why it is closed",
            required_message="Say why the concern is being closed.",
        )
        risk_services.risk_close(
            risk=item.risk, by=by, reason=f"{reason} (discussed at {meeting.in_a_sentence})"[:200]
        )
    else:
        raise ValidationError("Choose what the meeting decided.")
    item.result = decision
    item.discussion_note = clean_text(note, max_length=NOTE_MAX_LENGTH, multiline=True, what="The note")
    item.save(update_fields=["result", "discussion_note"])
    return item
