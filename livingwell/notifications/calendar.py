"""Calendar invitations (.ics, RFC 5545) that people add to their own calendars.

Times are written in Europe/London with the zone's VTIMEZONE included, so that a
calendar shows a meeting at the same wall-clock time on either side of a clock change.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Living Well//Meetings//EN"


def calendar_invite(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str = "",
    description: str = "",
    url: str = "",
    cancelled: bool = False,
) -> str:
    """The iCalendar text of an invitation to one event (METHOD:REQUEST), or of its
    cancellation (METHOD:CANCEL, STATUS:CANCELLED).

    `uid` must stay the same for every version of one event, and `sequence` must grow with
    each change, so that calendars replace the event they hold instead of adding another.
    `starts_at` and `ends_at` must be aware; they are written in Europe/London.
    """
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("starts_at and ends_at must be timezone-aware datetimes.")
    if ends_at < starts_at:
        raise ValueError("ends_at must not be before starts_at.")
    starts_at, ends_at = starts_at.astimezone(LONDON), ends_at.astimezone(LONDON)
    event = Event.new(
        uid=uid,
        sequence=sequence,
        start=starts_at,
        end=ends_at,
        summary=summary,
        # None leaves a property out; an empty LOCATION: line would show as a blank place.
        location=location or None,
        description=description or None,
        url=url or None,
        status="CANCELLED" if cancelled else None,
    )
    calendar = Calendar.new(prodid=PRODID, method="CANCEL" if cancelled else "REQUEST", subcomponents=[event])
    # Calendar.new gives the calendar itself a random UID (RFC 7986, for published
    # calendars); an invitation is identified by its event's UID alone.
    del calendar["UID"]
    # The zone's rules from a year either side of the meeting: enough for any calendar to
    # place it, and a small file (the library's default covers 1970 to 2038).
    calendar.add_missing_timezones(
        first_date=starts_at.date() - timedelta(days=366), last_date=ends_at.date() + timedelta(days=366)
    )
    return calendar.to_ical().decode()
