"""The agenda's order and clock times: items a volunteer presents first, each taking its
minutes from the meeting's start."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max

from meetings.models import (
    AgendaItem,
    Meeting,
)

# --- Agenda order and slots -----------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    item: AgendaItem
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def agenda_slots(meeting: Meeting, items: Iterable[AgendaItem] | None = None) -> list[Slot]:
    """The agenda in order with a clock time per item: items a volunteer presents first,
    then the rest, each taking its minutes from the meeting's start."""
    if items is None:
        items = meeting.items.order_by("-presented_by_volunteer", "position", "pk")
    slots, at = [], meeting.starts_at
    for item in items:
        ends = at + datetime.timedelta(minutes=item.minutes)
        slots.append(Slot(item=item, starts_at=at, ends_at=ends))
        at = ends
    return slots


def volunteers_leave_at(slots: list[Slot]) -> datetime.datetime | None:
    volunteer_slots = [slot for slot in slots if slot.item.presented_by_volunteer]
    return volunteer_slots[-1].ends_at if volunteer_slots else None


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


def volunteer_windows(meeting: Meeting) -> dict[int, tuple[datetime.datetime, datetime.datetime]]:
    """For each volunteer presenting at an MDT meeting: from the start of their first slot
    to the end of their last (the times their invitation gives)."""
    windows: dict[int, tuple[datetime.datetime, datetime.datetime]] = {}
    for slot in agenda_slots(meeting):
        person = slot.item.presenter_id
        if slot.item.presented_by_volunteer and person:
            starts_at, ends_at = windows.get(person, (slot.starts_at, slot.ends_at))
            windows[person] = (min(starts_at, slot.starts_at), max(ends_at, slot.ends_at))
    return windows
