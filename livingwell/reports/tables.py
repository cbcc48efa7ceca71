"""The reports as tables of `Cell`s: what the page shows, the CSV and the spreadsheet write,
and the charts draw. Built from the selectors' figures, with disclosure control applied
once, here."""

from __future__ import annotations

from dataclasses import dataclass, field

from livingwell.accounts.models import Route
from livingwell.reports import disclosure
from livingwell.reports.disclosure import Cell, count_cell, duration_cell, rate_cell, share_cell
from livingwell.reports.selectors import SERVICE_KIND_LABELS, Journey
from meetings.models import MeetingKind
from risks.models import OutcomeKind, RiskCategory, Severity


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # What a file's numbers are in (the page writes "3 days" or "45%" in each cell instead).
    unit: str = ""

    @property
    def heading_with_unit(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Chart:
    """A bar per row, of one column's values (rows whose value is withheld get no bar)."""

    column: str
    title: str
    unit: str = ""
    # The rows to draw, by label, when not every row is the same kind of figure.
    rows: tuple[str, ...] = ()


@dataclass
class Table:
    key: str
    title: str
    about: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    chart: Chart | None = None
    empty_text: str = "Nothing to count in this period."

    @property
    def has_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows for cell in row.cells)

    def column_index(self, key: str) -> int:
        return [column.key for column in self.columns].index(key)

    def chart_values(self) -> list[tuple[str, float | None]]:
        """(row label, value) for the chart's column; None where withheld or empty."""
        if self.chart is None:
            return []
        index = self.column_index(self.chart.column)
        return [
            (row.label, row.cells[index].value if isinstance(row.cells[index].value, int | float) else None)
            for row in self.charted_rows()
        ]

    def charted_rows(self) -> list[Row]:
        """The rows the chart draws: every row but the totals, or the chart's own choice."""
        if self.chart is None:
            return []
        rows = [row for row in self.rows if not row.is_total]
        if self.chart.rows:
            rows = [row for row in rows if row.label in self.chart.rows]
        return rows

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def protect_sums(self, sums: list[tuple[list[tuple[int, int]], tuple[int, int]]]) -> Table:
        """Withhold what would let a reader work a suppressed count out of a total (see
        `disclosure.hide_what_sums_reveal`); `sums` are (row, column) positions."""
        grid = [list(row.cells) for row in self.rows]
        disclosure.hide_what_sums_reveal(grid, sums)
        self.rows = [
            Row(row.label, tuple(cells), row.is_total) for row, cells in zip(self.rows, grid, strict=True)
        ]
        return self

    def column_sums(self, keys) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
        """Each of these columns: its rows add up to the (last) total row."""
        parts = [index for index, row in enumerate(self.rows) if not row.is_total]
        totals = [index for index, row in enumerate(self.rows) if row.is_total]
        if not parts or not totals:
            return []
        return [
            ([(index, self.column_index(key)) for index in parts], (totals[-1], self.column_index(key)))
            for key in keys
        ]


# The journey's counts that add up over routes and over areas (each concern has one of each).
ADDITIVE_JOURNEY_COLUMNS = ("concerns", "open_at_end", "reopened", "overdue_now")


ROUTE_LABELS = dict(Route.choices)
ROUTE_ORDER = [Route.FORMAL_MEETING, Route.COFFEE_MORNING, Route.TEAM_LEADER_PHONE, Route.MDT]

JOURNEY_COLUMNS = [
    Column("concerns", "Concerns"),
    Column("seen_median", "Seen to reported: median", "hours"),
    Column("seen_p90", "Seen to reported: 9 in 10 within", "hours"),
    Column("action_median", "Reported to first action: median", "hours"),
    Column("action_p90", "Reported to first action: 9 in 10 within", "hours"),
    Column("escalation_median", "To referral or passing on: median", "hours"),
    Column("escalation_p90", "To referral or passing on: 9 in 10 within", "hours"),
    Column("outcome_median", "To outcome: median", "hours"),
    Column("outcome_p90", "To outcome: 9 in 10 within", "hours"),
    Column("within_target", "Acted on within the target for its severity", "%"),
    Column("open_at_end", "Still open at the end of the period"),
    Column("reopened", "Reopened"),
    Column("overdue_now", "Overdue now"),
]

