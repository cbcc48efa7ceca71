"""Planning and running meetings. Every change checks who is asking and the meeting's
state, writes in one transaction, and sends its invitations through the outbox; what a
meeting decides about a concern goes through the risk services, so the concern's timeline
says where it was decided."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import dateformat, timezone

from clients.models import Client, Consent, ConsentScope
from livingwell.accounts.models import Area, GPPractice, PracticeMembership, Route, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import is_staff_of
from livingwell.dates import a_year_ahead
from livingwell.notifications.calendar import calendar_invite
from livingwell.notifications.models import Notification
from livingwell.notifications.services import Attachment, notify
from livingwell.text import clean_text, normalise_text
from meetings import access
from meetings.models import (
    NOTE_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    PROTOCOL_MAX_LENGTH,
    Action,
    AgendaItem,
    AgendaItemResult,
    Attendance,
    AttendanceResponse,
    AttendanceRole,
    LocalProtocol,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from risks import services as risk_services
from risks.models import RiskCategory, RiskEvent, RiskReport, Service, Status
from volunteers.models import Volunteer

# A meeting may be recorded a little after it happened (a coffee morning written up the
# next week), and planned up to a year ahead.
EARLIEST_START = datetime.timedelta(days=30)
LONGEST = datetime.timedelta(hours=12)
SLOT_MINUTES = (5, 60)


def _when(moment: datetime.datetime) -> str:
    """`Tuesday 12 March 2027 at 10:00`, in local time."""
    return dateformat.format(timezone.localtime(moment), "l j F Y \\a\\t H:i")


def _time(moment: datetime.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "H:i")


def _name(user: User) -> str:
    return user.get_full_name() or user.username


# --- Who runs what ------------------------------------------------------------------------


def _check_may_plan(by: User, kind: str, area: Area | None, practice: GPPractice | None) -> None:
    if kind == MeetingKind.MDT:
        chairs_here = PracticeMembership.objects.current().filter(user=by, practice=practice).exists()
        if not (by.has_role(Role.MDT_CHAIR) and chairs_here):
            raise PermissionDenied(
                "Only the chair of this practice's Multi-Disciplinary Team meeting may plan it."
            )
    elif not is_staff_of(by, area, roles={Role.COORDINATOR}):
        raise PermissionDenied("Only coordinators of this area may plan its meetings.")


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("area", "practice", "chair")
        .get(pk=meeting.pk)
    )


def _check_runs(by: User, meeting: Meeting) -> None:
    """The chair of an MDT meeting (still chairing at its practice), or a coordinator of the
    area of a formal meeting or coffee morning."""
    _check_may_plan(by, meeting.kind, meeting.area, meeting.practice)


def _check_open(meeting: Meeting, doing: str) -> None:
    if not meeting.is_open:
        raise ValidationError(
            f"This meeting is {meeting.get_status_display().lower()}: {doing} is no longer possible."
        )


def check_times(*, starts_at: datetime.datetime, ends_at: datetime.datetime, now=None) -> None:
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if starts_at < now - EARLIEST_START:
        errors["starts_at"] = [
            f"A meeting cannot start more than {EARLIEST_START.days} days ago. Check the date and year."
        ]
    elif starts_at.date() > a_year_ahead():
        errors["starts_at"] = ["A meeting must be within a year from today. Check the date and year."]
    if ends_at <= starts_at:
        errors["ends_at"] = ["A meeting must end after it starts."]
    elif ends_at - starts_at > LONGEST:
        errors["ends_at"] = ["A meeting can last at most 12 hours. Check the times."]
    if errors:
        raise ValidationError(errors)


# --- Invitations --------------------------------------------------------------------------


def invitation_file(
    meeting: Meeting, *, attendance: Attendance | None = None, cancelled: bool = False
) -> Attachment:
    """The meeting as a calendar file. A volunteer at an MDT meeting is invited to their own
    slots only (from their first to the end of their last), so that they come and leave
    before other clients are discussed. `cancelled`: the meeting is off for this person
    (it is off for everybody once cancelled)."""
    starts_at, ends_at = meeting.starts_at, meeting.ends_at
    if attendance is not None and attendance.role == AttendanceRole.VOLUNTEER and meeting.is_mdt:
        own = [slot for slot in agenda_slots(meeting) if slot.item.presenter_id == attendance.person_id]
        if own:
            starts_at, ends_at = own[0].starts_at, own[-1].ends_at
    cancelled = cancelled or meeting.status == MeetingStatus.CANCELLED
    content = calendar_invite(
        uid=f"meeting-{meeting.pk}@livingwell",
        sequence=meeting.invitation_sequence,
        starts_at=starts_at,
        ends_at=ends_at,
        summary=meeting.title,
        location=meeting.place,
        description=f"Chaired by {_name(meeting.chair)}. The agenda is in Living Well.",
        url=f"{settings.SITE_URL}/meetings/{meeting.pk}/",
        cancelled=cancelled,
    )
    method = "CANCEL" if cancelled else "REQUEST"
    return Attachment(
        filename="meeting.ics", content_type=f"text/calendar; method={method}; charset=utf-8", content=content
    )


def _send_invitation(attendance: Attendance, *, heading: str, detail: str = "") -> Notification:
    meeting = attendance.meeting
    body = f"{meeting.title}: {_when(meeting.starts_at)} to {_time(meeting.ends_at)}, at {meeting.place}."
    if detail:
        body = f"{body} {detail}"
    return notify(
        recipient=attendance.person,
        kind=Notification.Kind.MEETING,
        title=f"{heading}: {meeting.title}"[:200],
        body=body,
        link=f"/meetings/{meeting.pk}/",
        attachment=invitation_file(meeting, attendance=attendance),
    )


def _check_invitee(meeting: Meeting, person: User, role: str) -> None:
    """Who may be invited, as what: the area's volunteers and staff to its meetings;
    clinicians of the area's practices (and guests) to any meeting; at an MDT meeting a
    volunteer comes only through the protocol checklist of their item."""
    if role not in AttendanceRole.values:
        raise ValidationError("Choose the person's role at the meeting.")
    if not person.is_active:
        raise ValidationError(f"{_name(person)} can no longer sign in.")
    if role == AttendanceRole.CHAIR:
        raise ValidationError("The meeting already has its chair.")
    if role == AttendanceRole.VOLUNTEER:
        if meeting.is_mdt:
            raise ValidationError(
                "A volunteer comes to a Multi-Disciplinary Team meeting only to present their own "
                "client: add them from their client's item, where the protocol is checked."
            )
        if not person.has_role(Role.VOLUNTEER) or not works_in(person, meeting.area):
            raise ValidationError(f"{_name(person)} is not a volunteer in {meeting.area.name}.")
    elif role in (AttendanceRole.COORDINATOR, AttendanceRole.TEAM_LEADER):
        if not is_staff_of(person, meeting.area, roles={role}):
            raise ValidationError(
                f"{_name(person)} is not a {AttendanceRole(role).label.lower()} in {meeting.area.name}."
            )
    elif role == AttendanceRole.CLINICIAN:
        practices = PracticeMembership.objects.current().filter(user=person, practice__area=meeting.area)
        if meeting.is_mdt:
            practices = practices.filter(practice=meeting.practice)
        if not person.has_role(Role.CLINICIAN, Role.MDT_CHAIR) or not practices.exists():
            where = meeting.practice.name if meeting.is_mdt else f"a practice in {meeting.area.name}"
            raise ValidationError(f"{_name(person)} is not a clinician at {where}.")


def works_in(person: User, area: Area) -> bool:
    from livingwell.accounts.models import AreaMembership

    return AreaMembership.objects.current().filter(user=person, area=area).exists()


def _add_attendance(meeting: Meeting, person: User, role: str, *, invite: bool = True) -> Attendance:
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, person=person, defaults={"role": role}
    )
    if not created:
        raise ValidationError(f"{_name(person)} is already invited.")
    if invite and meeting.status == MeetingStatus.PLANNED:
        _send_invitation(attendance, heading="You are invited")
    return attendance


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


def _tell_volunteers_their_new_times(
    meeting: Meeting, before: dict, *, except_person: int | None = None
) -> int:
    """When the agenda changes under them, each volunteer whose slot moved is sent their new
    times (an updated calendar file). Returns how many were told."""
    if not meeting.is_mdt or meeting.status != MeetingStatus.PLANNED:
        return 0
    after = volunteer_windows(meeting)
    moved = [person for person, window in after.items() if person in before and before[person] != window]
    moved = [person for person in moved if person != except_person]
    if not moved:
        return 0
    meeting.invitation_sequence += 1
    Meeting.objects.filter(pk=meeting.pk).update(invitation_sequence=meeting.invitation_sequence)
    attendances = meeting.attendances.filter(person_id__in=moved, role=AttendanceRole.VOLUNTEER)
    for attendance in attendances.select_related("person"):
        attendance.meeting = meeting
        starts_at, ends_at = after[attendance.person_id]
        _send_invitation(
            attendance,
            heading="Your time has changed",
            detail=f"Please arrive by {_time(starts_at)}; you can leave at {_time(ends_at)}.",
        )
    return len(moved)


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


# --- The formal meeting route ---------------------------------------------------------------


def next_formal_meeting(area: Area, now=None) -> Meeting | None:
    return (
        Meeting.objects.upcoming(now)
        .filter(area=area, kind=MeetingKind.FORMAL, starts_at__gt=now or timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )


def formal_agenda_add(risk: RiskReport) -> AgendaItem | None:
    """Put a concern routed to the formal meeting on its area's next one (last), unless it is
    on one already; then tell the on-call team leader if that meeting is too late for it."""
    meeting = next_formal_meeting(risk.area)
    item = None
    if meeting is not None:
        item = AgendaItem.objects.filter(meeting=meeting, risk=risk).first()
        if item is None:
            item = AgendaItem.objects.create(
                meeting=meeting,
                risk=risk,
                client=risk.client,
                position=_next_position(meeting),
                added_by=meeting.chair,
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
            meeting=meeting, risk=risk, client=risk.client, position=position, added_by=meeting.chair
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
        formal_agenda_add(risk)


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
def agenda_item_record_outcome(*, item: AgendaItem, by: User, staff_summary: str, volunteer_message: str):
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
        risk=item.risk, by=by, staff_summary=staff_summary, volunteer_message=volunteer_message
    )


# --- MDT meetings -------------------------------------------------------------------------------


def mdt_candidates(meeting: Meeting):
    """Clients the chair may put on this MDT agenda: the practice's clients with active
    consent to be discussed, who are not on it yet, with their open concerns routed here
    first."""
    consented = Consent.objects.active().filter(scope=ConsentScope.SHARE_WITH_MDT).values("client")
    return (
        Client.objects.filter(gp_practice=meeting.practice, pk__in=consented)
        .exclude(status=Client.Status.CLOSED)
        .exclude(agenda_items__meeting=meeting)
        .order_by("last_name", "first_name", "pk")
    )


def _active_consent(client: Client, scope: str, *, lock: bool = False) -> Consent | None:
    consents = Consent.objects.active().filter(client=client, scope=scope)
    if lock:
        # Serialises with a withdrawal in progress: once it commits, this reads it as withdrawn.
        consents = consents.select_for_update()
    return consents.first()


@transaction.atomic
def mdt_agenda_add(
    *, meeting: Meeting, by: User, client: Client, risk: RiskReport | None = None, minutes: int = 10
) -> AgendaItem:
    """Put a client on an MDT agenda: only with their active consent to be discussed there."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if not meeting.is_mdt:
        raise ValidationError("Clients are put on Multi-Disciplinary Team meeting agendas this way.")
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("Clients can be added to a planned meeting only.")
    if client.gp_practice_id != meeting.practice_id:
        raise ValidationError(f"{client.full_name} is not a patient of {meeting.practice.name}.")
    if _active_consent(client, ConsentScope.SHARE_WITH_MDT, lock=True) is None:
        raise ValidationError(
            f"{client.full_name} has not agreed to be discussed at this meeting, so they cannot be "
            "added. Their coordinator can record their consent if they give it."
        )
    if meeting.items.filter(client=client).exists():
        raise ValidationError(f"{client.full_name} is already on the agenda.")
    if risk is not None and risk.client_id != client.pk:
        raise ValidationError("That concern is about someone else.")
    low, high = SLOT_MINUTES
    if not low <= minutes <= high:
        raise ValidationError(f"Give each item between {low} and {high} minutes.")
    item = AgendaItem.objects.create(
        meeting=meeting,
        client=client,
        risk=risk,
        minutes=minutes,
        position=_next_position(meeting),
        added_by=by,
    )
    access.summary_access_sync(client)
    return item


