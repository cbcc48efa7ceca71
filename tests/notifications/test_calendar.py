"""The .ics of a meeting invitation: what a calendar reads from it, and at what instant."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from livingwell.notifications.calendar import calendar_invite

LONDON = ZoneInfo("Europe/London")


def invite(**kwargs) -> Calendar:
    kwargs.setdefault("uid", "meeting-7@livingwell")
    kwargs.setdefault("sequence", 0)
    kwargs.setdefault("starts_at", datetime(2026, 10, 20, 10, 0, tzinfo=LONDON))
    kwargs.setdefault("ends_at", kwargs["starts_at"] + timedelta(hours=1))
    kwargs.setdefault("summary", "Coffee morning, West Cornwall")
    return Calendar.from_ical(calendar_invite(**kwargs))


def instants_by_the_files_own_zone(calendar: Calendar) -> tuple[datetime, datetime]:
    """DTSTART and DTEND in UTC as a calendar that knows only the file's VTIMEZONE (and has
    no time zone database of its own) reads them."""
    (vtimezone,) = calendar.timezones
    zone = vtimezone.to_tz(lookup_tzid=False)
    event = calendar.events[0]
    return tuple(event[name].dt.replace(tzinfo=zone).astimezone(UTC) for name in ("DTSTART", "DTEND"))


def test_an_invitation_is_a_request_for_one_event_with_its_details():
    calendar = invite(
        sequence=0,
        location="Alverton Practice, Penzance",
        description="Bring your questions.",
        url="https://livingwell.example.org/meetings/7/",
    )
    assert calendar["METHOD"] == "REQUEST"
    assert "Living Well" in calendar["PRODID"]
    assert "UID" not in calendar, "an invitation is identified by its event's UID only"
    (event,) = calendar.events
    assert event["UID"] == "meeting-7@livingwell"
    assert event["SEQUENCE"] == 0
    assert event["SUMMARY"] == "Coffee morning, West Cornwall"
    assert event["LOCATION"] == "Alverton Practice, Penzance"
    assert event["DESCRIPTION"] == "Bring your questions."
    assert event["URL"] == "https://livingwell.example.org/meetings/7/"
    assert "STATUS" not in event
    assert abs(event.stamp - timezone.now()) < timedelta(minutes=1)


def test_details_left_empty_are_left_out_rather_than_written_blank():
    event = invite().events[0]
    assert {"LOCATION", "DESCRIPTION", "URL"}.isdisjoint(event)


@pytest.mark.parametrize(
    ("day", "utc_start"),
    [
        (20, datetime(2026, 10, 20, 9, 0, tzinfo=UTC)),  # British Summer Time
        (27, datetime(2026, 10, 27, 10, 0, tzinfo=UTC)),  # after the clocks went back
    ],
    ids=["summer-time", "after-the-clock-change"],
)
def test_ten_oclock_in_london_is_written_in_europe_london_at_the_right_instant(day, utc_start):
    calendar = invite(starts_at=datetime(2026, 10, day, 10, 0, tzinfo=LONDON))
    event = calendar.events[0]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 10, day, 10, 0)
    assert event.start.astimezone(UTC) == utc_start
    assert event.end.astimezone(UTC) == utc_start + timedelta(hours=1)
    # The VTIMEZONE is in the file, so a calendar gets the clock change right without ours.
    assert [vtimezone.tz_name for vtimezone in calendar.timezones] == ["Europe/London"]
    assert instants_by_the_files_own_zone(calendar) == (utc_start, utc_start + timedelta(hours=1))


def test_a_meeting_across_the_clock_change_lasts_its_real_length():
    calendar = invite(
        starts_at=datetime(2026, 10, 25, 0, 30, tzinfo=LONDON),
        ends_at=datetime(2026, 10, 25, 2, 30, tzinfo=LONDON),
    )
    event = calendar.events[0]
    # Subtracting two datetimes of one zone compares wall clocks (two hours); in UTC the
    # hour that repeats when the clocks go back is counted.
    assert event.end.astimezone(UTC) - event.start.astimezone(UTC) == timedelta(hours=3)
    starts, ends = instants_by_the_files_own_zone(calendar)
    assert (starts, ends) == (
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 2, 30, tzinfo=UTC),
    )


def test_times_in_another_zone_are_written_in_london_time():
    calendar = invite(
        starts_at=datetime(2026, 10, 20, 5, 0, tzinfo=ZoneInfo("America/New_York")),
        ends_at=datetime(2026, 10, 20, 10, 0, tzinfo=UTC),
    )
    event = calendar.events[0]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 10, 20, 10, 0)
    assert event["DTEND"].dt.replace(tzinfo=None) == datetime(2026, 10, 20, 11, 0)
    assert calendar.get_missing_tzids() == set()


def test_a_cancellation_says_cancel_and_cancelled_with_the_same_uid_and_a_higher_sequence():
    calendar = invite(sequence=3, cancelled=True)
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.events
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 3
    assert event["UID"] == "meeting-7@livingwell"


def test_times_without_a_zone_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar_invite(
            uid="meeting-7@livingwell",
            sequence=0,
            starts_at=datetime(2026, 10, 20, 10, 0),
            ends_at=datetime(2026, 10, 20, 11, 0, tzinfo=LONDON),
            summary="Coffee morning",
        )
