"""Plausible windows for the dates people type, shared by forms and services."""

from __future__ import annotations

import datetime

from django.utils import timezone

# Dates of checks, training, agreements and consent: nothing this service records
# happened before it could have.
EARLIEST_RECORD = datetime.date(2000, 1, 1)
A_YEAR = datetime.timedelta(days=365)


def a_year_ago() -> datetime.date:
    return timezone.localdate() - A_YEAR


def a_year_ahead() -> datetime.date:
    return timezone.localdate() + A_YEAR


def long_date(day: datetime.date) -> str:
    """1 January 2000 (without the platform-specific "%-d")."""
    return f"{day.day} {day:%B} {day.year}"
