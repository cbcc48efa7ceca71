"""The monthly summary: on the first of each month, each active manager is sent last
month's headline figures for their organisation, through the outbox, once.

The figures are the dashboard's own (`build_dashboard` over the manager's report scope),
read from its tables as `Cell`s, so small numbers are suppressed exactly as on the page:
a count from 1 to 4 reads "fewer than 5" and what is worked out from it is withheld. The
summary names no client and no volunteer: it carries counts, shares and times only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from livingwell.reports.dashboard import build_dashboard
from livingwell.reports.disclosure import FEWER_THAN_5, Cell, count_cell
from livingwell.reports.models import MonthlySummary
from livingwell.reports.periods import ReportPeriod, last_month
from livingwell.reports.scope import ReportScope, report_scope_for
from livingwell.reports.tables import Row, Table


@dataclass(frozen=True)
class Headline:
    """Last month's headline figures for one scope, each as the dashboard shows it."""

    period: ReportPeriod
    place: str
    concerns: Cell
    within_target: Cell
    first_action_by_route: tuple[tuple[str, Cell], ...]
    outcomes: Cell
    medical_referrals: Cell
    non_medical_referrals: Cell
    active_volunteers: Cell

    @property
    def has_suppressed(self) -> bool:
        cells = [
            self.concerns,
            self.within_target,
            *(cell for _, cell in self.first_action_by_route),
            self.outcomes,
            self.medical_referrals,
            self.non_medical_referrals,
            self.active_volunteers,
        ]
        return any(cell.suppressed for cell in cells)


def _row(table: Table, label: str) -> Row | None:
    return next((row for row in table.rows if row.label == label), None)


def _total(table: Table) -> Row:
    return next(row for row in table.rows if row.is_total)


def headline_for(scope: ReportScope, period: ReportPeriod, *, now=None) -> Headline:
    """The headline figures of the dashboard of `scope` over `period`."""
    dashboard = build_dashboard(scope, period, now=now)
    tables = {table.key: table for table in dashboard.tables}
    suppress = scope.suppress_small_numbers

    routes = tables["routes"]
    all_routes = _total(routes)
    action_median = routes.column_index("action_median")

    referrals = tables["referrals"]

    def referrals_to(label: str) -> Cell:
        # The table has no rows (so no totals) when nothing was referred.
        row = _row(referrals, label)
        return row.cells[referrals.column_index("referrals")] if row else count_cell(0, suppress=suppress)

    volunteers = _row(tables["volunteers"], "Active volunteers in these areas")
    return Headline(
        period=period,
        place=dashboard.place,
        concerns=all_routes.cells[routes.column_index("concerns")],
        within_target=all_routes.cells[routes.column_index("within_target")],
        first_action_by_route=tuple(
            (row.label, row.cells[action_median]) for row in routes.rows if not row.is_total
        ),
        outcomes=_total(tables["outcomes"]).cells[0],
        medical_referrals=referrals_to("All medical services"),
        non_medical_referrals=referrals_to("All non-medical services"),
        active_volunteers=volunteers.cells[0],
    )


def summary_title(period: ReportPeriod) -> str:
    return f"Last month's figures: {period.start:%B} {period.start.year}"


def summary_body(headline: Headline) -> str:
    month = f"{headline.period.start:%B} {headline.period.start.year}"
    lines = [
        f"The headline figures for {month} ({headline.period.label}) in {headline.place}.",
        "",
        f"Concerns reported: {headline.concerns}",
        f"Acted on within the target for their severity: {headline.within_target}",
        "Median time from a concern being reported to the first action on it, by route:",
        *(f"• {route}: {cell}" for route, cell in headline.first_action_by_route),
        f"Outcomes recorded: {headline.outcomes}",
        f"Referrals to medical services: {headline.medical_referrals}",
        f"Referrals to non-medical services: {headline.non_medical_referrals}",
        f"Active volunteers: {headline.active_volunteers}",
    ]
    if headline.has_suppressed:
        lines += [
            "",
            f'So that nobody can be recognised, counts from 1 to 4 read "{FEWER_THAN_5}" and '
            "figures worked out from them are withheld.",
        ]
    lines += ["", "Open the full report for last month, with every table and chart, in Reports."]
    return "\n".join(lines)


def summary_link() -> str:
    return f"{reverse('reports:dashboard')}?period=last_month"


def monthly_summaries_send(*, now: datetime.datetime | None = None) -> int:
    """Send each active manager last month's headline figures for their organisation,
    once. Returns how many managers were sent one.

    Safe to run any number of times, at once or in turn: each (manager, month) is a row
    with a unique constraint, written in the same transaction as the notification, so a
    second run (or a concurrent one, which waits for the first's insert) sends nothing.
    Managers with the same report scope share one computation of the figures."""
    now = now or timezone.now()
    period = last_month(timezone.localdate(now))
    already = MonthlySummary.objects.filter(month=period.start).values("manager")
    managers = (
        User.objects.filter(is_active=True, groups__name=Role.MANAGER)
        .exclude(pk__in=already)
        .distinct()
        .order_by("pk")
    )
    headlines: dict[tuple, Headline] = {}
    sent = 0
    for manager in managers:
        scope = report_scope_for(manager)
        if scope is None or scope.mdt_only:
            continue  # no organisation's figures to send (they work for none, or only chair)
        key = (tuple(scope.area_ids), scope.suppress_small_numbers)
        if key not in headlines:
            headlines[key] = headline_for(scope, period, now=now)
        if _send_summary(manager, headline=headlines[key]):
            sent += 1
    return sent


def _send_summary(manager: User, *, headline: Headline) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                summary = MonthlySummary.objects.create(manager=manager, month=headline.period.start)
        except IntegrityError:
            return False  # sent already this month, by an earlier run or one running now
        summary.notification = notify(
            recipient=manager,
            kind=Notification.Kind.MONTHLY_SUMMARY,
            title=summary_title(headline.period),
            body=summary_body(headline),
            link=summary_link(),
        )
        summary.save(update_fields=["notification"])
    return True
