"""Evidence, end to end: Mona, a manager, opens the reports, narrows them to West Cornwall
over the last 12 months, compares the routes, takes the Excel file away, and reads the
Alverton trial's feedback cards; printed, the dashboard keeps its charts and tables and
loses the navigation."""

import io
import re
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, assert_only_local_requests, sign_in

TRIAL = "Volunteers at Alverton Practice's Multi-Disciplinary Team meeting"
ROUTES = (
    "Formal monthly meeting",
    "Coffee morning",
    "Team leader phone line",
    "GP practice Multi-Disciplinary Team meeting",
)


def test_mona_compares_the_routes_takes_the_spreadsheet_and_reads_the_trials_cards(
    page: Page, live_server, demo_data, requests_made
):
    sign_in(page, live_server, "mona", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    assert_accessible(page)

    # West Cornwall, the last 12 complete months: the choice is kept in the address.
    page.get_by_label("Period", exact=True).select_option(label="The last 12 complete months")
    page.get_by_role("checkbox", name="West Cornwall").check()
    page.get_by_role("button", name="Show these figures").click()
    expect(page).to_have_url(re.compile(r"period=last_12_months.*area=\d+"))
    expect(page.locator(".report-about")).to_contain_text("West Cornwall")
    assert_accessible(page)

    # The routes side by side: every route is there, and the table has its chart.
    routes = page.locator("#table-routes")
    for route in ROUTES:
        expect(routes.get_by_role("table").first).to_contain_text(route)
    expect(routes.get_by_role("img").first).to_be_visible()

    # The spreadsheet of the same figures.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames[0] == "About"
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert "West Cornwall" in about["Areas"]

    # The Alverton trial and its cards: each shows the writer's role, never the name.
    page.get_by_role("link", name="Trials of new ways of working").click()
    page.get_by_role("link", name=TRIAL).click()
    expect(page.get_by_role("heading", name=TRIAL)).to_be_visible()
    cards = page.get_by_role("article")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 4
    for role in ("Board member", "Coordinator", "Volunteer", "Clinician"):
        expect(page.get_by_role("heading", name=role, exact=False).first).to_be_visible()
    for name in ("Mona", "Cora", "Vera", "Nina", "Chen"):
        expect(page.locator("#cards-heading").locator("xpath=..")).not_to_contain_text(name)
    assert_accessible(page)

    assert_only_local_requests(requests_made, live_server)


def test_the_printed_dashboard_shows_charts_and_tables_without_navigation(page: Page, live_server, demo_data):
    sign_in(page, live_server, "mona", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/?period=last_12_months")
    page.emulate_media(media="print")

    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Show these figures")).to_be_hidden()
    expect(page.get_by_role("link", name="Download as Excel")).to_be_hidden()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.locator("#table-routes")).to_be_visible()
    expect(page.locator("table").first).to_be_visible()
    charts = page.locator("img[src^='data:image/svg+xml']")
    assert charts.count() >= 3
    expect(charts.first).to_be_visible()
