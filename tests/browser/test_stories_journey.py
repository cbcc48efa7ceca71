"""Good news, end to end: Cora writes a success story from a concern's outcome, is told it
names the client, fixes it and sends it for approval; Mona, a manager, approves and
publishes it; Vera reads it in the Good news on her phone."""

from playwright.sync_api import Page, expect

from risks.models import Outcome
from tests.browser.conftest import (
    DEMO_PASSWORD,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)

TITLE = "To every appointment, and home again"
NAMING = (
    "Arthur had missed two hospital appointments because he could not get to Treliske. "
    "His volunteer noticed and told us."
)
FIXED = (
    "An older man had missed two hospital appointments because he could not get to the hospital. "
    "His volunteer noticed and told us. Community transport now takes him to every appointment."
)


def sign_out(page: Page, name: str) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name=f"Sign out {name}").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_cora_writes_a_story_mona_approves_it_and_vera_reads_it_on_her_phone(
    page: Page, live_server, demo_data, requests_made
):
    # Cora finds an outcome of West Cornwall that has no story yet.
    sign_in(page, live_server, "cora", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Good news").click()
    expect(page.get_by_role("heading", name="Good news", exact=True)).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(2)  # the demo's published stories
    assert_accessible(page)
    page.get_by_role("link", name="Write and approve stories").click()
    outcomes = page.get_by_role("region", name="Outcomes you could share")
    # Among the area's recent outcomes, the one about Arthur's trips to hospital.
    arthur = Outcome.objects.get(risk__client__first_name="Arthur", risk__category__slug="transport")
    row = outcomes.get_by_role("row").filter(has=page.locator(f'a[href="/risks/{arthur.risk_id}/"]'))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Transport")
    assert_accessible(page)
    row.get_by_role("link", name="Write a success story", exact=False).click()
    expect(page.get_by_role("heading", name="Write a success story")).to_be_visible()
    expect(page.get_by_text("community transport now takes Arthur")).to_be_visible()

    # Her first go names the client: it is refused, with what to remove, and nothing is kept.
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The story").fill(NAMING)
    assert_accessible(page)
    page.get_by_role("button", name="Send for approval").click()
    error = page.get_by_role("alert")
    expect(error).to_contain_text(
        "The story contains the client's first name, Arthur: remove it before sending it for approval."
    )
    expect(page.get_by_label("The story")).to_have_value(NAMING)
    assert_accessible(page)

    # Fixed, it goes for approval; she may not approve her own.
    page.get_by_label("The story").fill(FIXED)
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("Sent for approval.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("Waiting for another coordinator of West Cornwall or a manager")).to_be_visible()
    expect(page.get_by_role("button", name="Approve and publish")).to_have_count(0)
    assert_accessible(page)
    sign_out(page, "Cora")

    # Mona, a manager of Age UK Cornwall, sees it waiting on her home page and publishes it.
    sign_in(page, live_server, "mona", DEMO_PASSWORD)
    page.get_by_role("link", name="1 story is waiting for your approval").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Community transport now takes him to every appointment.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Published. It is in the Good news now.")).to_be_visible()
    assert_accessible(page)
    sign_out(page, "Mona")

    # Vera reads it first in the Good news, on her phone.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Good news").click()
    newest = page.get_by_role("article").first
    expect(newest.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(newest).to_contain_text("Community transport now takes him to every appointment.")
    expect(newest).to_contain_text("West Cornwall")
    expect(page.get_by_role("article")).to_have_count(3)
    assert_accessible(page)
    newest.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("About this story")).to_have_count(0)
    assert_accessible(page)

    assert_only_local_requests(requests_made, live_server)
