"""The dashboard: every table for one scope and period, in the order a board paper reads."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from livingwell.accounts.models import Route
from livingwell.reports import selectors, tables
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
    journey = selectors.journey_figures(concerns, period, now=now)
    return [
        tables.route_comparison_table(journey, suppress=suppress),
        tables.area_journey_table(journey, areas, suppress=suppress),
        tables.category_table(selectors.concerns_by_category(concerns, period), suppress=suppress),
        tables.outcome_table(selectors.outcomes_by_kind(concerns, period), suppress=suppress),
        tables.referral_table(selectors.referrals_by_service_kind(concerns, period), suppress=suppress),
        tables.volunteer_table(selectors.volunteer_figures(concerns, period), suppress=suppress),
        tables.meeting_table(selectors.meeting_figures(concerns, period), suppress=suppress),
        tables.coffee_morning_table(selectors.coffee_morning_figures(concerns, period), suppress=suppress),
    ]


def mdt_tables(concerns: ConcernFilter, period: ReportPeriod, *, suppress: bool, now=None) -> list[Table]:
    """A meeting chair's figures: their practices' Multi-Disciplinary Team meetings and the
    concerns that took that route."""
    journey = selectors.journey_figures(concerns, period, now=now)
    return [
        tables.route_comparison_table(journey, routes=[Route.MDT], suppress=suppress),
        tables.category_table(selectors.concerns_by_category(concerns, period), suppress=suppress),
        tables.outcome_table(selectors.outcomes_by_kind(concerns, period), suppress=suppress),
        tables.referral_table(selectors.referrals_by_service_kind(concerns, period), suppress=suppress),
        tables.meeting_table(
            selectors.meeting_figures(concerns, period), kinds=[MeetingKind.MDT], suppress=suppress
        ),
    ]


def build_dashboard(scope: ReportScope, period: ReportPeriod, *, now=None) -> Dashboard:
    now = now or timezone.now()
    concerns = ConcernFilter.of_scope(scope)
    suppress = scope.suppress_small_numbers
    if scope.mdt_only:
        built = mdt_tables(concerns, period, suppress=suppress, now=now)
    else:
        built = figure_tables(concerns, period, areas=scope.areas, suppress=suppress, now=now)
    return Dashboard(scope=scope, period=period, tables=built)
