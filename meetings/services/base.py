"""The shared checks and wording of the meeting services: who runs a meeting, the meeting's
state, plausible times."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import dateformat, timezone

from livingwell.accounts.models import Area, GPPractice, PracticeMembership, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import is_staff_of
from livingwell.dates import a_year_ahead
from meetings.models import (
    Meeting,
    MeetingKind,
)

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
