"""Every figure of the reports checked against an answer worked out by hand, on the small
fixed data set of `tests/reports/fixtures_figures.py` (February 2025, Greenwich time).

The concerns reported in February, in West and East Cornwall (one organisation). Hours run
from the report; targets: urgent 4 h, high 24 h, medium 168 h, low 720 h. The period ends
at 1 March 00:00, the cutoff: a step after it does not count.

 #  area route   severity seen  first action     passed on outcome      at the cutoff     today
 1  W   formal   medium   12 h  100 (≤168 ✓)     200       300          outcome           outcome
 2  W   formal   low      24 h  400 (≤720 ✓)     (11 Mar)  -            triaged: open     passed on
 3  W   phone    urgent    1 h    6 (>4 ✗)         8        48 (first)  outcome           outcome
 4  E   phone    high      2 h    3 (≤24 ✓)       10       (5 Mar)      passed on: open   outcome
 5  E   coffee   medium  0.5 h   30 (≤168 ✓)      72       120          outcome           outcome
 6  E   coffee   low       4 h    - (not judged)   -        -           reported: open    overdue
 7  W   MDT      high      6 h   30 (>24 ✗)       40       200          outcome           outcome
 8  W   MDT      medium    1 h   20 (≤168 ✓)      50        -           passed on: open   passed on
 9  W   formal   high      3 h    - (judged ✗)     -        -           reported: open    overdue
10  W   phone    urgent 0.25 h    2 (closed, ✓)    -        -           closed            closed

Concern 3 was closed at 50 h, reopened at 100 h and given an outcome again at 150 h: its
first outcome counts. Concern 6 is due on 22 March, after the cutoff, and was not acted on:
it is not judged against its target. Concern 9 was due on 25 February, before the cutoff,
and was first looked at on 3 March: judged, and late. Concern 7 is about a patient of
Alverton Practice (whose Multi-Disciplinary Team meeting the data set's meeting chair
chairs), 8 about a patient of Penzance Health Centre.

Not counted: a concern reported on 28 January (its outcome on 5 February is an outcome of
the period), one reported on 2 March (waiting today: it is overdue now), and two in
Plymouth, an area of another organisation.

Concern 3 was reopened: reopening made it due again 4 hours after the reopening (as
`risk_reopen` does), but its first action (6 hours) was judged against its first target
(4 hours): not within target.

PostgreSQL's percentile_cont(p) over sorted v1..vn takes position 1 + (n - 1)p and
interpolates linearly between the values either side.
"""

from __future__ import annotations

import datetime

import pytest

from livingwell.accounts.models import Route
from livingwell.reports import selectors, tables
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.scope import report_scope_for
from livingwell.reports.selectors import ConcernFilter, journey_figures
from meetings.models import MeetingKind
from risks.models import OutcomeKind
from tests.reports.fixtures_figures import FEBRUARY, NOW, at, build_february

FM, CM, TL, MDT = Route.FORMAL_MEETING, Route.COFFEE_MORNING, Route.TEAM_LEADER_PHONE, Route.MDT


@pytest.fixture
def feb(db, fast_password_hashing):
    return build_february()


@pytest.fixture
def cornwall(feb):
    """The concerns of West and East Cornwall, every route."""
    return ConcernFilter((feb.west.pk, feb.east.pk))


@pytest.fixture
def figures(cornwall):
    return journey_figures(cornwall, FEBRUARY, now=NOW)


def durations(journey):
    return {
        "seen": journey.seen_to_reported,
        "action": journey.to_first_action,
        "escalation": journey.to_escalation,
        "outcome": journey.to_outcome,
    }


def approx_pairs(expected: dict) -> dict:
    return {key: (pytest.approx(median), pytest.approx(p90)) for key, (median, p90) in expected.items()}


# --- The journey of a concern, in total --------------------------------------------------


def test_all_concerns_counted_once_and_only_those_reported_in_the_period_in_scope(figures):
    # 10 concerns reported in February in West and East; not the one of 28 January, the one
    # of 2 March, nor the two of Plymouth (another organisation's area).
    assert figures.total.concerns == 10


