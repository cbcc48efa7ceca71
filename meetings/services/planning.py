"""Planning a meeting and running it: inviting, moving, cancelling, attendance, notes,
the agenda's order, and finalising the minutes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import Area, GPPractice, User
from livingwell.text import clean_text, normalise_text
from meetings import access
from meetings.models import (
    NOTE_MAX_LENGTH,
    PLACE_MAX_LENGTH,
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
    volunteer_windows,
)
from meetings.services.base import (
    SLOT_MINUTES,
    _check_may_plan,
    _check_open,
    _check_runs,
    _locked,
    _when,
    check_times,
)
from meetings.services.formal import (
    _check_can_wait,
    formal_agenda_add,
    formal_agenda_gather,
)
from meetings.services.invitations import (
    _add_attendance,
    _check_invitee,
    _send_invitation,
    _tell_volunteers_their_new_times,
)
from risks.models import RiskReport


class MeetingDetails(TypedDict, total=False):
    notes: str


@transaction.atomic
def meeting_plan(
    *,
    by: User,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    area: Area | None = None,
    practice: GPPractice | None = None,
    invitees: Iterable[tuple[User, str]] = (),
) -> Meeting:
    """Plan a meeting chaired by `by`, invite people (each with their role at it) and send
    each an invitation with a calendar file. A formal meeting gathers the area's concerns
    routed to it that are not on another planned meeting."""
    if kind not in MeetingKind.values:
        raise ValidationError("Choose the kind of meeting.")
    if kind == MeetingKind.MDT:
        if practice is None:
            raise ValidationError({"practice": "Choose the GP practice."})
        area = practice.area
    else:
        practice = None
        if area is None:
            raise ValidationError({"area": "Choose the area."})
    _check_may_plan(by, kind, area, practice)
    check_times(starts_at=starts_at, ends_at=ends_at)
    place = clean_text(
        place,
        max_length=PLACE_MAX_LENGTH,
        required=True,
        what="Where",
        required_message="Say where the meeting is.",
    )
    meeting = Meeting(
        kind=kind,
        area=area,
        practice=practice,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        chair=by,
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    Attendance.objects.create(meeting=meeting, person=by, role=AttendanceRole.CHAIR)
    for person, role in invitees:
        if person.pk == by.pk:
            continue
        _check_invitee(meeting, person, role)
        _add_attendance(meeting, person, role)
    if kind == MeetingKind.FORMAL:
        formal_agenda_gather(meeting)
    return meeting


@transaction.atomic
def meeting_invite(*, meeting: Meeting, by: User, person: User, role: str) -> Attendance:
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    _check_open(meeting, "inviting people")
    _check_invitee(meeting, person, role)
    attendance = _add_attendance(meeting, person, role)
    if meeting.is_mdt and role == AttendanceRole.CLINICIAN:
        for client in Client.objects.filter(agenda_items__meeting=meeting).distinct():
            access.summary_access_sync(client)
    return attendance


@transaction.atomic
def meeting_reschedule(
    *, meeting: Meeting, by: User, starts_at: datetime.datetime, ends_at: datetime.datetime, place: str
) -> Meeting:
    """Change the time or place, and send everybody invited an updated calendar file."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("Only a planned meeting can be moved.")
    check_times(starts_at=starts_at, ends_at=ends_at)
    place = clean_text(
        place,
        max_length=PLACE_MAX_LENGTH,
        required=True,
        what="Where",
        required_message="Say where the meeting is.",
    )
    if (starts_at, ends_at, place) == (meeting.starts_at, meeting.ends_at, meeting.place):
        return meeting
    before = f"It was {_when(meeting.starts_at)}, at {meeting.place}."
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place
    meeting.invitation_sequence += 1
    meeting.full_clean()
    meeting.save(update_fields=["starts_at", "ends_at", "place", "invitation_sequence"])
    for attendance in meeting.attendances.select_related("person", "meeting__chair").exclude(person=by):
        attendance.meeting = meeting
        _send_invitation(attendance, heading="Meeting changed", detail=before)
    if meeting.kind == MeetingKind.FORMAL:
        for item in meeting.items.filter(risk__isnull=False).select_related(
            "risk__area", "risk__client", "risk__category"
        ):
            _check_can_wait(item.risk, meeting)
    if meeting.is_mdt:
        for client in Client.objects.filter(agenda_items__meeting=meeting).distinct():
            access.summary_access_sync(client)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Cancel a planned meeting and send everybody a cancellation. Concerns waiting on a
    formal meeting's agenda move to the next one (or are flagged when it is too late)."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("Only a planned meeting can be cancelled.")
    reason = clean_text(
        reason,
        max_length=200,
        required=True,
        what="Why",
        required_message="Say why the meeting is cancelled.",
    )
    meeting.status, meeting.cancelled_reason = MeetingStatus.CANCELLED, reason
    meeting.invitation_sequence += 1
    meeting.save(update_fields=["status", "cancelled_reason", "invitation_sequence"])
    for attendance in meeting.attendances.select_related("person").exclude(person=by):
        attendance.meeting = meeting
        _send_invitation(attendance, heading="Meeting cancelled", detail=f"Reason: {reason}")
    if meeting.kind == MeetingKind.FORMAL:
        waiting = list(
            RiskReport.objects.open()
            .filter(agenda_items__meeting=meeting, agenda_items__result="")
            .select_related("area", "client", "category")
        )
        meeting.items.filter(result="").delete()
        for risk in waiting:
            formal_agenda_add(risk)
    if meeting.is_mdt:
        for client in Client.objects.filter(agenda_items__meeting=meeting).distinct():
            access.summary_access_sync(client)
    return meeting


