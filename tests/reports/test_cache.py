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
from livingwell.reports.views import dashboard as dashboard_views
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


# --- The page's sections, as drawn -------------------------------------------------------------

EVERY_SECTION = ["routes", "areas", "categories", "outcomes", "referrals", "volunteers", "meetings", "coffee"]


@pytest.fixture
def drawn(monkeypatch):
    """The keys of the tables whose sections (table and chart) were drawn afresh."""
    keys = []
    draw = dashboard_views.render_to_string

    def counting(template_name, context):
        keys.append(context["shown"].table.key)
        return draw(template_name, context)

    monkeypatch.setattr(dashboard_views, "render_to_string", counting)
    return keys


def sections_of(page) -> str:
    """The page from its contents on: the tables and charts (and nothing of the request)."""
    html = page.content.decode()
    return html[html.index('<nav class="report-contents"') :]


def test_an_ended_periods_sections_are_drawn_once_and_kept(kept_for_ten_minutes, login, coordinator, drawn):
    first = login(coordinator).get("/reports/")
    assert drawn == EVERY_SECTION
    drawn.clear()

    again = login(coordinator).get("/reports/")
    assert drawn == []
    assert sections_of(again) == sections_of(first)


def test_a_section_whose_figures_changed_is_drawn_afresh(
    kept_for_ten_minutes, login, coordinator, west, drawn
):
    before = login(coordinator).get("/reports/")
    drawn.clear()
    waiting = RiskReportFactory(client=ClientFactory(area=west))
    RiskReport.objects.filter(pk=waiting.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))

    after = login(coordinator).get("/reports/")
    # Only the journey of a concern counts "overdue now"; the rest are the kept figures.
    assert drawn == ["routes", "areas"]
    assert sections_of(after) != sections_of(before)


def test_a_period_that_has_not_ended_is_drawn_every_time(kept_for_ten_minutes, login, coordinator, drawn):
    login(coordinator).get("/reports/?period=this_financial_year")
    login(coordinator).get("/reports/?period=this_financial_year")
    assert drawn == EVERY_SECTION * 2


def test_sections_are_kept_per_set_of_areas_and_never_shown_to_anyone_else(
    kept_for_ten_minutes, login, coordinator, make_person, west, east, drawn
):
    login(coordinator).get("/reports/")
    drawn.clear()

    # Another coordinator of the same area shares the sections drawn for the first.
    colleague = make_person("coordinator", areas=[west])
    login(colleague).get("/reports/")
    assert drawn == []

    # A coordinator of another area, whose figures are as empty: nothing of West's is used.
    elsewhere = make_person("coordinator", areas=[east])
    page = login(elsewhere).get("/reports/")
    assert drawn == EVERY_SECTION
    assert "East Cornwall" in sections_of(page)
    assert "West Cornwall" not in sections_of(page)
    drawn.clear()

    # West's manager sees the same area with small numbers hidden: drawn for them alone.
    manager = make_person("manager", organisation=west.organisation)
    login(manager).get("/reports/")
    assert drawn == EVERY_SECTION
    drawn.clear()

    # A manager of both areas: neither coordinator's sections.
    east.organisation = west.organisation
    east.save(update_fields=["organisation"])
    page = login(manager).get("/reports/")
    assert drawn == EVERY_SECTION
    assert "East Cornwall" in sections_of(page)
    assert "West Cornwall" in sections_of(page)


def test_an_unreachable_cache_draws_the_page_afresh(settings, login, coordinator, drawn):
    settings.REPORT_FIGURES_CACHE_SECONDS = 600
    settings.CACHES = {
        **settings.CACHES,
        cache.CACHE_ALIAS: {**settings.CACHES[cache.CACHE_ALIAS], "LOCATION": "redis://127.0.0.1:1/0"},
    }
    page = login(coordinator).get("/reports/")
    assert page.status_code == 200
    assert drawn == EVERY_SECTION