def test_medians_and_90th_percentiles_in_total(figures):
    # Seen to reported (n = 10), sorted: 0.25 0.5 1 1 2 3 4 6 12 24.
    #   median: position 1 + 9(0.5) = 5.5 -> (2 + 3) / 2 = 2.5
    #   p90:    position 1 + 9(0.9) = 9.1 -> 12 + 0.1(24 - 12) = 13.2
    # First action before the cutoff (n = 8; 6 and 9 have none), sorted: 2 3 6 20 30 30 100 400.
    #   median: position 4.5 -> (20 + 30) / 2 = 25
    #   p90:    position 1 + 7(0.9) = 7.3 -> 100 + 0.3(400 - 100) = 190
    # Passed on (n = 6; 2 was passed on after the period), sorted: 8 10 40 50 72 200.
    #   median: position 3.5 -> (40 + 50) / 2 = 45
    #   p90:    position 1 + 5(0.9) = 5.5 -> 72 + 0.5(200 - 72) = 136
    # Outcome (n = 4; 3 keeps its first, 48; 4's came after the period), sorted: 48 120 200 300.
    #   median: position 2.5 -> (120 + 200) / 2 = 160
    #   p90:    position 1 + 3(0.9) = 3.7 -> 200 + 0.7(300 - 200) = 270
    assert durations(figures.total) == approx_pairs(
        {"seen": (2.5, 13.2), "action": (25, 190), "escalation": (45, 136), "outcome": (160, 270)}
    )
    assert (figures.total.acted_on, figures.total.escalated, figures.total.with_outcome) == (8, 6, 4)


def test_within_target_share_in_total(figures):
    # Judged: the 8 acted on, and 9 (due 25 February, before the cutoff, not acted on).
    # Not judged: 6 (due 22 March, after the cutoff, not acted on).
    # Within target: 1, 2, 4, 5, 8, 10 = 6. Not: 3 (6 h against 4 h: the reopening does not
    # move its first target), 7 (30 h against 24 h), 9 (never acted on by its due time).
    assert (figures.total.within_target, figures.total.judged) == (6, 9)


def test_open_at_end_reopened_and_overdue_now_in_total(figures):
    # Open at the cutoff, from the events: 2 (triaged), 4 (passed on; its outcome came in
    # March), 6 (reported), 8 (passed on), 9 (reported). Not 3: reopened on 14 February but
    # given an outcome again on 16 February.
    assert figures.total.open_at_end == 5
    assert figures.total.reopened == 1
    # Overdue now (1 June), any date: 6 (due 22 March), 9 (due 25 February) and the concern of
    # 2 March (due 9 March), all still waiting. Not 2: passed on in March. Not Plymouth's.
    assert figures.total.overdue_now == 3


def test_a_reopened_concern_keeps_its_first_outcome_and_first_target(feb):
    # West's phone line: 3 (reopened) and 10. 3's outcome time is its first (48 h, not
    # 150 h); it is judged against 4 hours from its report (late at 6 h), not against the
    # 4 hours from its reopening that its due time now says.
    phone = journey_figures(ConcernFilter((feb.west.pk,), routes=(TL,)), FEBRUARY, now=NOW).total
    assert phone.to_outcome == (pytest.approx(48), pytest.approx(48))
    assert (phone.within_target, phone.judged, phone.reopened, phone.open_at_end) == (1, 2, 1, 0)


# --- Route comparison ---------------------------------------------------------------------


def test_route_comparison_formal_meeting(figures):
    formal = figures.by_route[FM]
    # 1, 2, 9. Seen: 3 12 24 -> median 12; p90 position 1 + 2(0.9) = 2.8 -> 12 + 0.8(12) = 21.6.
    # Action: 100 400 -> median 250; p90 position 1.9 -> 100 + 0.9(300) = 370.
    # Passed on: 200 only; outcome: 300 only.
    assert formal.concerns == 3
    assert durations(formal) == approx_pairs(
        {"seen": (12, 21.6), "action": (250, 370), "escalation": (200, 200), "outcome": (300, 300)}
    )
    # Judged 1, 2, 9; within 1, 2. Open: 2, 9. Overdue now: 9 and the concern of 2 March.
    assert (formal.within_target, formal.judged) == (2, 3)
    assert (formal.open_at_end, formal.reopened, formal.overdue_now) == (2, 0, 2)


def test_route_comparison_coffee_morning(figures):
    coffee = figures.by_route[CM]
    # 5, 6. Seen: 0.5 4 -> median 2.25; p90 position 1.9 -> 0.5 + 0.9(3.5) = 3.65.
    assert coffee.concerns == 2
    assert durations(coffee) == approx_pairs(
        {"seen": (2.25, 3.65), "action": (30, 30), "escalation": (72, 72), "outcome": (120, 120)}
    )
    # Judged: 5 only (6 not due by the cutoff). Open: 6. Overdue now: 6.
    assert (coffee.within_target, coffee.judged) == (1, 1)
    assert (coffee.open_at_end, coffee.reopened, coffee.overdue_now) == (1, 0, 1)


