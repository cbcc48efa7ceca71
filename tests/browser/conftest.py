"""The browser test harness: Debian's headless Chromium driven by Playwright against
pytest-django's live server, with the demo people, an accessibility check (axe, WCAG 2.2
AA) and a record of every request each page makes.

Journeys use pytest-playwright's `page` (one browser per session, a fresh context and
page per test) together with the fixtures and helpers here:

    def test_something(page, live_server, demo_people, requests_made):
        sign_in(page, live_server, "vera", DEMO_PASSWORD)
        page.set_viewport_size(PHONE)
        assert_accessible(page)
        assert_only_local_requests(requests_made, live_server)
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Page, expect

HERE = Path(__file__).resolve().parent

# Playwright's sync API runs an event loop in the test thread; Django refuses database
# access from such a thread unless told otherwise. scripts/test.sh sets this too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Viewports: a common phone (portrait), the narrowest screen WCAG asks pages to reflow
# to (1.4.10: 320 CSS pixels), and a laptop.
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}

DEMO_PASSWORD = settings.DEMO_PASSWORD

# Every WCAG 2.0, 2.1 and 2.2 A and AA rule axe knows (2.2 added only AA rules to axe).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`, so `-m "not browser"` skips them."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless: `playwright install` is not needed (nor possible)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB"}


@pytest.fixture
def demo_people(transactional_db, live_server, settings):
    """The demo areas, practices and one account per role (password DEMO_PASSWORD).

    transactional_db, because the live server's thread only sees committed rows; the
    database is flushed after each test, so each test seeds again. A fast password hasher
    (for these tests only; the live server runs in this process and sees the setting)
    makes that 0.1 s instead of 1.5 s for seven real PBKDF2 hashes."""
    from livingwell.accounts import demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return demo.seed()


@pytest.fixture
def demo_data(demo_people):
    """All the demo data, as `seed_demo` makes it: clients, volunteers, concerns in every
    state, the directory and the rota (each app's `demo.seed`)."""
    from livingwell.accounts.management.commands.seed_demo import seeders

    for seed in seeders():
        seed()


@pytest.fixture
def requests_made(page: Page) -> list[str]:
    """The URL of every request the page makes from now on, in order."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def assert_only_local_requests(urls: list[str], live_server) -> None:
    """Nothing the pages loaded came from another host (data: URLs are inline, allowed)."""
    assert urls, "the page made no requests at all: was the request recorder attached?"
    server = urlsplit(live_server.url)
    elsewhere = [
        url
        for url in urls
        if not url.startswith("data:")
        and (urlsplit(url).scheme, urlsplit(url).netloc) != (server.scheme, server.netloc)
    ]
    assert not elsewhere, f"requests to another host than {live_server.url}:\n" + "\n".join(elsewhere)


def page_width(page: Page) -> int:
    """How wide the page is, in CSS pixels: more than the viewport means sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth")


# Boxes inside the page that scroll sideways (a wide table in a scrolling wrapper): the page
# itself fits, but part of its content is still off-screen.
SIDEWAYS_SCROLLERS = """
() => Array.from(document.querySelectorAll("body *")).filter(element => {
  const overflow = getComputedStyle(element).overflowX;
  return (overflow === "auto" || overflow === "scroll") && element.scrollWidth > element.clientWidth + 1;
}).map(el => `${el.tagName} ${el.className}: ${el.scrollWidth} in ${el.clientWidth} px`)
"""


def sideways_scrollers(page: Page) -> list[str]:
    return page.evaluate(SIDEWAYS_SCROLLERS)


def assert_accessible(page: Page) -> None:
    """axe finds no WCAG 2.2 A/AA violation on the page as it is now, and the page needs
    no sideways scrolling at the current width (1.4.10 reflow, which axe does not check)."""
    results = _axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    width, viewport = page_width(page), page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width} px wide in a {viewport} px window"
    assert sideways_scrollers(page) == [], page.url


def sign_in(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through the form, as a person would, and wait for the next page. Someone
    whose role needs two-step sign-in has an authenticator app (set up here if they have
    none) and types its code, as they would."""
    from livingwell.accounts import second_factor
    from livingwell.accounts.models import User
    from tests.support.second_factor import app_device, next_code

    user = User.objects.filter(username=username).first()
    device = app_device(user) if user is not None and second_factor.required_of(user) else None
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).not_to_have_url(f"{live_server.url}/accounts/login/")
    if device is not None:
        expect(page).to_have_url(re.compile(r"/accounts/two-step/"))
        page.get_by_label("Code").fill(next_code(device))
        page.get_by_role("button", name="Continue").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/two-step/"))
