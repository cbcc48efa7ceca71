"""The admin shows trials, feedback cards, the record of exports and of monthly summaries,
and changes none of them: they change only through the reports' pages (and the monthly
summary's task), which check who may."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.support.access_table import signed_in

MODELS = ("trial", "feedbackcard", "reportexport", "monthlysummary")


@pytest.fixture
def admin_browser(db):
    return signed_in(UserFactory(username="root", is_staff=True, is_superuser=True))


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_lists_the_reports_records_and_offers_no_way_to_add_one(admin_browser, model):
    assert admin_browser.get(reverse(f"admin:reports_{model}_changelist")).status_code == 200
    assert admin_browser.get(reverse(f"admin:reports_{model}_add")).status_code == 403