@transaction.atomic
def attendance_record(*, meeting: Meeting, by: User, responses: dict[int, str]) -> int:
    """Record who came and who sent apologies ({attendance id: response}). Returns how many changed."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if meeting.status in (MeetingStatus.CANCELLED,):
        raise ValidationError("This meeting was cancelled.")
    changed = 0
    for attendance in meeting.attendances.filter(pk__in=responses):
        response = responses[attendance.pk]
        if response not in AttendanceResponse.values:
            raise ValidationError("Choose invited, attended or sent apologies.")
        if attendance.response != response:
            attendance.response = response
            attendance.save(update_fields=["response"])
            changed += 1
    if meeting.is_mdt:
        for client in Client.objects.filter(agenda_items__meeting=meeting).distinct():
            access.summary_access_sync(client)
    return changed


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by: User) -> Meeting:
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(f"This meeting is {meeting.get_status_display().lower()}.")
    if meeting.starts_at > timezone.now():
        raise ValidationError("A meeting can be marked as held once it has started.")
    meeting.status, meeting.held_at = MeetingStatus.HELD, timezone.now()
    meeting.save(update_fields=["status", "held_at"])
    return meeting


def items_without_owner(meeting: Meeting):
    """Concerns raised at a meeting that have no action with an owner and a due date."""
    return (
        meeting.items.filter(result=AgendaItemResult.RAISED)
        .exclude(actions__isnull=False)
        .select_related("risk__category", "client")
    )


@transaction.atomic
def meeting_finalise(*, meeting: Meeting, by: User) -> Meeting:
    """Finalise the minutes. Nothing leaves a coffee morning without an owner: every
    concern raised there needs an action with an owner and a due date first."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("Mark the meeting as held before finalising its minutes.")
    unowned = list(items_without_owner(meeting))
    if unowned:
        names = "; ".join(
            f"{item.risk.category.name} concern about {item.client.full_name}" for item in unowned
        )
        raise ValidationError(
            f"Give every concern raised here an owner and a due date before finalising: {names}."
        )
    meeting.status, meeting.finalised_at, meeting.finalised_by = MeetingStatus.FINALISED, timezone.now(), by
    meeting.save(update_fields=["status", "finalised_at", "finalised_by"])
    return meeting


# What may stick to a word in running text: "Trewin's" is still the name Trewin.
PUNCTUATION = ".,;:!?()[]\"'\u2019"


def client_names_in(text: str, area: Area) -> list[str]:
    """The surnames of the area's clients that appear, as whole words, in `text`."""
    words = {word.strip(PUNCTUATION).casefold() for word in normalise_text(text).split()}
    # strip() leaves the possessive inside the word: "trewin's" is looked up as "trewin" too.
    words |= {word[:-2].strip(PUNCTUATION) for word in words if word.endswith(("'s", "\u2019s"))}
    words = {word for word in words if len(word) > 1}
    if not words:
        return []
    surnames = (
        Client.objects.filter(area=area)
        .annotate(surname=Lower("last_name"))
        .filter(surname__in=words)
        .values_list("last_name", flat=True)
        .distinct()
    )
    return sorted(set(surnames[:20]))


@transaction.atomic
def meeting_notes_save(*, meeting: Meeting, by: User, notes: str, names_checked: bool = False) -> Meeting:
    """The themes of a coffee morning (or a meeting's general minutes). They must not name
    clients: a name of one of the area's clients is refused unless the person confirms it
    is not about that client."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if meeting.status == MeetingStatus.FINALISED:
        raise ValidationError("The minutes are finalised.")
    notes = clean_text(notes, max_length=NOTE_MAX_LENGTH, multiline=True, what="The notes")
    names = client_names_in(notes, meeting.area)
    if names and not names_checked:
        raise ClientNamesFound(names)
    meeting.notes = notes
    meeting.save(update_fields=["notes"])
    return meeting


class ClientNamesFound(ValidationError):
    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(
            f"These notes seem to name a client: {', '.join(names)}. Write themes, not people: "
            "remove the name, or tick the box to confirm it is not about that client."
        )


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: User, up: bool) -> AgendaItem:
    """Swap an item with its neighbour (items a volunteer presents stay first)."""
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    _check_open(meeting, "changing the agenda")
    ordered = list(
        meeting.items.filter(presented_by_volunteer=item.presented_by_volunteer).order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    neighbour = index - 1 if up else index + 1
    if 0 <= neighbour < len(ordered):
        before = volunteer_windows(meeting)
        ordered[index], ordered[neighbour] = ordered[neighbour], ordered[index]
        for position, other in enumerate(ordered, start=1):
            if other.position != position:
                AgendaItem.objects.filter(pk=other.pk).update(position=position)
        _tell_volunteers_their_new_times(meeting, before)
    return AgendaItem.objects.get(pk=item.pk)


@transaction.atomic
def agenda_item_set_minutes(*, item: AgendaItem, by: User, minutes: int) -> AgendaItem:
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    _check_open(meeting, "changing the agenda")
    low, high = SLOT_MINUTES
    if not low <= minutes <= high:
        raise ValidationError(f"Give each item between {low} and {high} minutes.")
    before = volunteer_windows(meeting)
    AgendaItem.objects.filter(pk=item.pk).update(minutes=minutes)
    _tell_volunteers_their_new_times(meeting, before)
    return AgendaItem.objects.get(pk=item.pk)