def test_route_comparison_team_leader_phone(figures):
    phone = figures.by_route[TL]
    # 3, 4, 10. Seen: 0.25 1 2 -> median 1; p90 position 2.8 -> 1 + 0.8(1) = 1.8.
    # Action: 2 3 6 -> median 3; p90 -> 3 + 0.8(3) = 5.4.
    # Passed on: 8 10 -> median 9; p90 position 1.9 -> 8 + 0.9(2) = 9.8.
    # Outcome: 48 (3's first; 4's came in March).
    assert phone.concerns == 3
    assert durations(phone) == approx_pairs(
        {"seen": (1, 1.8), "action": (3, 5.4), "escalation": (9, 9.8), "outcome": (48, 48)}
    )
    # Within: 4, 10; not 3. Open: 4. Reopened: 3.
    assert (phone.within_target, phone.judged) == (2, 3)
    assert (phone.open_at_end, phone.reopened, phone.overdue_now) == (1, 1, 0)


def test_route_comparison_mdt(figures):
    mdt = figures.by_route[MDT]
    # 7, 8. Seen: 1 6 -> median 3.5; p90 1 + 0.9(5) = 5.5. Action: 20 30 -> 25; 20 + 0.9(10) = 29.
    # Passed on: 40 50 -> 45; 40 + 0.9(10) = 49. Outcome: 200 (7).
    assert mdt.concerns == 2
    assert durations(mdt) == approx_pairs(
        {"seen": (3.5, 5.5), "action": (25, 29), "escalation": (45, 49), "outcome": (200, 200)}
    )
    # Within: 8; not 7 (30 h against 24 h). Open: 8.
    assert (mdt.within_target, mdt.judged) == (1, 2)
    assert (mdt.open_at_end, mdt.reopened, mdt.overdue_now) == (1, 0, 0)


def test_the_routes_add_up_to_the_total(figures):
    routes = figures.by_route.values()
    for name in ("concerns", "acted_on", "escalated", "with_outcome", "judged", "within_target"):
        assert sum(getattr(journey, name) for journey in routes) == getattr(figures.total, name), name
    for name in ("open_at_end", "reopened", "overdue_now"):
        assert sum(getattr(journey, name) for journey in routes) == getattr(figures.total, name), name


# --- Per area ------------------------------------------------------------------------------


def test_west_cornwall(feb, figures):
    west = figures.by_area[feb.west.pk]
    # 1, 2, 3, 7, 8, 9, 10 (n = 7). Seen sorted: 0.25 1 1 3 6 12 24:
    #   median position 4 -> 3; p90 position 1 + 6(0.9) = 6.4 -> 12 + 0.4(12) = 16.8.
    # Action (n = 6): 2 6 20 30 100 400: median position 3.5 -> 25; p90 position 5.5 -> 100 + 0.5(300) = 250.
    # Passed on (n = 4): 8 40 50 200: median 45; p90 position 3.7 -> 50 + 0.7(150) = 155.
    # Outcome (n = 3): 48 200 300: median 200; p90 position 2.8 -> 200 + 0.8(100) = 280.
    assert west.concerns == 7
    assert durations(west) == approx_pairs(
        {"seen": (3, 16.8), "action": (25, 250), "escalation": (45, 155), "outcome": (200, 280)}
    )
    # Judged all 7; within 1, 2, 8, 10. Open 2, 8, 9. Overdue now: 9 and the concern of 2 March.
    assert (west.within_target, west.judged) == (4, 7)
    assert (west.open_at_end, west.reopened, west.overdue_now) == (3, 1, 2)


def test_east_cornwall(feb, figures):
    east = figures.by_area[feb.east.pk]
    # 4, 5, 6. Seen: 0.5 2 4 -> median 2; p90 position 2.8 -> 2 + 0.8(2) = 3.6.
    # Action: 3 30 -> 16.5; 3 + 0.9(27) = 27.3. Passed on: 10 72 -> 41; 10 + 0.9(62) = 65.8.
    # Outcome: 120 (5).
    assert east.concerns == 3
    assert durations(east) == approx_pairs(
        {"seen": (2, 3.6), "action": (16.5, 27.3), "escalation": (41, 65.8), "outcome": (120, 120)}
    )
    assert (east.within_target, east.judged) == (2, 2)
    assert (east.open_at_end, east.reopened, east.overdue_now) == (2, 0, 1)


def test_another_organisations_area_is_not_in_the_figures(feb, figures):
    assert feb.plymouth.pk not in figures.by_area
    plymouth = journey_figures(ConcernFilter((feb.plymouth.pk,)), FEBRUARY, now=NOW)
    # Both Plymouth concerns were reported in February; the waiting one is overdue now.
    assert (plymouth.total.concerns, plymouth.total.overdue_now) == (2, 1)