JOURNEY_ABOUT = (
    "Concerns reported in the period. Times run from when the volunteer saw the problem, "
    "or from when it was reported, to the first time each step was reached before the end "
    "of the period: half of the concerns took no longer than the median, and 9 in 10 no "
    "longer than the second figure. A concern is acted on within target when someone "
    "looked at it before it was due for its severity (urgent 4 hours, high 1 day, medium "
    "1 week, low 30 days); concerns not yet due are not counted against it. "
    '"Overdue now" counts concerns of any date waiting today.'
)


def journey_cells(journey: Journey, *, suppress: bool) -> tuple[Cell, ...]:
    def duration(pair, based_on):
        return [
            duration_cell(pair[0], based_on=based_on, suppress=suppress),
            duration_cell(pair[1], based_on=based_on, suppress=suppress),
        ]

    return (
        count_cell(journey.concerns, suppress=suppress),
        *duration(journey.seen_to_reported, journey.concerns),
        *duration(journey.to_first_action, journey.acted_on),
        *duration(journey.to_escalation, journey.escalated),
        *duration(journey.to_outcome, journey.with_outcome),
        share_cell(journey.within_target, journey.judged, suppress=suppress),
        count_cell(journey.open_at_end, suppress=suppress),
        count_cell(journey.reopened, suppress=suppress),
        count_cell(journey.overdue_now, suppress=suppress),
    )


def route_comparison_table(figures, *, routes=ROUTE_ORDER, suppress: bool) -> Table:
    rows = [
        Row(ROUTE_LABELS[route], journey_cells(figures.by_route.get(route, Journey()), suppress=suppress))
        for route in routes
    ]
    rows.append(Row("All routes", journey_cells(figures.total, suppress=suppress), is_total=True))
    # A meeting chair's report has one route: "four routes side by side" would mislead.
    title = "The four routes side by side"
    if list(routes) != ROUTE_ORDER:
        title = "The journey of a concern: " + " and ".join(ROUTE_LABELS[route] for route in routes)
    table = Table(
        key="routes",
        title=title,
        about=JOURNEY_ABOUT,
        columns=JOURNEY_COLUMNS,
        rows=rows,
        chart=Chart("action_median", "Median time from report to first action, by route", "hours"),
    )
    return table.protect_sums(table.column_sums(ADDITIVE_JOURNEY_COLUMNS))


def area_journey_table(figures, areas, *, suppress: bool) -> Table:
    rows = [
        Row(area.name, journey_cells(figures.by_area.get(area.pk, Journey()), suppress=suppress))
        for area in areas
    ]
    rows.append(Row("All areas", journey_cells(figures.total, suppress=suppress), is_total=True))
    table = Table(
        key="areas",
        title="The journey of a concern, by area",
        about=JOURNEY_ABOUT,
        columns=JOURNEY_COLUMNS,
        rows=rows,
        chart=Chart("concerns", "Concerns reported, by area"),
    )
    return table.protect_sums(table.column_sums(ADDITIVE_JOURNEY_COLUMNS))


