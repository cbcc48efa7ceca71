"""A copy of a client's record, end to end on a phone: Cora asks for it from the client's
record, Tom (another person of West Cornwall) approves it, and Cora downloads the ZIP."""

import io
import json
import zipfile

from playwright.sync_api import Page, expect

from clients.models import Client
from tests.browser.conftest import (
    DEMO_PASSWORD,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)


def open_menu_item(page: Page, name: str) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def sign_out(page: Page, name: str) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name=f"Sign out {name}").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_cora_asks_for_a_copy_tom_approves_and_cora_downloads_it(
    page: Page, live_server, demo_data, requests_made
):
    client = (
        Client.objects.filter(area__name__startswith="West", status=Client.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    page.set_viewport_size(PHONE)

    # Cora asks for the copy from the client's record.
    sign_in(page, live_server, "cora", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.get_by_role("link", name="Request a copy of this record").click()
    expect(page.get_by_role("heading", name=f"Request a copy of {client.full_name}'s record")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Request the copy").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check what you entered")
    expect(page.get_by_text("Say why a copy is needed: who asked for it")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why a copy is needed").fill("They asked for it in a letter dated 2 November.")
    page.get_by_role("button", name="Request the copy").click()
    expect(page.get_by_text("Your request is saved.")).to_be_visible()
    expect(
        page.get_by_text(f"Waiting for another coordinator or team leader of {client.area.name}")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Approve and make the copy")).to_have_count(0)
    assert_accessible(page)
    sign_out(page, "Cora")

    # Tom, a team leader of the same area, finds it under Copies of records and approves it.
    sign_in(page, live_server, "tom", DEMO_PASSWORD)
    open_menu_item(page, "Copies of records")
    expect(page.get_by_role("heading", name="Copies of records")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=client.full_name).click()
    page.get_by_role("button", name="Approve and make the copy").click()
    expect(page.get_by_text("Approved. The person who asked can download the copy")).to_be_visible()
    assert_accessible(page)
    sign_out(page, "Tom")

    # Cora downloads it: the client's record and a readable index.
    sign_in(page, live_server, "cora", DEMO_PASSWORD)
    open_menu_item(page, "Copies of records")
    page.get_by_role("link", name=client.full_name).click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the copy (ZIP)").click()
    with (
        open(download_info.value.path(), "rb") as downloaded,
        zipfile.ZipFile(io.BytesIO(downloaded.read())) as archive,
    ):
        names = set(archive.namelist())
        record = json.loads(archive.read("clients.client.json"))
        index = archive.read("index.html").decode()
    assert {"index.html", "clients.client.json", "clients.consent.json", "access_log.json"} <= names
    assert [row["pk"] for row in record] == [client.pk]
    assert f"Everything Living Well holds about {client.full_name}" in index

    assert_only_local_requests(requests_made, live_server)