# --- Scopes ---------------------------------------------------------------------------------


def test_a_managers_scope_gives_the_same_figures(feb, figures):
    scope = report_scope_for(feb.manager)
    assert {area.pk for area in scope.areas} == {feb.west.pk, feb.east.pk}
    mine = journey_figures(ConcernFilter.of_scope(scope), FEBRUARY, now=NOW)
    assert mine == figures


def test_an_mdt_chairs_scope_is_their_practices_mdt_concerns_only(feb):
    scope = report_scope_for(feb.chair)
    assert scope.mdt_only
    chair = journey_figures(ConcernFilter.of_scope(scope), FEBRUARY, now=NOW)
    # Only 7 (Alverton Practice, MDT route): not 8 (another practice), nor concerns of other
    # routes about Alverton's patients (1, 3, 9, 10).
    assert chair.total.concerns == 1
    assert set(chair.by_route) == {MDT}
    assert durations(chair.total) == approx_pairs(
        {"seen": (6, 6), "action": (30, 30), "escalation": (40, 40), "outcome": (200, 200)}
    )
    assert (chair.total.within_target, chair.total.judged, chair.total.open_at_end) == (0, 1, 0)


# --- Cutoff ---------------------------------------------------------------------------------


def test_a_past_periods_figures_do_not_change_with_later_events(cornwall, figures):
    # Run a fortnight after the period, before concern 2 was passed on and 9 taken: the same
    # journey figures (only "overdue now" is about today).
    earlier = journey_figures(cornwall, FEBRUARY, now=at(15, 12, month=3))
    for journey in (earlier.total, *earlier.by_route.values(), *earlier.by_area.values()):
        journey.overdue_now = 0
    for journey in (figures.total, *figures.by_route.values(), *figures.by_area.values()):
        journey.overdue_now = 0
    assert earlier == figures


def test_a_period_not_yet_over_counts_up_to_now(cornwall):
    # Today is 13 February, noon; the period runs from 1 February to today. Reported by
    # then: 1, 2, 3, 4. What had happened by noon: 1 triaged (8 Feb 01:00) and passed on
    # (12 Feb 05:00), its outcome still to come (16 Feb); 2 nothing (triaged on 22 Feb);
    # 3 triaged, passed on, given an outcome (12 Feb 09:00) and closed (12 Feb 11:00), its
    # reopening still to come (14 Feb); 4 triaged (12 Feb 17:00) and passed on (13 Feb 00:00).
    so_far = journey_figures(
        cornwall, ReportPeriod(datetime.date(2025, 2, 1), datetime.date(2025, 2, 13)), now=at(13, 12)
    )
    assert so_far.total.concerns == 4
    # Open: 1, 2, 4. Not 3: closed at noon on the 13th, and not yet reopened.
    assert (so_far.total.open_at_end, so_far.total.reopened) == (3, 0)
    # Seen: 1 2 12 24 -> median position 2.5 -> 7; p90 position 3.7 -> 12 + 0.7(12) = 20.4.
    # Action: 3 6 100 -> median 6; p90 position 2.8 -> 6 + 0.8(94) = 81.2.
    # Passed on: 8 10 200 -> median 10; p90 -> 10 + 0.8(190) = 162. Outcome: 48 (3).
    assert durations(so_far.total) == approx_pairs(
        {"seen": (7, 20.4), "action": (6, 81.2), "escalation": (10, 162), "outcome": (48, 48)}
    )
    # Judged: 1, 3, 4 (acted on); 2 is not due until March. Within: 1 and 4.
    assert (so_far.total.within_target, so_far.total.judged) == (2, 3)


def test_a_period_with_no_concerns_has_zeros_not_errors(cornwall):
    empty = journey_figures(
        cornwall, ReportPeriod(datetime.date(2024, 6, 1), datetime.date(2024, 6, 30)), now=NOW
    )
    assert empty.total.concerns == 0
    assert empty.total.to_first_action == (None, None)
    # Overdue now is about today, whatever the period.
    assert empty.total.overdue_now == 3
    assert empty.by_route[FM].concerns == 0