def category_table(rows_by_category: list[dict], *, suppress: bool) -> Table:
    groups = dict(RiskCategory.Group.choices)
    columns = [Column("group", "Kind"), *(Column(s, label) for s, label in Severity.choices)]
    columns.append(Column("total", "All"))
    rows = []
    totals = dict.fromkeys([*Severity.values, "total"], 0)
    for row in rows_by_category:
        for key in totals:
            totals[key] += row[key]
        rows.append(
            Row(
                row["category__name"],
                (
                    disclosure.text_cell(groups[row["category__group"]]),
                    *(count_cell(row[s], suppress=suppress) for s in Severity.values),
                    count_cell(row["total"], suppress=suppress),
                ),
            )
        )
    if rows:
        rows.append(
            Row(
                "All kinds of concern",
                (
                    disclosure.text_cell(""),
                    *(count_cell(totals[s], suppress=suppress) for s in Severity.values),
                    count_cell(totals["total"], suppress=suppress),
                ),
                is_total=True,
            )
        )
    table = Table(
        key="categories",
        title="What the concerns were about, and how serious",
        about="Concerns reported in the period, by the kind of concern and the severity the volunteer chose.",
        columns=columns,
        rows=rows,
        chart=Chart("total", "Concerns by kind"),
        empty_text="No concerns were reported in this period.",
    )
    # Each severity column adds up to the total row, and each row's severities to its "All".
    severities = [table.column_index(s) for s in Severity.values]
    across = [
        ([(index, column) for column in severities], (index, table.column_index("total")))
        for index in range(len(rows))
    ]
    return table.protect_sums([*table.column_sums([*Severity.values, "total"]), *across])


def outcome_table(counts: dict[str, int], *, suppress: bool) -> Table:
    rows = [Row(label, (count_cell(counts[kind], suppress=suppress),)) for kind, label in OutcomeKind.choices]
    rows.append(Row("All outcomes", (count_cell(sum(counts.values()), suppress=suppress),), is_total=True))
    table = Table(
        key="outcomes",
        title="What came of the concerns",
        about="Outcomes recorded in the period, by the kind of difference they made.",
        columns=[Column("outcomes", "Outcomes")],
        rows=rows,
        chart=Chart("outcomes", "Outcomes by kind"),
    )
    return table.protect_sums(table.column_sums(["outcomes"]))


def referral_table(rows_by_kind: list[dict], *, suppress: bool) -> Table:
    rows = []
    medical = non_medical = 0
    kinds_of: dict[bool, list[int]] = {True: [], False: []}
    for row in rows_by_kind:
        kind = row["service__kind"]
        if kind is None:
            label, is_medical = "A named key worker (not a listed service)", None
        else:
            label, is_medical = SERVICE_KIND_LABELS[kind], row["service__is_medical"]
        if is_medical:
            medical += row["referrals"]
        elif is_medical is False:
            non_medical += row["referrals"]
        kind_text = {True: "Medical", False: "Not medical", None: "Key worker"}[is_medical]
        if is_medical is not None:
            kinds_of[is_medical].append(len(rows))
        rows.append(
            Row(label, (disclosure.text_cell(kind_text), count_cell(row["referrals"], suppress=suppress)))
        )
    if rows:
        for label, count in (("All medical services", medical), ("All non-medical services", non_medical)):
            rows.append(
                Row(label, (disclosure.text_cell(""), count_cell(count, suppress=suppress)), is_total=True)
            )
    table = Table(
        key="referrals",
        title="Where concerns were referred",
        about="Referrals made in the period, by the kind of service: not every need of an older "
        "person is medical.",
        columns=[Column("medical", "Medical or not"), Column("referrals", "Referrals")],
        rows=rows,
        chart=Chart("referrals", "Referrals by kind of service"),
        empty_text="No referrals were made in this period.",
    )
    if not rows:
        return table
    # The medical rows add up to "All medical services", the others to the last row.
    medical_total, non_medical_total = len(rows) - 2, len(rows) - 1
    return table.protect_sums(
        [
            ([(index, 1) for index in kinds_of[True]], (medical_total, 1)),
            ([(index, 1) for index in kinds_of[False]], (non_medical_total, 1)),
        ]
    )


