"""The heart of the product, on a phone: Vera reports a concern; Cora takes it, refers it
to a service from the directory and records the outcome; Vera reads the good news."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DEMO_PASSWORD,
    NARROW,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)

GOOD_NEWS = "Thanks to you, Edith's landlord is fixing the damp, and Disability Cornwall is fitting a rail."


def open_menu_item(page: Page, name: str, exact: bool = True) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=exact).click()


def sign_out(page: Page, name: str) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name=f"Sign out {name}").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, NARROW], ids=["390", "320"])
def test_vera_reports_cora_refers_and_resolves_and_vera_hears_the_good_news(
    page: Page, live_server, demo_data, requests_made, viewport
):
    page.set_viewport_size(viewport)

    # Vera reports a housing concern about Edith, one of her clients.
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    open_menu_item(page, "Report a concern")
    expect(page.get_by_text("If someone is in danger, call 999 now.")).to_be_visible()
    page.get_by_label("Who is it about?").select_option(label="Edith Tregarthen")
    page.get_by_label("What is it about?").select_option(label="Housing")
    guidance = page.locator("details.guidance[open]")
    expect(guidance).to_have_count(1)
    expect(guidance).to_contain_text("The home no longer suits them")
    urgent_box = page.get_by_role("alert").filter(has_text="Urgent: act now")
    expect(urgent_box).to_be_hidden()
    page.get_by_label("Urgent: Someone needs to act now.", exact=False).check()
    expect(urgent_box).to_be_visible()
    expect(urgent_box).to_contain_text("call 999 first")
    page.get_by_label("High: Something should be done today or tomorrow.").check()
    expect(urgent_box).to_be_hidden()
    page.get_by_label("What did you see or hear?").fill(
        "Black mould on the bedroom wall and the window will not shut. Edith has a cough."
    )
    page.get_by_label("What does the client want? (optional)").fill("She wants the landlord to fix it.")
    assert_accessible(page)
    page.get_by_role("button", name="Send my concern").click()
    expect(page.get_by_text("Thank you. Your concern has been sent.")).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert_accessible(page)
    sign_out(page, "Vera")

    # Cora takes it, refers it to a service in the directory, and records the outcome.
    sign_in(page, live_server, "cora", DEMO_PASSWORD)
    open_menu_item(page, "Concerns")
    assert_accessible(page)
    page.get_by_role("link", name="Housing: Edith Tregarthen").click()
    expect(page.get_by_text("Black mould on the bedroom wall")).to_be_visible()
    page.get_by_role("button", name="Take this concern").click()
    expect(page.get_by_text("You now own this concern.")).to_be_visible()
    page.get_by_label("Refer to a service in the directory").select_option(
        label="Disability Cornwall: home adaptations"
    )
    page.get_by_label("Their reference (optional)").fill("DC-4471")
    assert_accessible(page)
    page.get_by_role("button", name="Record referral").click()
    expect(page.get_by_text("Referral recorded.")).to_be_visible()
    page.get_by_label("What kind of outcome").select_option(
        label="Home made safer (equipment, adaptations, repairs)"
    )
    page.get_by_label("What happened (for staff)").fill("Landlord contacted; adaptations assessment booked.")
    page.get_by_label("Message for the volunteer").fill(GOOD_NEWS)
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_text("Outcome recorded. The volunteer has been sent the news.")).to_be_visible()
    expect(page.get_by_role("region", name="Outcome")).to_contain_text(
        "What kind: Home made safer (equipment, adaptations, repairs)"
    )
    timeline = page.get_by_role("region", name="Timeline")
    for step in ["Reported", "Being looked at", "Passed on", "Outcome recorded"]:
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("Referred to Disability Cornwall: home adaptations")
    assert_accessible(page)
    sign_out(page, "Cora")

    # Vera reads the good news.
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    # The link carries the unread count: "Notifications 1 unread".
    open_menu_item(page, "Notifications", exact=False)
    # The newest comes first.
    news = page.get_by_role("article").first
    expect(news).to_contain_text("Good news about the housing concern you raised on")
    expect(news).to_contain_text("for Edith")
    expect(news).to_contain_text(GOOD_NEWS)
    assert_accessible(page)
    open_menu_item(page, "My concerns")
    expect(page.get_by_role("article").filter(has_text="Housing: Edith Tregarthen")).to_contain_text(
        GOOD_NEWS
    )
    assert_accessible(page)

    assert_only_local_requests(requests_made, live_server)