def test_a_sighting_timed_just_after_the_report_counts_as_no_wait(feb):
    # A phone 3 minutes fast: seen at 10:03, reported at 10:00 (the service allows 5 minutes'
    # drift). The wait is none, not minus 3 minutes.
    from tests.reports.fixtures_figures import make_concern

    risk = feb.concerns[1]
    make_concern(
        client=feb.concerns[6].client,
        route=CM,
        severity="low",
        slug="falls-mobility",
        reported_by=risk.reported_by,
        staff=risk.reported_by,
        observed=at(27, 10, 3),
        reported=at(27, 10),
    )
    period = ReportPeriod(datetime.date(2025, 2, 27), datetime.date(2025, 2, 27))
    journey = journey_figures(ConcernFilter((feb.east.pk,)), period, now=NOW).total
    assert journey.concerns == 1
    assert journey.seen_to_reported == (0, 0)


# --- Through the tables, as a board reads them ----------------------------------------------


def test_route_comparison_table_shows_the_hand_computed_figures(figures):
    table = tables.route_comparison_table(figures, suppress=False)
    rows = {row.label: row for row in table.rows}
    total = rows["All routes"]
    cells = dict(zip([column.key for column in table.columns], total.cells, strict=True))
    assert cells["concerns"].value == 10
    assert cells["seen_median"].value == 2.5
    assert cells["action_median"].value == 25
    assert cells["action_p90"].value == 190
    # 190 hours = 7.92 days; 160 hours = 6.67 days; 6 of 9 = 66.7%.
    assert cells["action_p90"].text == "7.9 days"
    assert cells["outcome_median"].text == "6.7 days"
    assert cells["within_target"].text == "67%"
    assert cells["within_target"].value == 66.7
    assert cells["open_at_end"].value == 5
    assert cells["overdue_now"].value == 3
    formal = dict(zip([c.key for c in table.columns], rows["Formal monthly meeting"].cells, strict=True))
    # 250 hours = 10.42 days; 2 of 3 = 66.7%.
    assert formal["action_median"].text == "10.4 days"
    assert formal["within_target"].value == 66.7


def test_route_comparison_table_suppresses_small_routes(figures):
    table = tables.route_comparison_table(figures, suppress=True)
    columns = [column.key for column in table.columns]
    rows = {row.label: dict(zip(columns, row.cells, strict=True)) for row in table.rows}
    # Three concerns by the formal meeting: fewer than 5, and its times withheld.
    formal = rows["Formal monthly meeting"]
    assert formal["concerns"].text == "fewer than 5"
    assert formal["seen_median"].text == "withheld"
    assert formal["within_target"].text == "withheld"
    # All routes: 10 concerns shown; the outcome times rest on 4 concerns: withheld;
    # the share within target is 6 of 9, but the rest (3) is small: withheld.
    total = rows["All routes"]
    assert total["concerns"].value == 10
    assert total["action_median"].value == 25
    assert total["outcome_median"].text == "withheld"
    assert total["within_target"].text == "withheld"
    assert total["open_at_end"].value == 5
    assert total["overdue_now"].text == "fewer than 5"
    # No count from 1 to 4 shows anywhere in the table.
    shown = [cell.value for row in table.rows for cell in row.cells if not cell.suppressed]
    assert not [value for value in shown if isinstance(value, int) and 0 < value < 5]


def column_values(table, key):
    index = table.column_index(key)
    return {row.label: row.cells[index].text for row in table.rows}


def test_every_other_table_shows_the_hand_computed_figures(feb, cornwall, figures):
    from livingwell.reports.dashboard import figure_tables

    built = {
        table.key: table
        for table in figure_tables(cornwall, FEBRUARY, areas=(feb.east, feb.west), suppress=False, now=NOW)
    }
    assert column_values(built["areas"], "concerns") == {
        "East Cornwall": "3",
        "West Cornwall": "7",
        "All areas": "10",
    }
    # West: 4 of 7 within target = 57%; East: 2 of 2.
    assert column_values(built["areas"], "within_target") == {
        "East Cornwall": "100%",
        "West Cornwall": "57%",
        "All areas": "67%",
    }
    # Severities of all ten: low 2, 6; medium 1, 5, 8; high 4, 7, 9; urgent 3, 10.
    total = built["categories"].rows[-1]
    assert total.is_total
    assert [cell.text for cell in total.cells[1:]] == ["2", "3", "3", "2", "10"]
    assert built["outcomes"].rows[-1].cells[0].value == 6
    # 10 concerns by 5 active volunteers: 2.0 each; good news with detail 4 of 6 = 67%.
    assert column_values(built["volunteers"], "figure") == {
        "Active volunteers in these areas": "5",
        "Volunteers who raised a concern": "4",
        "Concerns per active volunteer": "2.0",
        "Good news sent with what happened": "4",
        "Good news sent as thanks only (the client had not agreed to share details)": "2",
        "Share of good news sent with what happened": "67%",
        "Active volunteers willing to attend Multi-Disciplinary Team meetings": "2",
    }
    assert column_values(built["meetings"], "items") == {
        "Formal monthly meeting": "2",
        "Coffee morning": "2",
        "Multi-Disciplinary Team meeting": "4",
    }
    assert column_values(built["coffee"], "figure") == {
        "Concerns raised at coffee mornings": "2",
        "Given an owner within 2 days": "1",
        "Share given an owner within 2 days": "50%",
    }


