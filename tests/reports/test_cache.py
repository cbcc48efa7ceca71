"""An ended period's figures are worked out once and kept for a few minutes; a period that
has not ended, and "overdue now", are always worked out afresh; a cache that cannot be
reached costs nothing but time."""

import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone

from livingwell.reports import cache
from livingwell.reports.dashboard import build_dashboard
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.scope import report_scope_for
from risks.models import RiskReport
from tests.factories import ClientFactory
from tests.risks.factories import RiskReportFactory
from tests.support.queries import queries_for


@pytest.fixture
def kept_for_ten_minutes(settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 600
    caches[cache.CACHE_ALIAS].clear()
    yield
    caches[cache.CACHE_ALIAS].clear()


@pytest.fixture
def coordinator(make_person, west):
    return make_person("coordinator", areas=[west])


def last_month() -> ReportPeriod:
    first_of_this_month = timezone.localdate().replace(day=1)
    end = first_of_this_month - datetime.timedelta(days=1)
    return ReportPeriod(end.replace(day=1), end)


def this_month() -> ReportPeriod:
    today = timezone.localdate()
    return ReportPeriod(today.replace(day=1), today)


def test_an_ended_periods_figures_are_kept_and_overdue_now_is_counted_afresh(
    kept_for_ten_minutes, coordinator, west
):
    scope = report_scope_for(coordinator)
    period = last_month()
    first = queries_for(lambda: build_dashboard(scope, period))
    worked_out = build_dashboard(scope, period).worked_out_at
    late = RiskReportFactory(client=ClientFactory(area=west))
    RiskReport.objects.filter(pk=late.pk).update(reported_at=period.starts_at + datetime.timedelta(days=2))
    again = queries_for(lambda: build_dashboard(scope, period))
    # The second view reads the kept figures: only "overdue now" is counted again.
    assert len(first) == 11
    assert len(again) == 1
    assert "due_at <" in again[0]
    assert build_dashboard(scope, period).worked_out_at == worked_out


def test_a_period_that_has_not_ended_is_worked_out_every_time(kept_for_ten_minutes, coordinator):
    scope = report_scope_for(coordinator)
    period = this_month()
    assert len(queries_for(lambda: build_dashboard(scope, period))) == 11
    assert len(queries_for(lambda: build_dashboard(scope, period))) == 11


def test_figures_are_kept_per_set_of_areas(kept_for_ten_minutes, coordinator, make_person, east):
    period = last_month()
    build_dashboard(report_scope_for(coordinator), period)
    elsewhere = report_scope_for(make_person("coordinator", areas=[east]))
    assert len(queries_for(lambda: build_dashboard(elsewhere, period))) == 11


def test_an_unreachable_cache_costs_time_not_the_page(settings, coordinator):
    settings.REPORT_FIGURES_CACHE_SECONDS = 600
    # Nothing listens on port 1: every read and write of the cache fails at once.
    settings.CACHES = {
        **settings.CACHES,
        cache.CACHE_ALIAS: {**settings.CACHES[cache.CACHE_ALIAS], "LOCATION": "redis://127.0.0.1:1/0"},
    }
    scope = report_scope_for(coordinator)
    dashboard = build_dashboard(scope, last_month())
    assert [table.key for table in dashboard.tables]
    assert len(queries_for(lambda: build_dashboard(scope, last_month()))) == 11


def test_the_dashboard_says_how_long_an_ended_periods_figures_are_kept(
    kept_for_ten_minutes, login, coordinator
):
    page = login(coordinator).get("/reports/").content.decode()
    assert "kept for\n          10 minutes" in page or "kept for 10 minutes" in " ".join(page.split())
