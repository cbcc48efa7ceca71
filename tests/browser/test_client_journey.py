"""A coordinator registers a client, records consent and allocates Vera from the
suggestions; Vera, on her phone, finds her new client. Every page passes axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from clients.models import ConsentScope
from tests.browser.conftest import (
    DEMO_PASSWORD,
    NARROW,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
    sign_in,
)
from volunteers import demo as volunteers_demo


def sign_out(page: Page, name: str) -> None:
    page.get_by_role("button", name=f"Sign out {name}").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


@pytest.mark.parametrize("phone", [PHONE, NARROW], ids=["390", "320"])
def test_coordinator_registers_and_allocates_a_client_and_vera_sees_them_on_her_phone(
    page: Page, live_server, demo_people, requests_made, phone
):
    volunteers_demo.seed()

    # Cora registers Ruby Trevithick, a new client at Alverton Practice.
    sign_in(page, live_server, "cora", DEMO_PASSWORD)
    page.get_by_role("link", name="Clients", exact=True).first.click()
    expect(page.get_by_role("heading", name="Clients", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Register a client").click()
    page.get_by_label("First name").fill("Ruby")
    page.get_by_label("Last name").fill("Trevithick")
    page.get_by_label("Date of birth").fill("1939-04-21")
    page.get_by_label("Address").fill("3 Chapel Street\nPenzance")
    page.get_by_label("Postcode").fill("tr18 4ad")
    page.get_by_label("GP practice").select_option(label="Alverton Practice")
    page.get_by_label("Practical needs").fill("Key safe by the front door. Hard of hearing: knock loudly.")
    page.get_by_label("Befriender").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Ruby Trevithick is registered.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ruby Trevithick", level=1)).to_be_visible()
    expect(page.get_by_text("TR18 4AD")).to_be_visible()
    assert_accessible(page)

    # She records that Ruby agrees her volunteer may hear what happened about a concern.
    page.get_by_role("link", name="Record consent").click()
    page.get_by_label(ConsentScope.OUTCOME_TO_VOLUNTEER.label).check()
    page.get_by_label("Verbally").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name=ConsentScope.OUTCOME_TO_VOLUNTEER.label, exact=True)).to_be_visible()

    # She allocates Vera from the suggestions, which say why Vera fits.
    page.get_by_role("link", name="Allocate a volunteer").click()
    vera = page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=re.compile(r"\d\. Vera Pascoe"))
    )
    expect(vera).to_contain_text("Skills that match: Befriender")
    expect(vera).to_contain_text("Willing to attend Alverton Practice's Multi-Disciplinary Team meeting")
    assert_accessible(page)
    vera.get_by_role("button", name="Allocate Vera Pascoe").click()
    expect(page.get_by_text("Vera Pascoe now visits Ruby Trevithick.")).to_be_visible()
    sign_out(page, "Cora")

    # Vera signs in on her phone and finds Ruby among her clients.
    page.set_viewport_size(phone)
    sign_in(page, live_server, "vera", DEMO_PASSWORD)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My clients").click()
    card = page.get_by_role("article").filter(has_text="Ruby Trevithick")
    expect(card).to_contain_text("Key safe by the front door.")
    assert_accessible(page)
    card.get_by_role("link", name="Ruby Trevithick").click()
    expect(page.get_by_role("heading", name="Ruby Trevithick", level=1)).to_be_visible()
    expect(page.get_by_text("Key safe by the front door. Hard of hearing: knock loudly.")).to_be_visible()
    # The visit page carries practical information only.
    expect(page.get_by_text("Date of birth")).to_have_count(0)
    expect(page.get_by_text("NHS number")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Menu").click()
    sign_out(page, "Vera")

    # Cora sees that Vera looked at Ruby's record.
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, "cora", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/clients/")
    page.get_by_role("link", name="Trevithick, Ruby").click()
    looked = page.get_by_role("region", name="Who has looked at this record")
    expect(looked).to_contain_text("Vera Pascoe")
    expect(looked).to_contain_text("visit page")

    assert_only_local_requests(requests_made, live_server)
