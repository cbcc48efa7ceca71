"""The dashboard: every table for one scope and period, in the order a board paper reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from livingwell.accounts.models import Route
from livingwell.reports import selectors, tables
from livingwell.reports.cache import kept_figures, remembered
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.scope import ReportScope
from livingwell.reports.selectors import ConcernFilter
from livingwell.reports.tables import Table
from meetings.models import MeetingKind


@dataclass
class Dashboard:
    scope: ReportScope
    period: ReportPeriod
    tables: list[Table]
    # The figures of an ended period may have been worked out a few minutes ago (cache.py).
    worked_out_at: datetime.datetime

    @property
    def has_suppressed(self) -> bool:
        return any(table.has_suppressed for table in self.tables)

    @property
    def place(self) -> str:
        if self.scope.mdt_only:
            return ", ".join(practice.name for practice in self.scope.practices)
        return ", ".join(area.name for area in self.scope.areas)


def figure_tables(
    concerns: ConcernFilter, period: ReportPeriod, *, areas, suppress: bool, now=None
) -> list[Table]:
    """Every table for a set of concerns (a scope's, or a trial's)."""
    return _figure_tables(_PeriodFigures(concerns, period, now or timezone.now()), areas, suppress)


# The figures each kind of dashboard reads besides the journey of a concern.
_FIGURE_SELECTORS = (
    selectors.concerns_by_category,
    selectors.outcomes_by_kind,
    selectors.referrals_by_service_kind,
    selectors.volunteer_figures,
    selectors.meeting_figures,
    selectors.coffee_morning_figures,
)
_MDT_SELECTORS = (
    selectors.concerns_by_category,
    selectors.outcomes_by_kind,
    selectors.referrals_by_service_kind,
    selectors.meeting_figures,
)


def _figure_tables(figures: _PeriodFigures, areas, suppress: bool) -> list[Table]:
    journey = figures.journey()
    return [
        tables.route_comparison_table(journey, suppress=suppress),
        tables.area_journey_table(journey, areas, suppress=suppress),
        tables.category_table(figures.of(selectors.concerns_by_category), suppress=suppress),
        tables.outcome_table(figures.of(selectors.outcomes_by_kind), suppress=suppress),
        tables.referral_table(figures.of(selectors.referrals_by_service_kind), suppress=suppress),
        tables.volunteer_table(figures.of(selectors.volunteer_figures), suppress=suppress),
        tables.meeting_table(figures.of(selectors.meeting_figures), suppress=suppress),
        tables.coffee_morning_table(figures.of(selectors.coffee_morning_figures), suppress=suppress),
    ]


def mdt_tables(concerns: ConcernFilter, period: ReportPeriod, *, suppress: bool, now=None) -> list[Table]:
    """A meeting chair's figures: their practices' Multi-Disciplinary Team meetings and the
    concerns that took that route."""
    return _mdt_tables(_PeriodFigures(concerns, period, now or timezone.now()), suppress)


def _mdt_tables(figures: _PeriodFigures, suppress: bool) -> list[Table]:
    return [
        tables.route_comparison_table(figures.journey(), routes=[Route.MDT], suppress=suppress),
        tables.category_table(figures.of(selectors.concerns_by_category), suppress=suppress),
        tables.outcome_table(figures.of(selectors.outcomes_by_kind), suppress=suppress),
        tables.referral_table(figures.of(selectors.referrals_by_service_kind), suppress=suppress),
        tables.meeting_table(
            figures.of(selectors.meeting_figures), kinds=[MeetingKind.MDT], suppress=suppress
        ),
    ]


@dataclass
class _PeriodFigures:
    """The selectors' figures for one set of concerns and period: kept for a few minutes
    once the period has ended (`cache.remembered`); "overdue now" always counted afresh."""

    concerns: ConcernFilter
    period: ReportPeriod
    now: datetime.datetime
    # When the oldest of the figures read so far was worked out.
    worked_out_at: datetime.datetime | None = None

    # Figures already kept, read together once (`read_kept`).
    kept: dict = field(default_factory=dict)

    def read_kept(self, selectors_used) -> _PeriodFigures:
        names = ["journey_through_period", *(selector.__name__ for selector in selectors_used)]
        self.kept = kept_figures(names, self.concerns, self.period, now=self.now)
        return self

    def of(self, selector):
        return self._remembered(selector.__name__, lambda: selector(self.concerns, self.period))

    def journey(self) -> selectors.JourneyFigures:
        journey = self._remembered(
            "journey_through_period",
            lambda: selectors.journey_through_period(self.concerns, self.period, now=self.now),
        )
        return selectors.count_overdue_now(journey, self.concerns, now=self.now)

    def _remembered(self, name: str, compute):
        if name in self.kept:
            return self._note(self.kept[name])
        return self._note(remembered(name, self.concerns, self.period, compute, now=self.now))

    def _note(self, kept):
        figures, worked_out_at = kept
        self.worked_out_at = min(worked_out_at, self.worked_out_at or worked_out_at)
        return figures


def build_dashboard(scope: ReportScope, period: ReportPeriod, *, now=None) -> Dashboard:
    figures = _PeriodFigures(ConcernFilter.of_scope(scope), period, now or timezone.now())
    figures.read_kept(_MDT_SELECTORS if scope.mdt_only else _FIGURE_SELECTORS)
    suppress = scope.suppress_small_numbers
    if scope.mdt_only:
        built = _mdt_tables(figures, suppress)
    else:
        built = _figure_tables(figures, scope.areas, suppress)
    return Dashboard(
        scope=scope, period=period, tables=built, worked_out_at=figures.worked_out_at or figures.now
    )
