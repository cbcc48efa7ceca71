"""Actions agreed at a meeting, and the outcome recorded when the last is done."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.dates import a_year_ahead
from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from livingwell.text import clean_text
from meetings.models import (
    Action,
    AgendaItem,
    Meeting,
    MeetingStatus,
)
from meetings.services.base import (
    _check_runs,
    _locked,
    _name,
)
from risks import services as risk_services
from risks.models import RiskEvent, Service

# --- Actions ---------------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    by: User,
    what: str,
    due_on: datetime.date,
    item: AgendaItem | None = None,
    owner: User | None = None,
    service: Service | None = None,
) -> Action:
    """Record an action agreed at the meeting. Its owner is a person at the meeting or a
    directory service. On an item with an open concern, the concern is passed on to that
    owner, so its timeline shows the action, who owns it and by when."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.FINALISED):
        raise ValidationError(f"This meeting is {meeting.get_status_display().lower()}.")
    what = clean_text(
        what, max_length=500, required=True, what="The action", required_message="Say what is to be done."
    )
    if (owner is None) == (service is None):
        raise ValidationError("Choose who owns the action: a person at the meeting or a service.")
    if owner is not None and not meeting.attendances.filter(person=owner).exists():
        raise ValidationError(
            f"{_name(owner)} is not at this meeting: invite them first, or choose a service."
        )
    if service is not None:
        if not service.is_active:
            raise ValidationError(f"{service.name} is no longer taking referrals: choose another service.")
        if not service.areas.filter(pk=meeting.area_id).exists():
            raise ValidationError(f"{service.name} does not cover {meeting.area.name}.")
    if due_on < timezone.localdate():
        raise ValidationError("The due date cannot be in the past.")
    if due_on > a_year_ahead():
        raise ValidationError("The due date must be within a year from today. Check the year.")
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError("That item is not on this meeting's agenda.")
    if item is not None and item.risk_id and meeting.is_mdt and meeting.agenda_published_at is None:
        # Passing a client's concern on needs the chair to hold the client's summary, which
        # publishing the agenda grants.
        raise ValidationError("Publish the agenda before agreeing actions on its concerns.")
    action = Action.objects.create(
        meeting=meeting, item=item, what=what, owner=owner, service=service, due_on=due_on, created_by=by
    )
    if item is not None and item.risk_id:
        risk = item.risk
        if risk.status not in risk_services.ALLOWED["escalate"]:
            raise ValidationError(
                f"This concern is {risk.get_status_display().lower()}: "
                "reopen it before agreeing more actions."
            )
        risk_services.risk_escalate(
            risk=risk,
            by=by,
            service=service,
            key_worker="" if service else _name(owner),
            expected_response_on=due_on,
            note=f"Action agreed at {meeting.in_a_sentence}: {what} Due {due_on:%-d %B %Y}.",
        )
    if owner is not None and owner.pk != by.pk:
        notify(
            recipient=owner,
            kind=Notification.Kind.GENERAL,
            title=f"An action for you from {meeting.in_a_sentence}"[:200],
            body=f"{what} Due {due_on:%-d %B %Y}.",
            link=f"/meetings/{meeting.pk}/",
        )
    return action


@transaction.atomic
def action_complete(*, action: Action, by: User) -> Action:
    """Mark an action done: its owner, or whoever runs the meeting. The concern's timeline
    shows it."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("meeting__area", "meeting__practice", "item__risk")
        .get(pk=action.pk)
    )
    if action.owner_id != by.pk:
        _check_runs(by, action.meeting)
    if action.done_at is not None:
        raise ValidationError("This action is already done.")
    now = timezone.now()
    action.done_at, action.done_by = now, by
    action.save(update_fields=["done_at", "done_by"])
    risk = action.item.risk if action.item_id else None
    if risk is not None:
        RiskEvent.objects.create(
            risk=risk,
            actor=by,
            from_status=risk.status,
            to_status=risk.status,
            note=f"Action done: {action.what}",
            at=now,
        )
    return action


@transaction.atomic
def agenda_item_record_outcome(
    *, item: AgendaItem, by: User, kind: str, staff_summary: str, volunteer_message: str
):
    """Once every action on an item is done, whoever runs the meeting records the concern's
    outcome, which sends the good news to the volunteer who raised it."""
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    item = AgendaItem.objects.select_related("risk").get(pk=item.pk)
    if item.risk is None:
        raise ValidationError("This item has no concern.")
    if not item.actions.exists():
        raise ValidationError("Agree an action first.")
    if item.actions.filter(done_at__isnull=True).exists():
        raise ValidationError("Some actions are not done yet: the outcome is recorded once they all are.")
    return risk_services.risk_record_outcome(
        risk=item.risk, by=by, kind=kind, staff_summary=staff_summary, volunteer_message=volunteer_message
    )
