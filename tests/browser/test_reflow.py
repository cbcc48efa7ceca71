"""WCAG 2.2 AA beyond what axe checks: every page reflows to 320 CSS pixels without
sideways scrolling (1.4.10), form-control borders stand out against white (1.4.11), the
phone menu closes with Escape, and the report form shows the chosen category's guidance
right under the choice."""

import pytest
from playwright.sync_api import Page, expect

from clients.models import Client, ConsentScope
from livingwell.accounts.models import User
from meetings.models import Meeting, MeetingKind, MeetingStatus
from risks.models import RiskReport, Status
from tests.browser.conftest import (
    DEMO_PASSWORD,
    DESKTOP,
    NARROW,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    page_width,
    sideways_scrollers,
    sign_in,
)
from volunteers.models import Volunteer


@pytest.fixture
def demo_world(demo_data):
    """The demo data, and the people and records the pages below are opened for."""
    vera = User.objects.get(username="vera")
    west_client = (
        Client.objects.filter(area__name="West Cornwall", consents__isnull=False, allocations__isnull=False)
        .distinct()
        .first()
    )
    mdt = Meeting.objects.get(kind=MeetingKind.MDT, status=MeetingStatus.PLANNED)
    vera_item = mdt.items.get(presenter=vera)
    # Another client of Vera's who agreed she may speak for them: the checklist is all met.
    other_item = (
        mdt.items.exclude(pk=vera_item.pk)
        .filter(
            client__allocations__volunteer__user=vera,
            client__consents__scope=ConsentScope.VOLUNTEER_AT_MDT,
            client__consents__withdrawn_at__isnull=True,
        )
        .first()
    )
    return {
        "vera_client": Client.objects.allocated_to(vera).first().pk,
        "vera_risk": RiskReport.objects.reported_by_volunteer(vera).first().pk,
        "client": west_client.pk,
        "volunteer": Volunteer.objects.filter(user__username="vera").get().pk,
        "risk": RiskReport.objects.filter(area__name="West Cornwall", status=Status.ESCALATED).first().pk,
        "new_risk": RiskReport.objects.filter(area__name="West Cornwall", status=Status.REPORTED).first().pk,
        "mdt": mdt.pk,
        "practice": mdt.practice_id,
        "vera_mdt_client": vera_item.client_id,
        "mdt_item": other_item.pk,
        "mdt_client": other_item.client_id,
        "formal": Meeting.objects.get(
            kind=MeetingKind.FORMAL, area__name="West Cornwall", status=MeetingStatus.PLANNED
        ).pk,
        "coffee": Meeting.objects.get(kind=MeetingKind.COFFEE_MORNING, status=MeetingStatus.HELD).pk,
    }


# Every page the browser journeys visit, and more, for each demo account that can open it.
PAGES = {
    "vera": [
        "/",
        "/clients/",
        "/clients/{vera_client}/",
        "/risks/new/",
        "/risks/mine/",
        "/risks/{vera_risk}/",
        "/volunteers/me/",
        "/directory/",
        "/notifications/",
        "/meetings/",
        "/meetings/{mdt}/",
        "/meetings/{mdt}/clients/{vera_mdt_client}/summary/",
    ],
    "victor": ["/", "/clients/", "/risks/mine/"],
    "cora": [
        "/",
        "/risks/queue/",
        "/risks/queue/?overdue=1",
        "/risks/{risk}/",
        "/risks/{new_risk}/",
        "/clients/",
        "/clients/new/",
        "/clients/{client}/",
        "/clients/{client}/edit/",
        "/clients/{client}/consent/new/",
        "/clients/{client}/allocate/",
        "/volunteers/",
        "/volunteers/{volunteer}/",
        "/risks/rota/",
        "/directory/",
        "/notifications/",
        "/meetings/",
        "/meetings/?when=past",
        "/meetings/new/?kind=formal",
        "/meetings/{formal}/",
        "/meetings/{formal}/edit/",
        "/reports/",
    ],
    "colin": [
        "/",
        "/meetings/",
        "/meetings/new/?kind=coffee_morning",
        "/meetings/{coffee}/",
        "/meetings/{coffee}/raise/",
    ],
    "tom": ["/", "/risks/phone/", "/risks/queue/", "/risks/rota/", "/meetings/"],
    "drchen": [
        "/",
        "/notifications/",
        "/meetings/",
        "/meetings/new/?kind=mdt",
        "/meetings/{mdt}/",
        "/meetings/{mdt}/edit/",
        "/meetings/{mdt}/agenda/add/",
        "/meetings/{mdt}/items/{mdt_item}/volunteer/?volunteer={volunteer}",
        "/meetings/{mdt}/clients/{mdt_client}/summary/",
        "/meetings/practices/{practice}/protocol/",
        "/reports/",
    ],
    "nina": ["/", "/meetings/", "/meetings/{mdt}/", "/meetings/{mdt}/clients/{mdt_client}/summary/"],
    "mona": ["/", "/notifications/", "/reports/", "/reports/?period=last_12_months"],
    "admin": ["/"],
}


@pytest.mark.parametrize("username", list(PAGES))
def test_every_page_fits_a_320_pixel_screen_without_sideways_scrolling(
    page: Page, live_server, demo_world, requests_made, username
):
    page.set_viewport_size(NARROW)
    sign_in(page, live_server, username, DEMO_PASSWORD)
    for path in PAGES[username]:
        response = page.goto(live_server.url + path.format(**demo_world))
        assert response.status == 200, path
        assert page_width(page) <= NARROW["width"], f"{path} is {page_width(page)} px wide at 320 px"
        assert sideways_scrollers(page) == [], path
        assert_accessible(page)
    assert_only_local_requests(requests_made, live_server)