@transaction.atomic
def mdt_agenda_remove(*, item: AgendaItem, by: User) -> None:
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    _check_open(meeting, "changing the agenda")
    # Read again: who presents it may have changed since the caller loaded it.
    item = AgendaItem.objects.select_related("client", "presenter").get(pk=item.pk)
    item.meeting = meeting
    client = item.client
    before = volunteer_windows(meeting)
    if item.presented_by_volunteer:
        _remove_volunteer(item)
    item.delete()
    _tell_volunteers_their_new_times(meeting, before)
    access.summary_access_sync(client)


@transaction.atomic
def mdt_agenda_publish(*, meeting: Meeting, by: User) -> Meeting:
    """Publish the agenda: the chair and the clinicians invited now see the summaries of the
    clients on it, and are told it is ready."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if not meeting.is_mdt or meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("Only a planned Multi-Disciplinary Team meeting's agenda is published.")
    if not meeting.items.exists():
        raise ValidationError("Put at least one client on the agenda before publishing it.")
    if meeting.agenda_published_at is None:
        meeting.agenda_published_at = timezone.now()
        meeting.save(update_fields=["agenda_published_at"])
    for client in Client.objects.filter(agenda_items__meeting=meeting).distinct():
        access.summary_access_sync(client)
    for attendance in meeting.attendances.filter(role=AttendanceRole.CLINICIAN).select_related("person"):
        notify(
            recipient=attendance.person,
            kind=Notification.Kind.MEETING,
            title=f"Agenda ready: {meeting.title}"[:200],
            body="The agenda and the summaries of the clients on it are ready to read.",
            link=f"/meetings/{meeting.pk}/",
        )
    return meeting


def on_consent_withdrawn(sender, *, consent: Consent, by: User, **kwargs) -> None:
    """Withdrawn consent ends what depended on it, in the same transaction: without consent
    to be discussed, the client leaves every open MDT agenda; without consent for their
    volunteer to attend, the volunteer stops presenting them."""
    open_items = AgendaItem.objects.filter(
        client=consent.client,
        meeting__kind=MeetingKind.MDT,
        meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
    )
    if consent.scope == ConsentScope.SHARE_WITH_MDT:
        for item in open_items.filter(presented_by_volunteer=True).select_related("meeting", "presenter"):
            _remove_volunteer(item)
        open_items.delete()
        access.summary_access_sync(consent.client)
    elif consent.scope == ConsentScope.VOLUNTEER_AT_MDT:
        for item in open_items.filter(presented_by_volunteer=True):
            _remove_volunteer(item)


def _remove_volunteer(item: AgendaItem) -> None:
    volunteer = item.presenter
    item.presenter, item.presented_by_volunteer = None, False
    item.protocol, item.protocol_confirmed_by, item.protocol_confirmed_at = None, None, None
    item.save(
        update_fields=[
            "presenter",
            "presented_by_volunteer",
            "protocol",
            "protocol_confirmed_by",
            "protocol_confirmed_at",
        ]
    )
    meeting = item.meeting
    if volunteer and not meeting.items.filter(presenter=volunteer, presented_by_volunteer=True).exists():
        attendance = meeting.attendances.filter(person=volunteer, role=AttendanceRole.VOLUNTEER).first()
        if attendance is not None and meeting.status == MeetingStatus.PLANNED:
            # Their calendar holds the invitation: send its cancellation, so that they do not
            # come to a meeting where only other clients are discussed.
            Meeting.objects.filter(pk=meeting.pk).update(invitation_sequence=F("invitation_sequence") + 1)
            meeting.invitation_sequence = Meeting.objects.values_list("invitation_sequence", flat=True).get(
                pk=meeting.pk
            )
            notify(
                recipient=volunteer,
                kind=Notification.Kind.MEETING,
                title=f"You are no longer needed: {meeting.title}"[:200],
                body="Your client's item is no longer presented by you, so you need not come. Thank you.",
                link="/notifications/",
                attachment=invitation_file(meeting, attendance=attendance, cancelled=True),
            )
        if attendance is not None:
            attendance.delete()


# --- The local protocol and its checklist -----------------------------------------------------


def current_protocol(practice: GPPractice) -> LocalProtocol | None:
    return practice.protocols.order_by("-version").first()


@transaction.atomic
def protocol_publish(*, practice: GPPractice, by: User, text: str) -> LocalProtocol:
    """A new version of the practice's local protocol (earlier versions are kept)."""
    _check_may_plan(by, MeetingKind.MDT, practice.area, practice)
    GPPractice.objects.select_for_update().get(pk=practice.pk)
    text = clean_text(
        text,
        max_length=PROTOCOL_MAX_LENGTH,
        multiline=True,
        required=True,
        what="The protocol",
        required_message="Write the protocol.",
    )
    current = current_protocol(practice)
    if current is not None and current.text == text:
        raise ValidationError("This is the same as the current version.")
    return LocalProtocol.objects.create(
        practice=practice, version=(current.version + 1) if current else 1, text=text, published_by=by
    )


