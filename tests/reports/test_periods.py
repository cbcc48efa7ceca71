"""Report periods: whole local days, both included. Presets are worked out from a fixed
"today"; the instants they start and end at follow the clocks going forward and back."""

import datetime

import pytest
from django.utils import timezone

from livingwell.reports.periods import DEFAULT_PRESET, PRESETS, ReportPeriod, last_month, preset_period

D = datetime.date
UTC = datetime.UTC


def period(start: str, end: str) -> ReportPeriod:
    return ReportPeriod(D.fromisoformat(start), D.fromisoformat(end))


def elapsed(chosen: ReportPeriod) -> datetime.timedelta:
    """The real time a period lasts (Python subtracts two London times as wall-clock times,
    so both are read in UTC first)."""
    return chosen.ends_at.astimezone(UTC) - chosen.starts_at.astimezone(UTC)


# --- Presets --------------------------------------------------------------------------------

EXPECTED = {
    # today: {preset: (start, end)}
    "2026-01-01": {
        "last_3_months": ("2025-10-01", "2025-12-31"),
        "last_month": ("2025-12-01", "2025-12-31"),
        "last_12_months": ("2025-01-01", "2025-12-31"),
        "this_financial_year": ("2025-04-01", "2026-01-01"),
        "last_financial_year": ("2024-04-01", "2025-03-31"),
    },
    "2026-03-31": {
        "last_3_months": ("2025-12-01", "2026-02-28"),
        "last_month": ("2026-02-01", "2026-02-28"),
        "last_12_months": ("2025-03-01", "2026-02-28"),
        "this_financial_year": ("2025-04-01", "2026-03-31"),
        "last_financial_year": ("2024-04-01", "2025-03-31"),
    },
    "2026-04-01": {
        "last_3_months": ("2026-01-01", "2026-03-31"),
        "last_month": ("2026-03-01", "2026-03-31"),
        "last_12_months": ("2025-04-01", "2026-03-31"),
        # The first day of a financial year: a period of one day.
        "this_financial_year": ("2026-04-01", "2026-04-01"),
        "last_financial_year": ("2025-04-01", "2026-03-31"),
    },
    "2024-02-29": {
        "last_3_months": ("2023-11-01", "2024-01-31"),
        "last_month": ("2024-01-01", "2024-01-31"),
        "last_12_months": ("2023-02-01", "2024-01-31"),
        "this_financial_year": ("2023-04-01", "2024-02-29"),
        "last_financial_year": ("2022-04-01", "2023-03-31"),
    },
    # The last day of a month: that month is not complete yet.
    "2026-01-31": {
        "last_3_months": ("2025-10-01", "2025-12-31"),
        "last_month": ("2025-12-01", "2025-12-31"),
        "last_12_months": ("2025-01-01", "2025-12-31"),
        "this_financial_year": ("2025-04-01", "2026-01-31"),
        "last_financial_year": ("2024-04-01", "2025-03-31"),
    },
    "2026-05-31": {
        "last_3_months": ("2026-02-01", "2026-04-30"),
        "last_month": ("2026-04-01", "2026-04-30"),
        "last_12_months": ("2025-05-01", "2026-04-30"),
        "this_financial_year": ("2026-04-01", "2026-05-31"),
        "last_financial_year": ("2025-04-01", "2026-03-31"),
    },
    # Leap day to come: the 12 months before March 2024 end on 29 February.
    "2024-03-15": {
        "last_3_months": ("2023-12-01", "2024-02-29"),
        "last_month": ("2024-02-01", "2024-02-29"),
        "last_12_months": ("2023-03-01", "2024-02-29"),
        "this_financial_year": ("2023-04-01", "2024-03-15"),
        "last_financial_year": ("2022-04-01", "2023-03-31"),
    },
}


@pytest.mark.parametrize(
    ("today", "preset", "start", "end"),
    [(today, name, *dates) for today, presets in EXPECTED.items() for name, dates in presets.items()],
)
def test_presets(today, preset, start, end):
    assert preset_period(preset, D.fromisoformat(today)) == period(start, end)


def test_every_preset_is_checked_and_the_default_is_one_of_them():
    for presets in EXPECTED.values():
        assert set(presets) == set(PRESETS)
    assert DEFAULT_PRESET in PRESETS
    assert preset_period(DEFAULT_PRESET, D(2026, 1, 1)) == period("2025-10-01", "2025-12-31")


def test_last_month_is_the_preset():
    assert last_month(D(2026, 3, 1)) == period("2026-02-01", "2026-02-28")


def test_presets_read_today_when_not_told(today):
    assert preset_period("last_month") == preset_period("last_month", today)
    assert preset_period("this_financial_year").end == today


def test_no_preset_ends_after_today():
    for today in map(D.fromisoformat, EXPECTED):
        for name in PRESETS:
            chosen = preset_period(name, today)
            assert chosen.start <= chosen.end <= today, name


# --- The period before (a trial's baseline) ----------------------------------------------------