def test_the_sign_in_page_fits_a_320_pixel_screen(page: Page, live_server, requests_made):
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/accounts/login/")
    assert page_width(page) <= NARROW["width"]
    assert_only_local_requests(requests_made, live_server)


# The contrast of a control's border against the white page, computed by the browser.
BORDER_CONTRASTS = """
() => {
  function channel(value) {
    value /= 255;
    return value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4);
  }
  function luminance(colour) {
    const [r, g, b] = colour.match(/[\\d.]+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }
  const white = 1.0;
  return Array.from(document.querySelectorAll(
    "main input:not([type=hidden]):not([type=submit]), main select, main textarea"
  )).filter(element => element.offsetParent !== null).map(element => {
    const style = getComputedStyle(element);
    const border = luminance(style.borderTopColor);
    return {
      name: (element.id || element.name) + (element.checked ? " (checked)" : ""),
      type: element.type,
      contrast: (white + 0.05) / (border + 0.05),
      width: parseFloat(style.borderTopWidth),
    };
  });
}
"""


@pytest.mark.parametrize(("username", "path"), [("vera", "/risks/new/"), ("cora", "/clients/new/")])
def test_every_form_control_border_has_at_least_3_to_1_contrast_against_white(
    page: Page, live_server, demo_world, username, path
):
    sign_in(page, live_server, username, DEMO_PASSWORD)
    page.goto(live_server.url + path)
    controls = page.evaluate(BORDER_CONTRASTS)
    kinds = {control["type"] for control in controls}
    assert {"radio", "textarea"} & kinds or {"checkbox", "text"} <= kinds, kinds
    weak = [control for control in controls if control["contrast"] < 3 or control["width"] < 1]
    assert weak == [], weak


@pytest.mark.parametrize("viewport", [NARROW, PHONE], ids=["320", "390"])
def test_escape_closes_the_phone_menu_and_returns_focus_to_the_menu_button(
    page: Page, live_server, demo_people, viewport
):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    navigation = page.get_by_role("navigation", name="Main")
    menu = navigation.get_by_role("button", name="Menu")
    notifications = navigation.get_by_role("link", name="Notifications")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(notifications).to_be_visible()
    notifications.focus()
    page.keyboard.press("Escape")

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(notifications).to_be_hidden()
    expect(menu).to_be_focused()
    # The button opens it again, and closes it.
    menu.click()
    expect(notifications).to_be_visible()
    menu.click()
    expect(notifications).to_be_hidden()
    assert page_width(page) <= viewport["width"]


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320", "desktop"])
def test_the_guidance_for_the_chosen_category_appears_right_under_the_choice(
    page: Page, live_server, demo_world, viewport
):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/risks/new/")
    choice = page.get_by_label("What is it about?")
    choice.select_option(label="Housing")

    guidance = page.locator("details.guidance[open]")
    expect(guidance).to_have_count(1)
    expect(guidance).to_contain_text("The home no longer suits them")
    choice_box = choice.bounding_box()
    guidance_box = guidance.bounding_box()
    gap = guidance_box["y"] - (choice_box["y"] + choice_box["height"])
    assert 0 <= gap < 120, f"the guidance is {gap} px below the choice"
    send = page.get_by_role("button", name="Send my concern").bounding_box()
    assert guidance_box["y"] < send["y"]

    # Choosing another category shows its guidance there instead, and only its.
    choice.select_option(label="Transport")
    expect(page.locator("details.guidance[open]")).to_have_count(1)
    expect(page.locator("details.guidance[open] summary")).to_have_text("Transport")
    assert page.locator("details.guidance").count() == page.locator("details.guidance summary").count()
    assert page_width(page) <= viewport["width"]
    assert_accessible(page)


# The print layout of the reports dashboard, on a page the width of A4 paper less margins.
PAPER = {"width": 718, "height": 1000}


def test_the_reports_dashboard_on_a_laptop_and_printed_shows_its_charts_and_tables(
    page: Page, live_server, demo_data, requests_made
):
    sign_in(page, live_server, "mona", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/?period=last_12_months")
    # On a laptop's screen first (charts beside the tables), then on paper.
    assert_accessible(page)
    page.set_viewport_size(PAPER)
    page.emulate_media(media="print")

    # (CSS locators: the accessibility tree leaves out what print hides.)
    hidden = page.locator("nav, form.report-filter, .report-downloads, .report-contents, main .btn, button")
    assert hidden.count() >= 5
    for element in hidden.all():
        expect(element).to_be_hidden()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    expect(page.locator(".report-about")).to_contain_text("Period")
    expect(page.locator(".report-about")).to_contain_text("(the last 12 complete months)")

    tables = page.locator("table.report-table")
    assert tables.count() >= 6
    for table in tables.all():
        expect(table).to_be_visible()
        # A table, not the phone's stacked cards, with its headings shown (and repeated on
        # each page), kept on one page where it fits.
        styles = table.evaluate(
            """table => ({
                cell: getComputedStyle(table.querySelector("td")).display,
                head: getComputedStyle(table.querySelector("thead")).display,
                headHeight: table.querySelector("thead").getBoundingClientRect().height,
                breakInside: getComputedStyle(table).breakInside,
            })"""
        )
        assert styles["cell"] == "table-cell", styles
        assert styles["head"] == "table-header-group", styles
        assert styles["headHeight"] > 10, styles
        assert styles["breakInside"] == "avoid-page", styles
    charts = page.locator("figure.report-chart")
    assert charts.count() >= 5
    for chart in charts.all():
        expect(chart).to_be_visible()
    for image in page.locator("figure.report-chart img").all():
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page_width(page) <= PAPER["width"]
    assert_only_local_requests(requests_made, live_server)
