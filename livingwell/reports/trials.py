"""Trials of a model of coproduction: who sets them up and sees them, who writes feedback
cards, the decision at the end, and the figures of the baseline and the trial side by side.

Who may do what (the one place these rules live; views call the getters and services):

- A manager sets up trials for an area of their organisation (as the reports count a
  manager's organisations), or a GP practice in one of those areas, and records the
  decision once the trial has ended.
- Managers of the trial's organisation, coordinators of its area (for a practice, the
  practice's area) and Multi-Disciplinary Team meeting chairs of its practice see the
  trial: its figures, its cards and its report. Anybody else with reports gets 404 (a
  trial of another organisation is not revealed); people with no reports get 403.
- People who work in the trial's place write one feedback card each, in the role they work
  there: volunteers, coordinators and team leaders of the area, clinicians and meeting
  chairs of the practice (of any practice of the area, for an area's trial), and managers of
  the organisation. A manager may also type up board members' paper cards, several of
  them. Writing a card opens nothing else: the card page shows the trial's title, place,
  dates and the two questions, never a figure.
- Cards are taken from the trial's first day until the decision is recorded, and are shown
  with the writer's role only, never who wrote them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from livingwell.accounts.models import Area, AreaMembership, PracticeMembership, Route, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import managed_organisations_of, staff_areas_of
from livingwell.reports.dashboard import figure_tables
from livingwell.reports.disclosure import Cell, count_cell, difference_cell, readable_hours, text_cell
from livingwell.reports.exports import SUPPRESSION_NOTE
from livingwell.reports.models import (
    LIMITATIONS_QUESTION,
    OPPORTUNITIES_QUESTION,
    CardWriterRole,
    FeedbackCard,
    Trial,
    TrialModel,
)
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.selectors import ConcernFilter
from livingwell.reports.tables import ROUTE_LABELS, ROUTE_ORDER, Column, Row, Table
from meetings.models import MeetingKind

# Who sees trials (as for the reports), and who may open a card page at all.
REPORT_ROLES = frozenset({Role.MANAGER, Role.COORDINATOR, Role.MDT_CHAIR})
CARD_ROLES = frozenset(
    {Role.VOLUNTEER, Role.COORDINATOR, Role.TEAM_LEADER, Role.MDT_CHAIR, Role.CLINICIAN, Role.MANAGER}
)

LONGEST_TRIAL = relativedelta(years=2)
FURTHEST_START = relativedelta(years=2)
TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000


# --- Who sees which trial --------------------------------------------------------------------


def may_set_up_trials(user: User) -> bool:
    """Managers set up trials in the organisations they manage (as the reports count them:
    the one they work for, and those of the areas where they work)."""
    return managed_organisations_of(user).exists()


def is_manager_of_trial(user: User, trial: Trial) -> bool:
    return managed_organisations_of(user).filter(pk=trial.organisation_id).exists()


def _current_practices_of(user: User) -> QuerySet:
    return PracticeMembership.objects.current().filter(user=user).values("practice")


def trials_visible_to(user: User) -> QuerySet[Trial]:
    """The trials a person sees (see the module's docstring), filtered in SQL."""
    if not user.is_authenticated or not user.has_role(*REPORT_ROLES):
        return Trial.objects.none()
    where = Q(pk__in=[])
    if user.has_role(Role.MANAGER):
        where |= Q(organisation__in=managed_organisations_of(user))
    if user.has_role(Role.COORDINATOR):
        areas = staff_areas_of(user, roles=[Role.COORDINATOR])
        where |= Q(area__in=areas) | Q(practice__area__in=areas)
    if user.has_role(Role.MDT_CHAIR):
        where |= Q(practice__in=_current_practices_of(user))
    return Trial.objects.filter(where)


def get_trial_for(user: User, pk: int) -> Trial:
    """A trial this person may see, or 403 (no reports at all) or 404 (not theirs)."""
    if not user.has_role(*REPORT_ROLES):
        raise PermissionDenied
    trial = (
        trials_visible_to(user)
        .select_related("organisation", "area", "practice__area", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if trial is None:
        raise Http404("No trial found")
    return trial


def trial_area_id(trial: Trial) -> int:
    """The area of the trial's place (for a practice, the practice's area)."""
    return trial.area_id if trial.area_id else trial.practice.area_id


def _area_members(trial: Trial) -> QuerySet[AreaMembership]:
    return AreaMembership.objects.current().filter(area_id=trial_area_id(trial))


def _practice_members(trial: Trial) -> QuerySet[PracticeMembership]:
    members = PracticeMembership.objects.current()
    if trial.practice_id:
        return members.filter(practice_id=trial.practice_id)
    return members.filter(practice__area_id=trial.area_id)


# The role a person writes their own card in, first match winning (a meeting chair who is
# also a clinician writes as the chair), and where they must work for it.
_AREA_ROLES = (Role.COORDINATOR, Role.TEAM_LEADER)
_PRACTICE_ROLES = (Role.MDT_CHAIR, Role.CLINICIAN)


def card_writer_role(user: User, trial: Trial) -> CardWriterRole | None:
    """The role in which `user` writes their own card for `trial`, or None if they do not
    work in the trial's place."""
    if not user.is_authenticated:
        return None
    if is_manager_of_trial(user, trial):
        return CardWriterRole.MANAGER
    works_in_area = (
        user.has_role(*_AREA_ROLES, Role.VOLUNTEER) and _area_members(trial).filter(user=user).exists()
    )
    if works_in_area:
        for role in _AREA_ROLES:
            if user.has_role(role):
                return CardWriterRole(role)
    if user.has_role(*_PRACTICE_ROLES) and _practice_members(trial).filter(user=user).exists():
        for role in _PRACTICE_ROLES:
            if user.has_role(role):
                return CardWriterRole(role)
    if works_in_area and user.has_role(Role.VOLUNTEER):
        return CardWriterRole.VOLUNTEER
    return None


def get_trial_for_card(user: User, pk: int) -> tuple[Trial, CardWriterRole]:
    """A trial this person writes a card for, with the role they write it in: 403 for
    people whose role writes no cards, 404 for a trial of a place they do not work in."""
    if not user.has_role(*CARD_ROLES):
        raise PermissionDenied
    trial = Trial.objects.select_related("organisation", "area", "practice__area").filter(pk=pk).first()
    role = card_writer_role(user, trial) if trial is not None else None
    if role is None:
        raise Http404("No trial found")
    return trial, role


def card_writers_of(trial: Trial) -> QuerySet[User]:
    """Everybody who writes their own card for `trial`, apart from its managers."""
    in_area = Exists(_area_members(trial).filter(user=OuterRef("pk")))
    at_practice = Exists(_practice_members(trial).filter(user=OuterRef("pk")))
    area_roles = [Role.VOLUNTEER, *_AREA_ROLES]
    return (
        User.objects.filter(is_active=True)
        .filter(Q(in_area, groups__name__in=area_roles) | Q(at_practice, groups__name__in=_PRACTICE_ROLES))
        .distinct()
    )


def cards_open(trial: Trial, today: datetime.date | None = None) -> bool:
    """Cards are written from the first day of the trial until the decision is recorded."""
    return trial.has_started(today) and not trial.is_decided


# --- Feedback cards ---------------------------------------------------------------------------


def own_card_of(user: User, trial: Trial) -> FeedbackCard | None:
    """The card `user` wrote for themself (to show them what they sent)."""
    return trial.cards.filter(entered_by=user).exclude(writer_role=CardWriterRole.BOARD_MEMBER).first()


@dataclass(frozen=True)
class CardText:
    opportunities: str
    limitations: str


@dataclass
class CardGroup:
    role: str
    cards: list[CardText] = field(default_factory=list)


def card_groups(trial: Trial) -> list[CardGroup]:
    """The trial's cards grouped by the writer's role (in the order of `CardWriterRole`):
    the role and the two answers, and nothing that says who wrote them. One query."""
    groups = {role: CardGroup(label) for role, label in CardWriterRole.choices}
    rows = trial.cards.order_by("written_at", "pk").values_list("writer_role", "opportunities", "limitations")
    for role, opportunities, limitations in rows:
        groups[role].cards.append(CardText(opportunities, limitations))
    return [group for group in groups.values() if group.cards]


# --- The decision -----------------------------------------------------------------------------


def may_decide(user: User, trial: Trial, today: datetime.date | None = None) -> bool:
    """Whether the decision form is for `user` now (the service checks again)."""
    return is_manager_of_trial(user, trial) and trial.has_ended(today) and not trial.is_decided


# --- The figures, side by side ----------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow(Row):
    """One figure in both periods and the difference. `unit` is what the spreadsheet's
    numbers are in; `key` marks a figure that matters for the model being tried."""

    unit: str = ""
    key: bool = False


@dataclass
class TrialFigures:
    baseline: ReportPeriod
    trial: ReportPeriod
    tables: list[Table]
    # What had nothing to compare (no concern took the route, no meeting of the kind).
    empty: list[str]
    started: bool
    so_far: bool

    @property
    def has_suppressed(self) -> bool:
        return any(table.has_suppressed for table in self.tables)


# The figures that matter for each model: (table, row, column), "*" for any. Rows are
# routes in the journey, meeting kinds in the meetings table.
ANY = "*"
KEY_FIGURES: dict[str, set[tuple[str, str, str]]] = {
    TrialModel.VOLUNTEERS_AT_MDT: {
        ("journey", Route.MDT, ANY),
        ("meetings", MeetingKind.MDT, ANY),
        ("meetings", ANY, "items_presented_by_volunteers"),
    },
    TrialModel.CLINICIANS_AT_VOLUNTEER_MEETINGS: {
        ("meetings", kind, column)
        for kind in (MeetingKind.FORMAL, MeetingKind.COFFEE_MORNING)
        for column in ("clinician_attendances", "held_with_a_clinician")
    },
    TrialModel.COFFEE_MORNING: {
        ("journey", Route.COFFEE_MORNING, ANY),
        ("meetings", MeetingKind.COFFEE_MORNING, ANY),
        ("coffee", ANY, ANY),
    },
    TrialModel.FORMAL_MEETING: {
        ("journey", Route.FORMAL_MEETING, ANY),
        ("meetings", MeetingKind.FORMAL, ANY),
    },
    TrialModel.PHONE_LINE: {("journey", Route.TEAM_LEADER_PHONE, ANY)},
}


def _is_key(model: str, table: str, row: str, column: str) -> bool:
    wanted = KEY_FIGURES.get(model, set())
    return any((table, r, c) in wanted for r in (row, ANY) for c in (column, ANY))


def comparison_columns(*, so_far: bool) -> list[Column]:
    return [
        Column("baseline", "Before the trial"),
        Column("trial", "During the trial so far" if so_far else "During the trial"),
        Column("difference", "Difference"),
    ]


def _difference(before: Cell, after: Cell, unit: str) -> Cell:
    """`difference_cell`, said in the figure's own terms: hours and days, percentage points."""
    cell = difference_cell(before, after)
    change = cell.value
    if not isinstance(change, int | float):
        return cell
    if change == 0:
        return Cell("no change", change)
    sign = "+" if change > 0 else "\N{MINUS SIGN}"
    size = abs(change)
    if unit == "hours":
        return Cell(f"{sign}{readable_hours(size)}", change)
    if unit == "%":
        return Cell(f"{sign}{size:g} percentage points", change)
    return Cell(f"{sign}{size:,}" if isinstance(size, int) else f"{sign}{size:g}", change)


def _comparison_row(label, before: Cell, after: Cell, *, unit: str = "", key: bool = False, is_total=False):
    return ComparisonRow(
        label, (before, after, _difference(before, after, unit)), is_total, unit=unit, key=key
    )


def _rows_by_label(table: Table) -> dict[str, Row]:
    return {row.label: row for row in table.rows}


def _is_empty(table: Table) -> bool:
    """Nothing happened in either period: every figure nought or none, none suppressed."""
    return all(not cell.suppressed and not cell.value for row in table.rows for cell in row.cells[:2])


# "Overdue now" counts concerns of any date waiting today: the same in both periods.
NOT_COMPARED = frozenset({"overdue_now"})
JOURNEY_ABOUT = (
    "Concerns reported in each period, and what happened to them by its end (or by now, "
    "for a period that has not ended). Times run from when the volunteer saw the problem, "
    "or from when it was reported, to the first time each step was reached: half of the "
    "concerns took no longer than the median, and 9 in 10 no longer than the second figure. "
    "A concern is acted on within target when someone looked at it before it was due for its "
    "severity (urgent 4 hours, high 1 day, medium 1 week, low 30 days)."
)


def _journey_tables(baseline: Table, trial: Table, *, model: str, columns) -> list[Table]:
    """One table per route (the model's own route first), then all routes together: each
    journey figure before and during the trial, and the difference."""
    before, during = _rows_by_label(baseline), _rows_by_label(trial)
    routes = sorted(ROUTE_ORDER, key=lambda route: not _is_key(model, "journey", route, ANY))
    built = []
    for route in [*routes, None]:
        label = ROUTE_LABELS[route] if route else "All routes"
        rows = [
            _comparison_row(
                column.label,
                before[label].cells[index],
                during[label].cells[index],
                unit=column.unit,
                key=route is not None and _is_key(model, "journey", route, column.key),
            )
            for index, column in enumerate(baseline.columns)
            if column.key not in NOT_COMPARED
        ]
        built.append(
            Table(
                key=f"journey-{route or 'all'}",
                title=f"{label} route" if route else "All routes together",
                about=JOURNEY_ABOUT,
                columns=columns,
                rows=rows,
            )
        )
    return built


def _meeting_tables(baseline: Table, trial: Table, *, model: str, columns) -> list[Table]:
    """One table per kind of meeting: each figure before and during the trial."""
    before, during = _rows_by_label(baseline), _rows_by_label(trial)
    built = []
    for kind, label in MeetingKind.choices:
        if label not in before:
            continue
        rows = [
            _comparison_row(
                column.label,
                before[label].cells[index],
                during[label].cells[index],
                key=_is_key(model, "meetings", kind, column.key),
            )
            for index, column in enumerate(baseline.columns)
        ]
        built.append(
            Table(key=f"meetings-{kind}", title=f"{label}s", about=baseline.about, columns=columns, rows=rows)
        )
    return built


def _figure_table(
    baseline: Table, trial: Table, *, column: str, model: str, columns, suppress: bool, title: str = ""
) -> Table:
    """A table of one figure per row (a count per category, per kind of outcome...), rows
    matched by their label: a row only one period has counts nought in the other."""
    index = baseline.column_index(column)
    before, during = _rows_by_label(baseline), _rows_by_label(trial)
    labels = [row.label for row in baseline.rows if not row.is_total]
    labels += [row.label for row in trial.rows if not row.is_total and row.label not in before]
    totals = [row.label for row in baseline.rows if row.is_total]
    totals += [row.label for row in trial.rows if row.is_total and row.label not in before]
    nought = count_cell(0, suppress=suppress)
    rows = []
    for label in [*labels, *totals]:
        in_before, in_during = before.get(label), during.get(label)
        unit = baseline.columns[index].unit
        rows.append(
            _comparison_row(
                label,
                in_before.cells[index] if in_before else nought,
                in_during.cells[index] if in_during else nought,
                unit=unit,
                key=_is_key(model, baseline.key, ANY, column),
                is_total=label in totals,
            )
        )
    return Table(
        key=baseline.key, title=title or baseline.title, about=baseline.about, columns=columns, rows=rows
    )


def comparison_tables(
    baseline: list[Table], trial: list[Table], *, model: str, so_far: bool, suppress: bool
) -> tuple[list[Table], list[str]]:
    """The dashboard's tables of both periods made into side-by-side tables, the empty ones
    left out (and named, second)."""
    before = {table.key: table for table in baseline}
    during = {table.key: table for table in trial}
    columns = comparison_columns(so_far=so_far)
    common = {"model": model, "columns": columns}
    tables = [
        *_journey_tables(before["routes"], during["routes"], **common),
        *_meeting_tables(before["meetings"], during["meetings"], **common),
        _figure_table(
            before["volunteers"], during["volunteers"], column="figure", suppress=suppress, **common
        ),
        _figure_table(
            before["coffee"],
            during["coffee"],
            column="figure",
            suppress=suppress,
            title="Coffee-morning concerns given an owner",
            **common,
        ),
        _figure_table(
            before["categories"],
            during["categories"],
            column="total",
            suppress=suppress,
            title="What the concerns were about",
            **common,
        ),
        _figure_table(before["outcomes"], during["outcomes"], column="outcomes", suppress=suppress, **common),
        _figure_table(
            before["referrals"], during["referrals"], column="referrals", suppress=suppress, **common
        ),
    ]
    kept = [table for table in tables if not _is_empty(table)]
    empty = [table.title for table in tables if _is_empty(table)]
    return kept, empty


def trial_places(trial: Trial) -> tuple[ConcernFilter, tuple[Area, ...]]:
    """The concerns a trial counts: its area's, or those of its practice's clients (every
    route), with the area they are in."""
    if trial.practice_id:
        practice = trial.practice
        return ConcernFilter((practice.area_id,), (practice.pk,)), (practice.area,)
    return ConcernFilter((trial.area_id,)), (trial.area,)


def trial_figures(trial: Trial, *, suppress: bool, now: datetime.datetime | None = None) -> TrialFigures:
    """The figures of the baseline and of the trial (so far, if it has not ended), side by
    side with the difference. The same number of queries whatever the data."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    concerns, areas = trial_places(trial)
    baseline, period = trial.baseline, trial.period
    before = figure_tables(concerns, baseline, areas=areas, suppress=suppress, now=now)
    during = figure_tables(concerns, period, areas=areas, suppress=suppress, now=now)
    so_far = not trial.has_ended(today)
    tables, empty = comparison_tables(before, during, model=trial.model, so_far=so_far, suppress=suppress)
    return TrialFigures(
        baseline=baseline,
        trial=period,
        tables=tables,
        empty=empty,
        started=trial.has_started(today),
        so_far=so_far,
    )


# --- The spreadsheet ------------------------------------------------------------------------


KEY_COLUMN = Column("key", "Matters most for this model")


def spreadsheet_tables(figures: TrialFigures, groups: list[CardGroup]) -> list[Table]:
    """The comparison tables as the spreadsheet writes them (each figure's unit in its row,
    a column marking the key figures), then the cards: role and the two answers."""
    tables = []
    for table in figures.tables:
        rows = [
            Row(
                f"{row.label} ({row.unit})" if getattr(row, "unit", "") else row.label,
                (*row.cells, text_cell("yes" if getattr(row, "key", False) else "")),
                row.is_total,
            )
            for row in table.rows
        ]
        tables.append(
            Table(
                key=table.key,
                title=table.title,
                about=table.about,
                columns=[*table.columns, KEY_COLUMN],
                rows=rows,
            )
        )
    card_rows = [
        Row(
            f"Card {number}",
            (text_cell(group.role), text_cell(card.opportunities), text_cell(card.limitations)),
        )
        for number, (group, card) in enumerate(
            ((group, card) for group in groups for card in group.cards), start=1
        )
    ]
    tables.append(
        Table(
            key="cards",
            title="Feedback cards",
            about="Each card's answers to the two questions, with the role of the person who "
            "wrote it (never who).",
            columns=[
                Column("role", "Written by a"),
                Column("opportunities", OPPORTUNITIES_QUESTION),
                Column("limitations", LIMITATIONS_QUESTION),
            ],
            rows=card_rows,
        )
    )
    return tables


def spreadsheet_about(trial: Trial, figures: TrialFigures, *, suppress: bool) -> list[tuple[str, str]]:
    about = [
        ("Trial", trial.title),
        ("Model of coproduction", trial.get_model_display()),
        ("Where", place_label(trial)),
        ("Baseline (before the trial)", figures.baseline.label),
        (
            "The trial",
            figures.trial.label + (" (figures so far: it has not ended)" if figures.so_far else ""),
        ),
        ("Status", trial.status.label),
        ("Decision", trial.get_decision_display() if trial.is_decided else "Not yet recorded"),
    ]
    if trial.is_decided:
        about.append(("Why", trial.decision_reason))
    if trial.description:
        about.append(("What is being tried", trial.description))
    if suppress:
        about.append(("Small numbers", SUPPRESSION_NOTE))
    about.append(("Taken", timezone.localtime().strftime("%d/%m/%Y %H:%M")))
    return about


def place_label(trial: Trial) -> str:
    if trial.practice_id:
        return f"{trial.practice.name} (GP practice, {trial.practice.area.name})"
    return trial.area.name
