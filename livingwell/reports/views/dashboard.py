from __future__ import annotations

import functools
import hashlib
import inspect
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from livingwell.accounts.roles import Role
from livingwell.reports import charts
from livingwell.reports.cache import remembered_pieces
from livingwell.reports.dashboard import Dashboard, build_dashboard
from livingwell.reports.disclosure import Cell
from livingwell.reports.forms import CUSTOM, ReportFilterForm
from livingwell.reports.periods import PRESETS
from livingwell.reports.scope import ReportScope, report_scope_for
from livingwell.reports.selectors import ConcernFilter
from livingwell.reports.tables import Table

# What the first column of each table lists (the tables name their rows, not the column);
# a table turned on its side lists figures there.
ROW_HEADINGS = {
    "categories": "Kind of concern",
    "outcomes": "Outcome",
    "referrals": "Kind of service",
}
# A table with more figures a row than this is shown turned on its side.
MOST_COLUMNS = 6
# A table of more columns than this has its chart beside it only on a wide screen.
COLUMNS_BESIDE_A_CHART = 4
# A table's section of the page, with its chart; and what else it is drawn with.
SECTION_TEMPLATE = "reports/includes/table.html"
SECTION_DRAWN_WITH = ("reports/includes/chart.html", "includes/empty_state.html")


def filtered(request):
    """The scope the person may see, and the period and areas they asked for (from the
    address). Refuses anyone with no reports."""
    scope = report_scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    form = ReportFilterForm(request.GET or None, scope=scope)
    return form, form.report_scope(), form.report_period()


@dataclass(frozen=True)
class ShownCell:
    cell: Cell
    # The column's heading, which a phone writes above the figure.
    label: str
    is_total: bool = False

    @property
    def css_class(self) -> str:
        classes = ["report-total-column"] if self.is_total else []
        if self.cell.suppressed:
            classes.append("report-hidden")
        return " ".join(classes)


@dataclass(frozen=True)
class ShownRow:
    label: str
    cells: list[ShownCell]
    is_total: bool = False


@dataclass(frozen=True)
class ShownTable:
    """A table as the page lays it out, with its chart. A table of many figures a row (the
    journey of a concern has thirteen) is turned on its side: the routes or areas become
    the columns, side by side, and each figure a row, so it fits a laptop's screen."""

    table: Table
    chart: charts.DrawnChart | None

    @property
    def is_turned(self) -> bool:
        return len(self.table.columns) > MOST_COLUMNS

    @property
    def row_heading(self) -> str:
        if self.is_turned:
            return "Figure"
        return ROW_HEADINGS.get(self.table.key, "What is counted")

    @property
    def column_headings(self) -> list[str]:
        if self.is_turned:
            return [row.label for row in self.table.rows]
        return [column.label for column in self.table.columns]

    @property
    def chart_beside_from(self) -> str:
        """The Bootstrap breakpoint from which the chart sits beside the table."""
        return "lg" if len(self.column_headings) < COLUMNS_BESIDE_A_CHART else "xl"

    @property
    def rows(self) -> list[ShownRow]:
        table = self.table
        if self.is_turned:
            return [
                ShownRow(
                    column.label,
                    [ShownCell(row.cells[index], row.label, row.is_total) for row in table.rows],
                )
                for index, column in enumerate(table.columns)
            ]
        return [
            ShownRow(
                row.label,
                [
                    ShownCell(cell, column.label)
                    for column, cell in zip(table.columns, row.cells, strict=True)
                ],
                row.is_total,
            )
            for row in table.rows
        ]


@dataclass(frozen=True)
class Section:
    """A table and its section of the page, written out (`html`)."""

    table: Table
    html: str


def sections(board: Dashboard, *, now) -> list[Section]:
    """Each table's section, with its chart: drawn afresh, or for an ended period, as it was
    drawn a moment ago from the same figures for the same areas (`cache.remembered_pieces`).
    A table whose figures changed ("overdue now") is a new entry, drawn afresh."""

    def drawing(table: Table):
        def draw() -> str:
            shown = ShownTable(table, charts.draw(table) if table.rows else None)
            return render_to_string(SECTION_TEMPLATE, {"shown": shown, "period": board.period})

        return draw

    pieces = [(_section_content(board, table), drawing(table)) for table in board.tables]
    written = remembered_pieces(
        "dashboard_section", ConcernFilter.of_scope(board.scope), board.period, pieces, now=now
    )
    # Written by the template above, escaped there.
    return [Section(table, mark_safe(html)) for table, html in zip(board.tables, written, strict=True)]


def _section_content(board: Dashboard, table: Table) -> str:
    """Everything a table's section is drawn from, as plain data: the table's every label
    and figure, whether small numbers are hidden, and the layout."""
    return repr((_layout(), board.scope.suppress_small_numbers, table))


@functools.cache
def _layout() -> str:
    """The templates and the chart drawing a section is made with: after a change to any of
    them, no section drawn before it is used again."""
    sources = [get_template(name).template.source for name in (SECTION_TEMPLATE, *SECTION_DRAWN_WITH)]
    sources.append(inspect.getsource(charts))
    return hashlib.sha256("\n".join(sources).encode()).hexdigest()


def whose_figures(user, scope: ReportScope) -> str:
    """Whose figures these are, in words: a manager's organisation, a coordinator's areas,
    a meeting chair's practice."""
    if scope.mdt_only:
        practices = " and ".join(practice.name for practice in scope.practices)
        return f"The Multi-Disciplinary Team meetings of {practices}"
    organisations = sorted({area.organisation.name for area in scope.areas})
    if user.has_role(Role.MANAGER):
        return " and ".join(organisations)
    return "The areas you coordinate"


def areas_shown(scope: ReportScope, chosen: ReportScope) -> str:
    names = ", ".join(area.name for area in chosen.areas)
    if len(chosen.areas) == len(scope.areas):
        return f"{names} (all of yours)" if len(scope.areas) > 1 else names
    return f"{names} ({len(chosen.areas)} of your {len(scope.areas)} areas)"


def period_name(form: ReportFilterForm) -> str:
    """The preset's name ("The last 3 complete months"), or "" for dates of one's own."""
    preset = form.preset()
    return "" if preset == CUSTOM else PRESETS[preset][0]


@login_required
def dashboard(request):
    form, scope, period = filtered(request)
    now = timezone.now()
    board: Dashboard = build_dashboard(scope, period, now=now)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "dashboard": board,
            "sections": sections(board, now=now),
            "whose": whose_figures(request.user, form.scope),
            "areas_shown": areas_shown(form.scope, scope),
            "period_name": period_name(form),
            "worked_out_at": timezone.localtime(board.worked_out_at),
            "figures_kept_minutes": settings.REPORT_FIGURES_CACHE_SECONDS // 60,
            "choose_areas": len(form.scope.areas) > 1,
            "query": f"?{query}" if query else "",
            # The row-level extract is for analysts of the programme's areas; a meeting
            # chair's reports are their practice's meeting figures only.
            "offers_extract": not scope.mdt_only,
        },
    )
