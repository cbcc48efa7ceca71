"""Invitations: who may be invited, as what, and the notification with its calendar file
that each invitation, change and cancellation sends."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from livingwell.accounts.models import Area, PracticeMembership, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import is_staff_of
from livingwell.notifications.calendar import calendar_invite
from livingwell.notifications.models import Notification
from livingwell.notifications.services import Attachment, notify
from meetings.models import (
    Attendance,
    AttendanceRole,
    Meeting,
    MeetingStatus,
)
from meetings.services.agenda import (
    agenda_slots,
    volunteer_windows,
)
from meetings.services.base import (
    _name,
    _time,
    _when,
)

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
