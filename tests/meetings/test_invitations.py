"""Invitations carry an .ics calendar file that calendars read: the meeting's local times in
Europe/London on either side of a clock change, a new SEQUENCE for each change, and
METHOD:CANCEL when it is called off."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from livingwell.notifications.models import Notification
from meetings import services
from meetings.models import Meeting, MeetingKind, MeetingStatus

LONDON = ZoneInfo("Europe/London")


def parsed(content: str):
    """The calendar and its one event."""
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def invitations(**filters):
    return Notification.objects.filter(kind=Notification.Kind.MEETING, **filters).order_by("pk")


def last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() - 6) % 7)


def next_clock_change(today: datetime.date) -> datetime.date:
    """The next last Sunday of March or October at least four days away."""
    changes = sorted(last_sunday(year, month) for year in (today.year, today.year + 1) for month in (3, 10))
    return next(day for day in changes if day > today + datetime.timedelta(days=3))


def test_last_sunday_finds_the_days_the_clocks_change():
    assert last_sunday(2027, 3) == datetime.date(2027, 3, 28)
    assert last_sunday(2027, 10) == datetime.date(2027, 10, 31)
    assert last_sunday(2026, 10) == datetime.date(2026, 10, 25)


def test_invitations_on_either_side_of_the_next_clock_change_keep_their_local_times(world, today):
    change = next_clock_change(today)
    meetings = []
    for day in (change - datetime.timedelta(days=3), change + datetime.timedelta(days=3)):
        starts_at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=LONDON)
        meetings.append(
            services.meeting_plan(
                by=world.coordinator,
                kind=MeetingKind.FORMAL,
                area=world.west,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                place="Penzance Library",
                invitees=[(world.volunteer, "volunteer")],
            )
        )

    offsets = []
    for meeting in meetings:
        notification = invitations(recipient=world.volunteer, link=f"/meetings/{meeting.pk}/").get()
        calendar, event = parsed(notification.attachment_content)
        start, end = event["DTSTART"], event["DTEND"]
        assert start.params["TZID"] == end.params["TZID"] == "Europe/London"
        assert (start.dt.hour, start.dt.minute, end.dt.hour) == (10, 0, 12)
        assert start.dt == meeting.starts_at
        assert end.dt == meeting.ends_at
        assert str(calendar["METHOD"]) == "REQUEST"
        assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
        offsets.append(start.dt.utcoffset())

    # Summer time (UTC+1) on one side of the change, Greenwich Mean Time on the other.
    assert set(offsets) == {datetime.timedelta(0), datetime.timedelta(hours=1)}
    assert offsets[0] != offsets[1]


def fixed_meeting(world, starts_at, ends_at):
    """A meeting with fixed times, not saved: `invitation_file` only reads it."""
    return Meeting(
        pk=41,
        kind=MeetingKind.FORMAL,
        area=world.west,
        starts_at=starts_at,
        ends_at=ends_at,
        place="Penzance Library",
        chair=world.coordinator,
    )


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (datetime.date(2027, 10, 29), 9),  # the Friday before the clocks go back: BST
        (datetime.date(2027, 11, 2), 10),  # the Tuesday after: GMT
        (datetime.date(2027, 3, 26), 10),  # the Friday before the clocks go forward: GMT
        (datetime.date(2027, 3, 30), 9),  # the Tuesday after: BST
    ],
)
def test_invitation_file_writes_london_times_across_the_clock_changes(world, day, utc_hour):
    starts_at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=LONDON)
    meeting = fixed_meeting(world, starts_at, starts_at + datetime.timedelta(hours=2))

    attachment = services.invitation_file(meeting)

    _calendar, event = parsed(attachment.content)
    assert "DTSTART;TZID=Europe/London:" + day.strftime("%Y%m%d") + "T100000" in attachment.content
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt.astimezone(datetime.UTC).hour == utc_hour
    assert event["DTEND"].dt - event["DTSTART"].dt == datetime.timedelta(hours=2)
    assert str(event["UID"]) == "meeting-41@livingwell"
    assert attachment.content_type == "text/calendar; method=REQUEST; charset=utf-8"


def test_invitation_file_for_a_meeting_that_spans_the_night_the_clocks_go_back(world):
    # 00:30 BST to 03:00 GMT on 31 October 2027 is three and a half hours.
    starts_at = datetime.datetime(2027, 10, 31, 0, 30, tzinfo=LONDON)
    ends_at = datetime.datetime(2027, 10, 31, 3, 0, tzinfo=LONDON)
    meeting = fixed_meeting(world, starts_at, ends_at)

    _, event = parsed(services.invitation_file(meeting).content)

    # (Python subtracts two times of one zone as wall-clock times: compare them in UTC.)
    start, end = (event[name].dt.astimezone(datetime.UTC) for name in ("DTSTART", "DTEND"))
    assert end - start == datetime.timedelta(hours=3, minutes=30)
    assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=1)
    assert event["DTEND"].dt.utcoffset() == datetime.timedelta(0)


def test_rescheduling_sends_every_attendee_an_updated_file_with_a_higher_sequence(
    world, planned_formal_meeting, at
):
    first = {n.recipient.username: parsed(n.attachment_content)[1] for n in invitations()}

    services.meeting_reschedule(
        meeting=planned_formal_meeting,
        by=world.coordinator,
        starts_at=at(5, 14),
        ends_at=at(5, 16),
        place="St John's Hall, Penzance",
    )

    changed = invitations(title__startswith="Meeting changed")
    assert sorted(n.recipient.username for n in changed) == ["tom", "vera"]
    for notification in changed:
        _, event = parsed(notification.attachment_content)
        before = first[notification.recipient.username]
        assert str(event["UID"]) == str(before["UID"])
        assert int(event["SEQUENCE"]) > int(before["SEQUENCE"])
        assert event["DTSTART"].dt == at(5, 14)
        assert event["DTEND"].dt == at(5, 16)
        assert str(event["LOCATION"]) == "St John's Hall, Penzance"
        assert "It was" in notification.body
    planned_formal_meeting.refresh_from_db()
    assert planned_formal_meeting.invitation_sequence == 1


def test_rescheduling_to_the_same_time_and_place_sends_nothing(world, planned_formal_meeting, at):
    sent = invitations().count()

    services.meeting_reschedule(
        meeting=planned_formal_meeting,
        by=world.coordinator,
        starts_at=at(3, 10),
        ends_at=at(3, 12),
        place="Penzance Library",
    )

    assert invitations().count() == sent
    planned_formal_meeting.refresh_from_db()
    assert planned_formal_meeting.invitation_sequence == 0


def test_cancelling_sends_every_attendee_a_cancellation_file(world, planned_formal_meeting):
    services.meeting_cancel(
        meeting=planned_formal_meeting, by=world.coordinator, reason="The library is closed"
    )

    cancelled = invitations(title__startswith="Meeting cancelled")
    assert sorted(n.recipient.username for n in cancelled) == ["tom", "vera"]
    for notification in cancelled:
        calendar, event = parsed(notification.attachment_content)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 1
        assert str(event["UID"]) == f"meeting-{planned_formal_meeting.pk}@livingwell"
        assert notification.attachment_content_type.startswith("text/calendar; method=CANCEL")
        assert "The library is closed" in notification.body
    planned_formal_meeting.refresh_from_db()
    assert planned_formal_meeting.status == MeetingStatus.CANCELLED


def test_inviting_someone_later_sends_them_the_current_file(world, planned_formal_meeting, at):
    services.meeting_reschedule(
        meeting=planned_formal_meeting,
        by=world.coordinator,
        starts_at=at(4, 10),
        ends_at=at(4, 12),
        place="Here",
    )

    services.meeting_invite(
        meeting=planned_formal_meeting, by=world.coordinator, person=world.other_volunteer, role="volunteer"
    )

    _, event = parsed(invitations(recipient=world.other_volunteer).get().attachment_content)
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == at(4, 10)
