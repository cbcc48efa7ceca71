"""Who may see which meeting, and which part of it.

- Coordinators and team leaders see the meetings of the areas where they work today
  (every kind, MDT meetings included: they refer concerns to them); coordinators plan and
  run the formal meetings and coffee mornings of their areas.
- An MDT chair sees the meetings of the practices where they work today, and plans and
  runs those meetings.
- Clinicians and volunteers see only the meetings they are invited to. A volunteer sees
  only their own items of it: never another client, not even how many there are.
- Managers see no meeting (reports count them).

The MDT summary of a client (`clients.view_client_mdt_summary`, a django-guardian object
permission) is held by the chair and the clinicians invited to a meeting while the client
is on its published agenda, until `MDT_SUMMARY_ACCESS_DAYS` after the meeting, and only
with the client's active `share_with_mdt` consent. `summary_access_sync(client)` works out
who should hold it from those facts and grants or revokes to match; every change that
affects it calls it in the same transaction (and withdrawing consent revokes it at once in
`clients.access`). The getter checks the same facts in SQL as well, so that access ends
exactly on time even before the hourly sweep removes the grant.

Views never check these rules themselves: they call the getter of the object they take an
id for. Each answers 404 to anybody who may not have it, never revealing whether it exists.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from clients.access import MDT_SUMMARY
from clients.models import Client, ClientUserObjectPermission, Consent, ConsentScope
from livingwell.accounts.models import PracticeMembership, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import staff_areas_of
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceResponse,
    AttendanceRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
)


class MeetingPage(StrEnum):
    RUN = "run"  # the chair, or a coordinator of the area (formal meeting, coffee morning)
    STAFF = "staff"  # a coordinator or team leader of the area who does not run it
    CLINICIAN = "clinician"  # a clinician invited
    VOLUNTEER = "volunteer"  # a volunteer invited: their own items only


def _practices_chaired_by(user) -> QuerySet:
    if not user.is_authenticated or not user.has_role(Role.MDT_CHAIR):
        return PracticeMembership.objects.none().values("practice")
    return PracticeMembership.objects.current().filter(user=user).values("practice")


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Every meeting this person may open (the list page uses this)."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    invited = Attendance.objects.filter(meeting=OuterRef("pk"), person=user)
    rule = Q(area__in=staff_areas_of(user)) | Q(practice__in=_practices_chaired_by(user))
    if user.has_role(Role.CLINICIAN, Role.VOLUNTEER):
        rule |= Exists(invited)
    return Meeting.objects.filter(rule)


def page_for(user, meeting: Meeting) -> MeetingPage | None:
    if meeting.is_mdt:
        if _practices_chaired_by(user).filter(practice=meeting.practice_id).exists():
            return MeetingPage.RUN
    elif meeting.area_id in set(
        staff_areas_of(user, roles={Role.COORDINATOR}).values_list("area", flat=True)
    ):
        return MeetingPage.RUN
    if staff_areas_of(user).filter(area=meeting.area_id).exists():
        return MeetingPage.STAFF
    attendance = Attendance.objects.filter(meeting=meeting, person=user).first()
    if attendance is None:
        return None
    if attendance.role == AttendanceRole.CLINICIAN and user.has_role(Role.CLINICIAN):
        return MeetingPage.CLINICIAN
    if attendance.role == AttendanceRole.VOLUNTEER and user.has_role(Role.VOLUNTEER):
        return MeetingPage.VOLUNTEER
    if user.has_role(Role.CLINICIAN):
        return MeetingPage.CLINICIAN
    return None


def get_meeting_for(user, pk: int) -> tuple[Meeting, MeetingPage]:
    """The meeting and the part of it this person may see, or 404."""
    meeting = (
        Meeting.objects.select_related("area", "practice", "chair").filter(pk=pk).first()
        if user.is_authenticated
        else None
    )
    page = page_for(user, meeting) if meeting else None
    if page is None:
        raise Http404("No meeting found")
    return meeting, page


def get_meeting_to_run(user, pk: int) -> Meeting:
    """A meeting this person runs (chairs it, or coordinates its area), or 404 — also for
    staff who may read it but not change it (their POSTs answer 404 as well)."""
    meeting, page = get_meeting_for(user, pk)
    if page != MeetingPage.RUN:
        raise Http404("No meeting found")
    return meeting


def get_item_to_run(user, meeting: Meeting, pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related(
            "meeting", "client__area", "client__gp_practice", "risk", "presenter"
        )
        .filter(pk=pk, meeting=meeting)
        .first()
    )
    if item is None:
        raise Http404("No agenda item found")
    return item


# --- MDT summaries ------------------------------------------------------------------------


def _summary_meetings(now=None) -> QuerySet[Meeting]:
    """MDT meetings whose agenda gives summaries now: published, not cancelled, and not
    more than MDT_SUMMARY_ACCESS_DAYS past."""
    now = now or timezone.now()
    return Meeting.objects.filter(
        kind=MeetingKind.MDT,
        agenda_published_at__isnull=False,
        ends_at__gt=now - datetime.timedelta(days=settings.MDT_SUMMARY_ACCESS_DAYS),
    ).exclude(status=MeetingStatus.CANCELLED)


def _consented(client_field: str = "pk") -> Exists:
    return Exists(
        Consent.objects.active().filter(client=OuterRef(client_field), scope=ConsentScope.SHARE_WITH_MDT)
    )


def summary_holders(client: Client, now=None) -> QuerySet[User]:
    """Who should hold the MDT summary of `client` now: the chair of each meeting giving
    summaries with the client on its agenda, and the clinicians invited to it (not those
    who sent apologies). Nobody without the client's active consent."""
    if not Consent.objects.active().filter(client=client, scope=ConsentScope.SHARE_WITH_MDT).exists():
        return User.objects.none()
    meetings = _summary_meetings(now).filter(items__client=client)
    clinicians = Attendance.objects.filter(
        meeting__in=meetings, role=AttendanceRole.CLINICIAN, person=OuterRef("pk")
    ).exclude(response=AttendanceResponse.APOLOGIES)
    # Only while they still work at the practice holding the meeting.
    works_there = PracticeMembership.objects.current().filter(
        user=OuterRef("pk"), practice__in=meetings.values("practice")
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Exists(works_there))
        .filter(
            Q(meetings_chaired__in=meetings, groups__name=Role.MDT_CHAIR)
            | Q(Exists(clinicians), groups__name=Role.CLINICIAN)
        )
        .distinct()
    )