GOOD_NEWS_WITH_DETAIL = "Good news sent with what happened"
GOOD_NEWS_THANKS_ONLY = "Good news sent as thanks only (the client had not agreed to share details)"
GOOD_NEWS_ROWS = (GOOD_NEWS_WITH_DETAIL, GOOD_NEWS_THANKS_ONLY)
COFFEE_RAISED = "Concerns raised at coffee mornings"
COFFEE_OWNED = "Given an owner within 2 days"
COFFEE_ROWS = (COFFEE_RAISED, COFFEE_OWNED)


def volunteer_table(figures, *, suppress: bool) -> Table:
    news = figures.good_news_with_detail + figures.good_news_thanks_only
    rows = [
        Row("Active volunteers in these areas", (count_cell(figures.active, suppress=suppress),)),
        Row("Volunteers who raised a concern", (count_cell(figures.reporting, suppress=suppress),)),
        Row(
            "Concerns per active volunteer",
            (rate_cell(figures.concerns, figures.active, suppress=suppress),),
        ),
        Row(GOOD_NEWS_WITH_DETAIL, (count_cell(figures.good_news_with_detail, suppress=suppress),)),
        Row(GOOD_NEWS_THANKS_ONLY, (count_cell(figures.good_news_thanks_only, suppress=suppress),)),
        Row(
            "Share of good news sent with what happened",
            (share_cell(figures.good_news_with_detail, news, suppress=suppress),),
        ),
        Row(
            "Active volunteers willing to attend Multi-Disciplinary Team meetings",
            (count_cell(figures.mdt_opted_in, suppress=suppress),),
        ),
    ]
    return Table(
        key="volunteers",
        title="Volunteers",
        about="Volunteers who worked in these areas during the period and are active now; the "
        "good news sent when a concern they raised had an outcome recorded in the period.",
        columns=[Column("figure", "Figure")],
        rows=rows,
        chart=Chart("figure", "Good news sent: with what happened, or thanks only", rows=GOOD_NEWS_ROWS),
    )


MEETING_COLUMNS = [
    Column("held", "Held"),
    Column("cancelled", "Cancelled"),
    Column("items", "Concerns or clients discussed"),
    Column("items_presented_by_volunteers", "Presented by a volunteer"),
    Column("volunteer_attendances", "Volunteers who attended"),
    Column("clinician_attendances", "Clinicians who attended"),
    Column("held_with_a_clinician", "Meetings a clinician came to"),
]


def meeting_table(figures: dict, *, kinds=tuple(MeetingKind.values), suppress: bool) -> Table:
    labels = dict(MeetingKind.choices)
    rows = []
    for kind in kinds:
        meeting = figures[kind]
        rows.append(
            Row(
                labels[kind],
                tuple(
                    count_cell(getattr(meeting, column.key), suppress=suppress) for column in MEETING_COLUMNS
                ),
            )
        )
    return Table(
        key="meetings",
        title="Meetings, and who came",
        about="Meetings that were due to start in the period. Clinicians at volunteer meetings "
        "(formal meetings and coffee mornings) is one of the models being tried.",
        columns=MEETING_COLUMNS,
        rows=rows,
        chart=Chart("held", "Meetings held, by kind"),
    )


def coffee_morning_table(figures, *, suppress: bool) -> Table:
    return Table(
        key="coffee",
        title="Coffee mornings: did each concern get an owner?",
        about="Concerns raised at coffee mornings in the period, and how many had an action "
        "with a named owner agreed within 2 days.",
        columns=[Column("figure", "Figure")],
        rows=[
            Row(COFFEE_RAISED, (count_cell(figures.concerns, suppress=suppress),)),
            Row(COFFEE_OWNED, (count_cell(figures.owned_within_two_days, suppress=suppress),)),
            Row(
                "Share given an owner within 2 days",
                (share_cell(figures.owned_within_two_days, figures.concerns, suppress=suppress),),
            ),
        ],
        chart=Chart(
            "figure", "Coffee-morning concerns, and those given an owner within 2 days", rows=COFFEE_ROWS
        ),
    )
