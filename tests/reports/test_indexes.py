"""The indexes the reports' figures rely on are used by the queries they serve (EXPLAIN
names them), on tables big enough that the planner prefers them to reading every row."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

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