@dataclass(frozen=True)
class Condition:
    name: str
    met: bool
    detail: str


def protocol_checklist(
    *, item: AgendaItem, volunteer: Volunteer, conflict_reason: str = ""
) -> list[Condition]:
    """Every condition of the local protocol for `volunteer` to present `item`, met or
    not, each with the reason in plain words."""
    meeting, client = item.meeting, item.client
    practice = meeting.practice
    name = volunteer.name
    version = settings.CONFIDENTIALITY_AGREEMENT_VERSION
    visits = client.allocations.active().filter(volunteer=volunteer).exists()
    consents = _active_consent(client, ConsentScope.VOLUNTEER_AT_MDT) is not None
    opted_in = volunteer.mdt_opt_in and volunteer.status == Volunteer.Status.ACTIVE
    signed = volunteer.agreements.filter(version=version).exists()
    welcomes = practice.mdt_welcomes_volunteers
    patient_here = volunteer.own_gp_practice_id == practice.pk
    protocol = current_protocol(practice)
    return [
        Condition(
            "visits",
            visits,
            f"{name} visits {client.full_name}." if visits else f"{name} does not visit {client.full_name}.",
        ),
        Condition(
            "client_consent",
            consents,
            f"{client.full_name} agreed that their volunteer may attend and speak for them."
            if consents
            else f"{client.full_name} has not agreed that their volunteer may attend this meeting.",
        ),
        Condition(
            "opted_in",
            opted_in,
            f"{name} has chosen to attend Multi-Disciplinary Team meetings."
            if opted_in
            else f"{name} has not chosen to attend Multi-Disciplinary Team meetings.",
        ),
        Condition(
            "agreement",
            signed,
            f"{name} signed version {version} of the confidentiality agreement."
            if signed
            else f"{name} has not signed the current confidentiality agreement (version {version}).",
        ),
        Condition(
            "practice_welcomes",
            welcomes,
            f"{practice.name} welcomes volunteers at this meeting."
            if welcomes
            else f"{practice.name} does not take part in the trial of volunteers at this meeting.",
        ),
        Condition(
            "not_a_patient",
            not patient_here or bool(conflict_reason.strip()),
            f"{name} is not a patient of {practice.name}."
            if not patient_here
            else (
                f"{name} is a patient of {practice.name}; you recorded why that is acceptable."
                if conflict_reason.strip()
                else f"{name} is a patient of {practice.name}: "
                "record why that is acceptable, or choose another volunteer."
            ),
        ),
        Condition(
            "protocol",
            protocol is not None,
            f"The practice's local protocol, version {protocol.version}, applies."
            if protocol
            else f"{practice.name} has no local protocol for volunteers yet: publish one first.",
        ),
    ]


