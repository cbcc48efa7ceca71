"""The indexes the reports' figures rely on are used by the queries they serve (EXPLAIN
names them), on tables big enough that the planner prefers them to reading every row."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livingwell.accounts.models import Route
from livingwell.reports import selectors
from livingwell.reports.periods import ReportPeriod
from risks.models import Outcome
from tests.factories import ClientFactory
from tests.risks.factories import RiskReportFactory, bulk_copies

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

CONCERNS = 20_000


@pytest.fixture
def three_years_of_concerns(west, east, make_person):
    """20,000 concerns of two areas, one every hour and a half for three years, each with
    an outcome a day later."""
    first = RiskReportFactory(client=ClientFactory(area=west))
    now = timezone.now()
    bulk_copies(
        first,
        CONCERNS,
        area_id=lambda n: (west.pk, east.pk)[n % 2],
        reported_at=lambda n: now - datetime.timedelta(minutes=80 * n),
    )
    recorder = make_person("coordinator", areas=[west])
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO risks_outcome (risk_id, kind, volunteer_told_detail, staff_summary,
                                       volunteer_message, recorded_by_id, recorded_at)
            SELECT id, 'advice_given', false, '', '', %s, reported_at + interval '1 day'
            FROM risks_riskreport
            """,
            [recorder.pk],
        )
        cursor.execute("ANALYZE")


def last_month() -> ReportPeriod:
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return ReportPeriod(end.replace(day=1), end)


def test_an_areas_concerns_of_a_period_are_read_from_the_area_reported_index(three_years_of_concerns, west):
    period = last_month()
    concerns = (
        selectors.ConcernFilter((west.pk,))
        .concerns()
        .filter(reported_at__gte=period.starts_at, reported_at__lt=period.ends_at)
    )

    plan = concerns.explain()
    assert "risk_area_reported_idx" in plan, plan


def test_the_outcomes_of_a_period_are_read_from_the_recorded_index(three_years_of_concerns):
    period = last_month()
    outcomes = Outcome.objects.filter(recorded_at__gte=period.starts_at, recorded_at__lt=period.ends_at)

    plan = outcomes.explain()
    assert "outcome_recorded_idx" in plan, plan


ROUTES = (Route.FORMAL_MEETING, Route.COFFEE_MORNING, Route.TEAM_LEADER_PHONE)


@pytest.fixture
def mostly_closed_concerns(west, east):
    """20,000 concerns of two areas, as a programme's records run: all but one in ten closed,
    and of the waiting ones, most past their due time."""
    first = RiskReportFactory(client=ClientFactory(area=west))
    now = timezone.now()
    bulk_copies(
        first,
        CONCERNS,
        area_id=lambda n: (west.pk, east.pk)[n % 2],
        route=lambda n: ROUTES[n % 3],
        status=lambda n: "reported" if n % 10 == 0 else "closed",
        due_at=lambda n: now + datetime.timedelta(minutes=60 - n),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_overdue_now_is_counted_from_the_index_of_waiting_concerns(mostly_closed_concerns, west, east):
    concerns = selectors.ConcernFilter((west.pk, east.pk))
    with CaptureQueriesContext(connection) as ran:
        figures = selectors.count_overdue_now(selectors.JourneyFigures(total=selectors.Journey()), concerns)
    (overdue_sql,) = [query["sql"] for query in ran.captured_queries]

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {overdue_sql}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "risk_waiting_due_idx" in plan, plan
    # The 2,001 waiting concerns (the factory's first one too), but for the few not yet due.
    assert 1_900 < figures.total.overdue_now < 2_001
