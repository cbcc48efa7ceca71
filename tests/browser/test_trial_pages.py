"""The trial pages in a browser: axe finds no WCAG 2.2 AA violation, and each page reflows
to 320 CSS pixels, for the manager who reads the trial and the volunteer who writes a card."""

import datetime

import pytest
from django.utils import timezone

from livingwell.accounts.models import GPPractice, User
from livingwell.reports import services, trials
from livingwell.reports.models import TrialModel
from tests.browser.conftest import (
    DEMO_PASSWORD,
    DESKTOP,
    NARROW,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)


@pytest.fixture
def trial(demo_data):
    today = timezone.localdate()
    mona = User.objects.get(username="mona")
    trial = services.trial_create(
        by=mona,
        title="Volunteers at Alverton Practice's meeting",
        model=TrialModel.VOLUNTEERS_AT_MDT,
        practice=GPPractice.objects.get(name="Alverton Practice"),
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today - datetime.timedelta(days=1),
        description="Volunteers speak for their clients at the practice's meeting.",
    )
    services.card_write(
        trial=trial,
        by=User.objects.get(username="cora"),
        opportunities="Clients' wishes are heard by the whole team.",
        limitations="It takes a morning of the volunteer's time.",
    )
    return trial


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "narrow"])
def test_the_trial_pages_are_accessible(page, live_server, trial, figures_shown, requests_made, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "mona", DEMO_PASSWORD)
    for path in (
        "/reports/trials/",
        f"/reports/trials/{trial.pk}/",
        f"/reports/trials/{trial.pk}/feedback/",
        f"/reports/trials/{trial.pk}/decision/",
        f"/reports/trials/{trial.pk}/report/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/trials/{trial.pk}/feedback/")
    assert_accessible(page)
    page.get_by_role("button", name="Send the card").click()
    assert_accessible(page)
    assert_only_local_requests(requests_made, live_server)


@pytest.fixture
def figures_shown(trial):
    """The demo's concerns give the trial's page tables to show (or the test says nothing)."""
    figures = trials.trial_figures(trial, suppress=True)
    assert figures.tables
    return figures