def summary_access_sync(client: Client, now=None) -> None:
    """Grant or revoke the client's MDT summary so that exactly `summary_holders` hold it."""
    wanted = set(summary_holders(client, now).values_list("pk", flat=True))
    grants = ClientUserObjectPermission.objects.filter(
        content_object=client, permission__codename=MDT_SUMMARY
    )
    held = set(grants.values_list("user_id", flat=True))
    grants.filter(user_id__in=held - wanted).delete()
    if wanted - held:
        from guardian.shortcuts import assign_perm

        assign_perm(f"clients.{MDT_SUMMARY}", User.objects.filter(pk__in=wanted - held), client)


def get_summary_for(user, meeting: Meeting, client_pk: int) -> AgendaItem:
    """The agenda item of `client_pk` on `meeting` whose summary this person may read now,
    or 404. The chair and invited clinicians read it while they hold the grant and the
    meeting gives summaries; a volunteer reads the summary of their own item only."""
    items = AgendaItem.objects.filter(meeting=meeting, client_id=client_pk).select_related(
        "client__gp_practice", "meeting__practice", "risk"
    )
    if user.has_role(Role.MDT_CHAIR, Role.CLINICIAN):
        holds = ClientUserObjectPermission.objects.filter(
            user=user, content_object=OuterRef("client"), permission__codename=MDT_SUMMARY
        )
        works_there = PracticeMembership.objects.current().filter(
            user=user, practice=OuterRef("meeting__practice")
        )
        item = (
            items.filter(meeting__in=_summary_meetings())
            .filter(_consented("client"), Exists(holds), Exists(works_there))
            .filter(Q(meeting__chair=user) | Q(meeting__attendances__person=user))
            .first()
        )
        if item is not None:
            return item
    if user.has_role(Role.VOLUNTEER):
        item = (
            items.filter(presenter=user, presented_by_volunteer=True)
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .first()
        )
        if item is not None:
            return item
    raise Http404("No summary found")