def test_every_other_table_as_a_manager_reads_it(feb, cornwall):
    from livingwell.reports.dashboard import figure_tables

    built = {
        table.key: table
        for table in figure_tables(cornwall, FEBRUARY, areas=(feb.east, feb.west), suppress=True, now=NOW)
    }
    # East's 3 is suppressed; West's 7 is withheld too, or "10 in all" would give East away.
    assert column_values(built["areas"], "concerns") == {
        "East Cornwall": "fewer than 5",
        "West Cornwall": "withheld",
        "All areas": "10",
    }
    # The chart draws no bar where the table withholds the figure.
    assert built["areas"].chart_values() == [("East Cornwall", None), ("West Cornwall", None)]
    assert column_values(built["volunteers"], "figure") == {
        "Active volunteers in these areas": "5",
        "Volunteers who raised a concern": "fewer than 5",
        "Concerns per active volunteer": "2.0",
        "Good news sent with what happened": "fewer than 5",
        "Good news sent as thanks only (the client had not agreed to share details)": "fewer than 5",
        "Share of good news sent with what happened": "withheld",
        "Active volunteers willing to attend Multi-Disciplinary Team meetings": "fewer than 5",
    }
    assert column_values(built["coffee"], "figure") == {
        "Concerns raised at coffee mornings": "fewer than 5",
        "Given an owner within 2 days": "fewer than 5",
        "Share given an owner within 2 days": "withheld",
    }
    for table in built.values():
        for row in table.rows:
            for cell in row.cells:
                value = cell.value
                assert not (isinstance(value, int) and not isinstance(value, bool) and 0 < value < 5), (
                    table.key,
                    row.label,
                )


# --- What the concerns were about, and what came of them ------------------------------------


def test_concerns_by_category_and_severity(cornwall):
    rows = {row["category__name"]: row for row in selectors.concerns_by_category(cornwall, FEBRUARY)}
    counts = {
        name: {s: row[s] for s in ("low", "medium", "high", "urgent", "total")} for name, row in rows.items()
    }
    # Falls: 1 (medium), 3 (urgent), 8 (medium), 10 (urgent). Medication: 4, 7 (high).
    # Loneliness: 5 (medium), 6 (low). Heating: 2 (low), 9 (high). Not January's, March's or
    # Plymouth's falls.
    assert counts == {
        "Falls and mobility": {"low": 0, "medium": 2, "high": 0, "urgent": 2, "total": 4},
        "Medication": {"low": 0, "medium": 0, "high": 2, "urgent": 0, "total": 2},
        "Loneliness and isolation": {"low": 1, "medium": 1, "high": 0, "urgent": 0, "total": 2},
        "Heating and cold": {"low": 1, "medium": 0, "high": 1, "urgent": 0, "total": 2},
    }


def test_outcomes_by_kind_recorded_in_the_period(cornwall):
    # Recorded in February: 1 (support arranged), 3 twice (health checked, before and after
    # its reopening), 5 (connected), 7 (health checked), and January's concern (home made
    # safer). Not 4's (5 March), not Plymouth's.
    counts = selectors.outcomes_by_kind(cornwall, FEBRUARY)
    assert counts == dict.fromkeys(OutcomeKind.values, 0) | {
        OutcomeKind.SUPPORT_ARRANGED: 1,
        OutcomeKind.HEALTH_CHECKED: 3,
        OutcomeKind.CONNECTED: 1,
        OutcomeKind.HOME_MADE_SAFER: 1,
    }


def test_referrals_by_kind_of_service(cornwall):
    rows = selectors.referrals_by_service_kind(cornwall, FEBRUARY)
    # Made in February: 1 -> adult social care, 3 -> district nurses, 4 -> Dr Patel (a key
    # worker), 5 -> befriending, 7 -> the surgery, 8 -> the practice nurse (a key worker).
    # Not 2's (transport, 11 March), not Plymouth's (transport).
    got = [(row["service__kind"], row["service__is_medical"], row["referrals"]) for row in rows]
    assert set(got) == {
        ("district_nursing", True, 1),
        ("gp_practice", True, 1),
        ("befriending", False, 1),
        ("social_care", False, 1),
        (None, None, 2),
    }
    # Medical services first, then the others, and referrals to a named key worker last.
    assert [medical for _, medical, _ in got] == [True, True, False, False, None]
    table = tables.referral_table(rows, suppress=False)
    totals = {row.label: row.cells[1].value for row in table.rows if row.is_total}
    assert totals == {"All medical services": 2, "All non-medical services": 2}


