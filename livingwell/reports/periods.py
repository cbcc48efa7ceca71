"""The periods reports cover: whole local days from `start` to `end`, both included."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from livingwell.dates import long_date


@dataclass(frozen=True)
class ReportPeriod:
    start: datetime.date
    end: datetime.date

    @property
    def starts_at(self) -> datetime.datetime:
        """Local midnight at the start of the first day."""
        return _midnight(self.start)

    @property
    def ends_at(self) -> datetime.datetime:
        """Local midnight after the last day (the period runs up to, not including, it)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def cutoff(self, now: datetime.datetime | None = None) -> datetime.datetime:
        """What happened up to here counts: the end of the period, or now if it has not
        ended yet. Fixing it to the period makes a past period's figures the same whenever
        they are run, and a trial's two periods comparable."""
        return min(self.ends_at, now or timezone.now())

    def before(self) -> ReportPeriod:
        """The period of the same length just before this one (a trial's baseline)."""
        one_day = datetime.timedelta(days=1)
        return ReportPeriod(self.start - self.days * one_day, self.start - one_day)

    @property
    def label(self) -> str:
        return f"{long_date(self.start)} to {long_date(self.end)}"

    def __str__(self) -> str:
        return self.label


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _last_complete_months(months: int, today: datetime.date) -> ReportPeriod:
    this_month = _month_start(today)
    return ReportPeriod(this_month - relativedelta(months=months), this_month - datetime.timedelta(days=1))


def _financial_year_start(today: datetime.date) -> datetime.date:
    """The NHS and charity financial year starts on 1 April."""
    year = today.year if today.month >= 4 else today.year - 1
    return datetime.date(year, 4, 1)


def _this_financial_year(today: datetime.date) -> ReportPeriod:
    return ReportPeriod(_financial_year_start(today), today)


def _last_financial_year(today: datetime.date) -> ReportPeriod:
    start = _financial_year_start(today)
    return ReportPeriod(start - relativedelta(years=1), start - datetime.timedelta(days=1))


PRESETS = {
    "last_3_months": ("The last 3 complete months", lambda today: _last_complete_months(3, today)),
    "last_month": ("Last month", lambda today: _last_complete_months(1, today)),
    "last_12_months": ("The last 12 complete months", lambda today: _last_complete_months(12, today)),
    "this_financial_year": ("This financial year so far (from 1 April)", _this_financial_year),
    "last_financial_year": ("Last financial year (April to March)", _last_financial_year),
}
DEFAULT_PRESET = "last_3_months"


def preset_period(name: str, today: datetime.date | None = None) -> ReportPeriod:
    return PRESETS[name][1](today or timezone.localdate())


def last_month(today: datetime.date | None = None) -> ReportPeriod:
    return preset_period("last_month", today)