@pytest.mark.parametrize(
    ("trial", "baseline"),
    [
        # 31 days of March: the 31 days before, not the month of February.
        (("2026-03-01", "2026-03-31"), ("2026-01-29", "2026-02-28")),
        # 92 days, across a leap day.
        (("2024-03-01", "2024-05-31"), ("2023-11-30", "2024-02-29")),
        (("2026-01-01", "2026-01-01"), ("2025-12-31", "2025-12-31")),
        # A year of 365 days from 1 April 2025.
        (("2025-04-01", "2026-03-31"), ("2024-04-01", "2025-03-31")),
    ],
)
def test_before_is_the_same_length_just_before(trial, baseline):
    chosen = period(*trial)
    before = chosen.before()
    assert before == period(*baseline)
    assert before.days == chosen.days
    assert before.end + datetime.timedelta(days=1) == chosen.start


def test_days_and_label():
    march = period("2026-03-01", "2026-03-31")
    assert march.days == 31
    assert march.label == "1 March 2026 to 31 March 2026"
    assert str(march) == march.label
    assert period("2026-03-05", "2026-03-05").days == 1


# --- Instants, and the clocks changing -------------------------------------------------------


def test_a_winter_period_starts_and_ends_at_midnight_greenwich_time():
    january = period("2026-01-01", "2026-01-31")
    assert january.starts_at == datetime.datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert january.ends_at == datetime.datetime(2026, 2, 1, 0, 0, tzinfo=UTC)


def test_march_ends_at_midnight_british_summer_time():
    # The clocks go forward at 01:00 GMT on the last Sunday of March (29 March 2026).
    march = period("2026-03-01", "2026-03-31")
    assert march.starts_at == datetime.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert march.ends_at == datetime.datetime(2026, 3, 31, 23, 0, tzinfo=UTC)
    assert timezone.localtime(march.ends_at).replace(tzinfo=None) == datetime.datetime(2026, 4, 1, 0, 0)
    assert elapsed(march) == datetime.timedelta(days=31, hours=-1)


def test_the_day_the_clocks_go_forward_has_23_hours():
    day = period("2026-03-29", "2026-03-29")
    assert elapsed(day) == datetime.timedelta(hours=23)


def test_the_day_the_clocks_go_back_has_25_hours():
    # The last Sunday of October 2026 is the 25th: midnight that morning is still summer time.
    day = period("2026-10-25", "2026-10-25")
    assert day.starts_at == datetime.datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert day.ends_at == datetime.datetime(2026, 10, 26, 0, 0, tzinfo=UTC)
    assert elapsed(day) == datetime.timedelta(hours=25)


def test_consecutive_periods_meet_without_a_gap_or_an_overlap_across_the_clocks_changing():
    for start, end, following in [
        ("2026-03-01", "2026-03-31", "2026-04-01"),
        ("2026-10-01", "2026-10-31", "2026-11-01"),
        ("2026-10-25", "2026-10-25", "2026-10-26"),
    ]:
        assert period(start, end).ends_at == period(following, following).starts_at


@pytest.mark.django_db
def test_a_concern_half_an_hour_after_midnight_on_1_april_is_aprils(fast_password_hashing):
    """In the database: 31 March 23:30 UTC is 1 April 00:30 in Cornwall."""
    from livingwell.reports.selectors import ConcernFilter, concerns_by_category
    from risks.models import Severity
    from tests.factories import ClientFactory, UserFactory
    from tests.reports.fixtures_figures import make_concern

    client = ClientFactory()
    person = UserFactory()
    for reported in (
        datetime.datetime(2026, 3, 31, 22, 59, tzinfo=UTC),  # 23:59 BST on 31 March
        datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC),  # 00:30 BST on 1 April
    ):
        make_concern(
            client=client,
            route="formal_meeting",
            severity=Severity.LOW,
            slug="falls-mobility",
            reported_by=person,
            staff=person,
            observed=reported,
            reported=reported,
        )
    concerns = ConcernFilter((client.area_id,))

    def count(chosen):
        return sum(row["total"] for row in concerns_by_category(concerns, chosen))

    assert count(period("2026-03-01", "2026-03-31")) == 1
    assert count(period("2026-04-01", "2026-04-30")) == 1
    assert count(period("2026-03-31", "2026-04-01")) == 2


# --- The cutoff -----------------------------------------------------------------------------


def test_the_cutoff_of_a_past_period_is_its_end():
    march = period("2026-03-01", "2026-03-31")
    later = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert march.cutoff(later) == march.ends_at
    assert march.cutoff(march.ends_at) == march.ends_at


def test_the_cutoff_of_a_period_not_over_is_now():
    march = period("2026-03-01", "2026-03-31")
    during = datetime.datetime(2026, 3, 15, 9, 30, tzinfo=UTC)
    assert march.cutoff(during) == during


def test_the_cutoff_reads_the_clock_when_not_told(today):
    so_far = ReportPeriod(today.replace(day=1), today)
    before = timezone.now()
    cutoff = so_far.cutoff()
    assert before <= cutoff <= timezone.now()
    past = ReportPeriod(D(2020, 1, 1), D(2020, 1, 31))
    assert past.cutoff() == past.ends_at