# --- Volunteers, meetings, coffee mornings --------------------------------------------------


def test_volunteer_figures(cornwall):
    figures = selectors.volunteer_figures(cornwall, FEBRUARY)
    # Active: Anna, Ben (in two areas, once), Cat, Fay (until 2 Feb), Hal (from 28 Feb) = 5.
    # Not Dora (paused), Eve (ended 1 Feb), Gil (from 1 March), Ivy (Plymouth), Jon (left).
    assert figures.active == 5
    # Willing to attend MDT meetings, of the active: Anna, Hal (not Gil).
    assert figures.mdt_opted_in == 2
    # Raised a concern: Anna (1, 2, 9, and 3 and 10 by the team leader's phone), Ben (7, 8),
    # Cat (4 by phone, 5 at a coffee morning), Dora (6 at a coffee morning) = 4. The team
    # leaders and the coordinator who recorded them are not counted.
    assert figures.reporting == 4
    assert figures.concerns == 10
    # Outcomes recorded in February (good news sent): with the detail 1, 3 (second), 7,
    # January's = 4; thanks only 3 (first), 5 = 2.
    assert (figures.good_news_with_detail, figures.good_news_thanks_only) == (4, 2)


def test_meeting_figures(cornwall):
    figures = selectors.meeting_figures(cornwall, FEBRUARY)
    formal = figures[MeetingKind.FORMAL]
    # Formal meetings starting in February: West 10 Feb (held; Anna came, Ben sent apologies,
    # a nurse came; concerns 1 and 2), East 11 Feb (cancelled), East 25 Feb (minutes
    # finalised; Cat came). Not West 27 Feb (still planned), 3 March, nor Plymouth's.
    assert (formal.held, formal.cancelled) == (2, 1)
    assert (formal.items, formal.items_presented_by_volunteers) == (2, 0)
    assert (formal.volunteer_attendances, formal.clinician_attendances) == (2, 1)
    assert formal.held_with_a_clinician == 1
    coffee = figures[MeetingKind.COFFEE_MORNING]
    # East 14 Feb: Cat and Dora came and raised concerns 5 and 6.
    assert (coffee.held, coffee.cancelled, coffee.items) == (1, 0, 2)
    assert (coffee.volunteer_attendances, coffee.clinician_attendances, coffee.held_with_a_clinician) == (
        2,
        0,
        0,
    )
    mdt = figures[MeetingKind.MDT]
    # Alverton 20 Feb: concern 7 presented by Ben, Elsie (no concern) presented by Anna, a
    # third client; the nurse came. Penzance 21 Feb: concern 8; its GP came.
    assert (mdt.held, mdt.cancelled) == (2, 0)
    assert (mdt.items, mdt.items_presented_by_volunteers) == (4, 2)
    assert (mdt.volunteer_attendances, mdt.clinician_attendances, mdt.held_with_a_clinician) == (2, 2, 2)


def test_an_mdt_chair_sees_their_practices_meetings_only(feb):
    figures = selectors.meeting_figures(ConcernFilter.of_scope(report_scope_for(feb.chair)), FEBRUARY)
    mdt = figures[MeetingKind.MDT]
    assert (mdt.held, mdt.items, mdt.items_presented_by_volunteers) == (1, 3, 2)
    assert (mdt.volunteer_attendances, mdt.clinician_attendances) == (2, 1)
    assert figures[MeetingKind.FORMAL].held == 0
    assert figures[MeetingKind.COFFEE_MORNING].held == 0


def test_coffee_morning_concerns_with_an_owner_within_two_days(cornwall):
    figures = selectors.coffee_morning_figures(cornwall, FEBRUARY)
    # 5 (an action 47 hours after it was raised) and 6 (72 hours after): one in time.
    assert (figures.concerns, figures.owned_within_two_days) == (2, 1)


# --- Query counts do not grow with the data ----------------------------------------------------


