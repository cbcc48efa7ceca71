"""The live character counter under each box with a maximum length: seen by everybody,
announced to screen readers only near the limit."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, PHONE, assert_accessible, sign_in


def test_the_report_form_counts_what_is_typed_and_warns_near_the_limit(page: Page, live_server, demo_data):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/risks/new/")

    box = page.get_by_label("What did you see or hear?")
    counter_id = box.get_attribute("id") + "-counter"
    counter = page.locator(f"#{counter_id}")
    announcement = counter.locator("xpath=following-sibling::*[@data-counter-announcement][1]")
    expect(counter).to_have_text("0 of 4,000 characters")
    assert counter_id in box.get_attribute("aria-describedby").split()
    expect(announcement).to_have_attribute("aria-live", "polite")

    box.fill("She was on the floor.")
    expect(counter).to_have_text("21 of 4,000 characters")
    expect(announcement).to_have_text("")  # far from the limit: nothing is announced

    box.fill("x" * 3700)
    expect(counter).to_have_text("3,700 of 4,000 characters")
    expect(announcement).to_have_text("300 characters left.")

    box.fill("x" * 4100)  # the browser stops at maxlength
    expect(counter).to_have_text("4,000 of 4,000 characters")
    expect(announcement).to_have_text("You have reached the limit of 4,000 characters.")
    assert_accessible(page)
