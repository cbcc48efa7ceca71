"""`next_meetings_of`, the home page's meetings panel: the next meetings a person chairs or is
invited to, each with its number of agenda items counted once however many people are
invited."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, AttendanceRole, MeetingStatus
from meetings.selectors import next_meetings_of
from tests.meetings.fixtures import meetings_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def test_each_meetings_items_are_counted_once_however_many_people_are_invited(meetings):
    chair = meetings.world.mdt_chair
    Attendance.objects.bulk_create(
        Attendance(meeting=meetings.mdt, person=person, role=AttendanceRole.GUEST)
        for person in (meetings.people["absent_clinician"], meetings.people["other_practice_chair"])
    )
    assert meetings.mdt.attendances.count() >= 4

    (mdt,) = next_meetings_of(chair)

    assert mdt == meetings.mdt
    assert mdt.item_count == 3


def test_the_next_meetings_are_those_the_person_chairs_or_is_invited_to_in_order(meetings):
    world = meetings.world
    # Tom may open every West meeting (he is staff of the area) but is invited to one.
    assert next_meetings_of(world.team_leader) == [meetings.formal]
    # Vera is invited to the formal meeting and presents at the MDT meeting, which is later.
    assert next_meetings_of(world.volunteer) == [meetings.formal, meetings.mdt]
    assert [m.item_count for m in next_meetings_of(world.volunteer)] == [2, 3]
    # Cora chairs the formal meeting; Cory chairs the East coffee morning, with nothing on it.
    assert next_meetings_of(world.coordinator) == [meetings.formal]
    assert [(m, m.item_count) for m in next_meetings_of(world.other_coordinator)] == [(meetings.east, 0)]


def test_cancelled_and_finished_meetings_are_not_next(meetings):
    world = meetings.world
    cancelled = services.meeting_cancel(
        meeting=meetings.formal, by=world.coordinator, reason="The room flooded."
    )
    # The MDT meeting is over (a minute ago), though nobody has marked it held yet.
    meetings.mdt.starts_at = timezone.now() - datetime.timedelta(hours=2)
    meetings.mdt.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    meetings.mdt.save(update_fields=["starts_at", "ends_at"])

    assert cancelled.status == MeetingStatus.CANCELLED
    assert next_meetings_of(world.volunteer) == []
    assert next_meetings_of(world.mdt_chair) == []


def test_the_panel_is_one_query_with_no_distinct_or_grouping_of_whole_meetings(meetings):
    """A join to the invitations and the items needed DISTINCT and GROUP BY over every
    column of the meeting, its area, practice and chair, which took PostgreSQL longer to plan
    than the rest of the home page took to run."""
    with CaptureQueriesContext(connection) as captured:
        next_meetings_of(meetings.world.volunteer)

    (sql,) = [query["sql"] for query in captured]
    assert "DISTINCT" not in sql
    outer = sql.rsplit(') AS "item_count"', 1)[1]
    assert "GROUP BY" not in outer