def add_concerns(feb, count: int) -> None:
    """`count` more February concerns in West and East, by every route, with their events,
    referrals, outcomes and coffee-morning actions, written in a handful of statements."""
    from meetings.models import Action, AgendaItem
    from risks.models import Outcome, Referral, RiskEvent, RiskReport, Status

    template = feb.concerns[1]
    coffee = next(m for m in feb.meetings if m.kind == MeetingKind.COFFEE_MORNING)
    clients = [template.client, feb.concerns[4].client]
    routes = [FM, CM, TL, MDT]
    start = RiskReport.objects.count()
    reports = RiskReport.objects.bulk_create(
        RiskReport(
            client=clients[index % 2],
            area_id=clients[index % 2].area_id,
            category_id=template.category_id,
            severity=template.severity,
            route=routes[index % 4],
            status=Status.ESCALATED if index % 2 else Status.TRIAGED,
            what_was_seen="Something.",
            observed_at=at(1, 1) + datetime.timedelta(minutes=start + index),
            reported_by_id=template.reported_by_id,
            reported_at=at(1, 2) + datetime.timedelta(minutes=start + index),
            due_at=at(8, 2) + datetime.timedelta(minutes=start + index),
        )
        for index in range(count)
    )
    staff = template.owner_id or template.reported_by_id
    events, referrals, outcomes, items = [], [], [], []
    for index, risk in enumerate(reports):
        hour = datetime.timedelta(hours=1)
        events.append(RiskEvent(risk=risk, actor_id=staff, at=risk.reported_at, to_status=Status.REPORTED))
        events.append(
            RiskEvent(
                risk=risk,
                actor_id=staff,
                at=risk.reported_at + hour,
                from_status="reported",
                to_status="triaged",
            )
        )
        if index % 2:
            events.append(
                RiskEvent(
                    risk=risk,
                    actor_id=staff,
                    at=risk.reported_at + 2 * hour,
                    from_status="triaged",
                    to_status="escalated",
                )
            )
            referrals.append(
                Referral(risk=risk, key_worker="Nurse", made_by_id=staff, made_at=risk.reported_at)
            )
            outcomes.append(
                Outcome(
                    risk=risk,
                    kind=OutcomeKind.OTHER,
                    staff_summary="Done.",
                    volunteer_message="Thanks.",
                    recorded_by_id=staff,
                    recorded_at=risk.reported_at + 3 * hour,
                )
            )
        if risk.route == CM:
            items.append(AgendaItem(meeting=coffee, risk=risk, client_id=risk.client_id, added_by_id=staff))
    RiskEvent.objects.bulk_create(events)
    Referral.objects.bulk_create(referrals)
    Outcome.objects.bulk_create(outcomes)
    items = AgendaItem.objects.bulk_create(items)
    Action.objects.bulk_create(
        Action(
            meeting=coffee,
            item=item_,
            what="Ring.",
            owner_id=staff,
            due_on=datetime.date(2025, 3, 1),
            created_by_id=staff,
            created_at=item_.risk.reported_at,
        )
        for item_ in items
    )


def queries_per_selector(concerns) -> dict[str, int]:
    from livingwell.reports.dashboard import figure_tables
    from tests.support.queries import queries_for

    run = {
        "journey_figures": lambda: journey_figures(concerns, FEBRUARY, now=NOW),
        "concerns_by_category": lambda: selectors.concerns_by_category(concerns, FEBRUARY),
        "outcomes_by_kind": lambda: selectors.outcomes_by_kind(concerns, FEBRUARY),
        "referrals_by_service_kind": lambda: selectors.referrals_by_service_kind(concerns, FEBRUARY),
        "volunteer_figures": lambda: selectors.volunteer_figures(concerns, FEBRUARY),
        "meeting_figures": lambda: selectors.meeting_figures(concerns, FEBRUARY),
        "coffee_morning_figures": lambda: selectors.coffee_morning_figures(concerns, FEBRUARY),
        "every table": lambda: figure_tables(concerns, FEBRUARY, areas=(), suppress=True, now=NOW),
    }
    return {name: len(queries_for(fetch)) for name, fetch in run.items()}


def test_the_figures_take_the_same_queries_for_10_and_for_1000_concerns(feb, cornwall):
    # February's 10 concerns.
    for_10 = queries_per_selector(cornwall)
    add_concerns(feb, 990)
    assert journey_figures(cornwall, FEBRUARY, now=NOW).total.concerns == 1000
    for_1000 = queries_per_selector(cornwall)
    assert for_1000 == for_10
    # One statement per figure (journey: the figures, and what is overdue now; volunteers:
    # who is active, what they raised, the good news; meetings: the meetings, their items).
    assert for_10 == {
        "journey_figures": 2,
        "concerns_by_category": 1,
        "outcomes_by_kind": 1,
        "referrals_by_service_kind": 1,
        "volunteer_figures": 3,
        "meeting_figures": 2,
        "coffee_morning_figures": 1,
        "every table": 11,
    }