@transaction.atomic
def mdt_volunteer_confirm(
    *, item: AgendaItem, by: User, volunteer: Volunteer, conflict_reason: str = ""
) -> AgendaItem:
    """The chair confirms, after the checklist, that `volunteer` presents `item`. Every
    condition is checked again here; the confirmation records who, when and the protocol
    version. The volunteer's items come first, and they are invited to their slots only."""
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    if not meeting.is_mdt or meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("A volunteer can be added to a planned Multi-Disciplinary Team meeting only.")
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("client", "meeting__practice")
        .get(pk=item.pk)
    )
    item.meeting = meeting
    conflict_reason = clean_text(conflict_reason, max_length=300, what="Why it is acceptable")
    _active_consent(item.client, ConsentScope.VOLUNTEER_AT_MDT, lock=True)
    unmet = [
        condition
        for condition in protocol_checklist(item=item, volunteer=volunteer, conflict_reason=conflict_reason)
        if not condition.met
    ]
    if unmet:
        raise ValidationError([condition.detail for condition in unmet], code="protocol")
    if item.presented_by_volunteer and item.presenter_id and item.presenter_id != volunteer.user_id:
        raise ValidationError("Another volunteer presents this item.")
    before = volunteer_windows(meeting)
    item.presenter, item.presented_by_volunteer = volunteer.user, True
    item.protocol = current_protocol(meeting.practice)
    item.protocol_confirmed_by, item.protocol_confirmed_at = by, timezone.now()
    item.conflict_reason = conflict_reason if volunteer.own_gp_practice_id == meeting.practice_id else ""
    item.save()
    attendance = Attendance.objects.filter(meeting=meeting, person=volunteer.user).first()
    if attendance is None:
        attendance = Attendance.objects.create(
            meeting=meeting, person=volunteer.user, role=AttendanceRole.VOLUNTEER
        )
    attendance.meeting = meeting
    slots = [slot for slot in agenda_slots(meeting) if slot.item.presenter_id == volunteer.user_id]
    _send_invitation(
        attendance,
        heading="You are invited to speak for your client",
        detail=(
            f"Please arrive by {_time(slots[0].starts_at)}; you can leave at {_time(slots[-1].ends_at)}, "
            "before other patients are discussed."
        ),
    )
    _tell_volunteers_their_new_times(meeting, before, except_person=volunteer.user_id)
    return item


@transaction.atomic
def mdt_volunteer_remove(*, item: AgendaItem, by: User) -> AgendaItem:
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    _check_open(meeting, "changing the agenda")
    item = AgendaItem.objects.select_related("meeting", "presenter").get(pk=item.pk)
    if item.presented_by_volunteer:
        before = volunteer_windows(meeting)
        item.meeting = meeting
        _remove_volunteer(item)
        _tell_volunteers_their_new_times(meeting, before)
    return item


def mdt_access_expire(*, now=None) -> int:
    """End summary access that has passed its time (the getter already refuses it; this
    removes the grant). Returns how many clients were checked."""
    from clients.access import MDT_SUMMARY
    from clients.models import ClientUserObjectPermission

    client_ids = ClientUserObjectPermission.objects.filter(permission__codename=MDT_SUMMARY).values(
        "content_object"
    )
    clients = Client.objects.filter(pk__in=client_ids)
    count = 0
    for client in clients.iterator():
        with transaction.atomic():
            access.summary_access_sync(client, now)
        count += 1
    return count
