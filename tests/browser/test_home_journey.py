"""Signing in, the home page each role lands on, and signing out, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from livingwell.accounts.roles import ROLE_DESCRIPTIONS, Role
from tests.browser.conftest import (
    DEMO_PASSWORD,
    DESKTOP,
    NARROW,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)

ADMINISTRATOR_TEXT = "You are an administrator. You set up people, areas and GP practices in Administration."

# username, first name, what the home page says they are (role headings), and the
# paragraphs that must be on their home page.
DEMO_ACCOUNTS = [
    ("vera", "Vera", ["volunteer"], [ROLE_DESCRIPTIONS[Role.VOLUNTEER]]),
    ("victor", "Victor", ["volunteer"], [ROLE_DESCRIPTIONS[Role.VOLUNTEER]]),
    ("cora", "Cora", ["coordinator"], [ROLE_DESCRIPTIONS[Role.COORDINATOR]]),
    ("tom", "Tom", ["team leader"], [ROLE_DESCRIPTIONS[Role.TEAM_LEADER]]),
    (
        "drchen",
        "Li",
        ["multi-disciplinary team meeting chair", "clinician"],
        [ROLE_DESCRIPTIONS[Role.MDT_CHAIR], ROLE_DESCRIPTIONS[Role.CLINICIAN]],
    ),
    ("mona", "Mona", ["manager"], [ROLE_DESCRIPTIONS[Role.MANAGER]]),
    ("admin", "Ada", [], [ADMINISTRATOR_TEXT]),
]


def text_left(locator) -> float:
    """Where the element's text starts, in pixels from the left of the page."""
    return locator.evaluate(
        "element => element.getBoundingClientRect().left + parseFloat(getComputedStyle(element).paddingLeft)"
    )


@pytest.mark.parametrize(
    ("username", "first_name", "role_labels", "descriptions"),
    DEMO_ACCOUNTS,
    ids=[account[0] for account in DEMO_ACCOUNTS],
)
def test_each_demo_account_signs_in_to_an_accessible_home_page(
    page: Page, live_server, demo_people, requests_made, username, first_name, role_labels, descriptions
):
    sign_in(page, live_server, username, DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    # Keyboard first, before anything else moves the focus: the skip link is off screen
    # until Tab reaches it, then wholly on screen, and Enter on it moves focus to the
    # main content.
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport(ratio=1)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {first_name}")
    for label in role_labels:
        role_heading = page.get_by_role("heading", name=f"You are signed in as a {label}", exact=True)
        expect(role_heading).to_be_visible()
    for description in descriptions:
        expect(page.get_by_text(description, exact=True)).to_be_visible()
    # Nobody is told about a role they do not hold.
    for other in set(ROLE_DESCRIPTIONS.values()) - set(descriptions):
        expect(page.get_by_text(other)).to_have_count(0)
    if username != "admin":
        expect(page.get_by_text(ADMINISTRATOR_TEXT)).to_have_count(0)

    navigation = page.get_by_role("navigation", name="Main")
    notifications = navigation.get_by_role("link", name="Notifications")
    expect(notifications).to_be_visible()
    expect(navigation.get_by_role("button", name=f"Sign out {first_name}")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"/tmp/lw-home-{username}-desktop.png", full_page=True)

    # On a phone the navigation folds behind the Menu button, which opens it.
    page.set_viewport_size(PHONE)
    menu = navigation.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(notifications).to_be_hidden()
    assert_accessible(page)
    page.screenshot(path=f"/tmp/lw-home-{username}.png", full_page=True)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    # The menu is open (no half-drawn menu for axe to judge).
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(notifications).to_be_visible()
    # The open menu is one straight column: Sign out (a button) lines up with the links.
    sign_out = navigation.get_by_role("button", name=f"Sign out {first_name}")
    assert text_left(sign_out) == pytest.approx(text_left(notifications), abs=1)
    assert_accessible(page)
    page.screenshot(path=f"/tmp/lw-home-{username}-menu.png", full_page=True)

    # At 320 CSS pixels, the narrowest WCAG asks for, nothing needs sideways scrolling
    # (assert_accessible measures the page's width too).
    page.set_viewport_size(NARROW)
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert_accessible(page)

    assert_only_local_requests(requests_made, live_server)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_sign_in_page_is_accessible_to_anonymous_visitors(page: Page, live_server, requests_made, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Living Well")
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    # Nothing for signed-in people is offered to a visitor.
    expect(page.get_by_role("link", name="Notifications")).to_have_count(0)
    assert_accessible(page)

    # Django's sign-in form puts the cursor in Username (autofocus); Tab goes on to Password.
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.screenshot(path=f"/tmp/lw-login-{viewport['width']}.png", full_page=True)

    assert_only_local_requests(requests_made, live_server)


def test_wrong_password_shows_an_accessible_error_summary(
    page: Page, live_server, demo_people, requests_made
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("That username and password do not match")
    # livingwell.js moves focus to the summary so that it is read out first.
    expect(summary).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Living Well")
    assert_accessible(page)

    assert_only_local_requests(requests_made, live_server)


def test_signing_out_returns_to_the_sign_in_page(page: Page, live_server, demo_people, requests_made):
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Vera")

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("status")).to_contain_text("You have signed out")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Living Well")
    assert_accessible(page)

    # The session has really ended: the home page now asks for a sign-in.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.get_by_text("You have signed out")).to_have_count(0)

    assert_only_local_requests(requests_made, live_server)
