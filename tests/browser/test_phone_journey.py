"""The on-call phone line: Tom, a team leader, takes a call from Vera, finds her by name,
chooses her, and records her concern about one of her own clients; Vera sees it among hers."""

import re

import pytest
from playwright.sync_api import Page, expect

from risks.models import RiskReport
from tests.browser.conftest import (
    DEMO_PASSWORD,
    NARROW,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)


@pytest.mark.parametrize("viewport", [PHONE, NARROW], ids=["390", "320"])
def test_tom_finds_vera_by_name_and_records_her_concern_about_one_of_her_clients(
    page: Page, live_server, demo_data, requests_made, viewport
):
    page.set_viewport_size(viewport)
    before = RiskReport.objects.count()
    sign_in(page, live_server, "tom", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/risks/queue/")
    page.get_by_role("link", name="Record a phone call").click()
    expect(page.get_by_role("heading", name="Record a concern from a phone call")).to_be_visible()
    # No client list until the volunteer is chosen.
    expect(page.get_by_label(re.compile("clients is it about"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Find the volunteer by name").fill("pasc")
    page.get_by_label("Find the volunteer by name").press("Enter")
    found = page.locator("[data-phone-volunteers] a")
    expect(found).to_have_count(1)
    expect(found).to_have_text(re.compile("^Vera Pascoe"))
    assert_accessible(page)
    found.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Volunteer calling: Vera Pascoe.")).to_be_visible()
    clients = page.get_by_label("Which of Vera Pascoe's clients is it about?")
    names = [name.split(" (")[0] for name in clients.locator("option").all_inner_texts()[1:]]
    assert "Edith Tregarthen" in names
    clients.select_option(label=next(o for o in clients.locator("option").all_inner_texts() if "Edith" in o))
    page.get_by_label("What is it about?").select_option(label="Housing")
    page.get_by_label("High: Something should be done today or tomorrow.").check()
    page.get_by_label("What did you see or hear?").fill("Vera rang: the back door lock is broken.")
    assert_accessible(page)
    page.get_by_role("button", name="Send my concern").click()

    expect(page.get_by_text("Concern recorded for Vera Pascoe.")).to_be_visible()
    assert_accessible(page)
    assert RiskReport.objects.count() == before + 1
    risk = RiskReport.objects.latest("pk")
    assert (risk.on_behalf_of.username, risk.reported_by.username, risk.client.first_name) == (
        "vera",
        "tom",
        "Edith",
    )
    assert_only_local_requests(requests_made, live_server)
