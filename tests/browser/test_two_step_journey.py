"""Two-step sign-in in a real browser: Cora, a demo coordinator set up with the published
demo secret, types her app's code; a new coordinator sets up the app at her first sign-in
and is shown her backup codes; every page is checked with axe on a phone and at 320 px."""

import re
import time

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from livingwell.accounts import demo, second_factor
from livingwell.accounts.roles import Role
from tests.browser.conftest import (
    DEMO_PASSWORD,
    NARROW,
    PHONE,
    assert_accessible,
    assert_only_local_requests,
)
from tests.factories import UserFactory
from tests.support.second_factor import next_code

TWO_STEP = re.compile(r"/accounts/two-step/")


def type_password(page: Page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.mark.parametrize("viewport", [PHONE, NARROW], ids=["390", "320"])
def test_cora_reaches_no_page_but_the_code_form_until_she_types_her_apps_code(
    page: Page, live_server, demo_people, requests_made, viewport
):
    demo.enrol_in_two_step_sign_in()
    page.set_viewport_size(viewport)
    type_password(page, live_server, "cora", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/two-step/\?next=%2F$"))
    expect(page.get_by_role("heading", name="Type the code from your phone")).to_be_visible()
    assert_accessible(page)

    # Another page, typed into the address bar, comes back to the same form.
    page.goto(f"{live_server.url}/clients/")
    expect(page).to_have_url(re.compile(r"/accounts/two-step/\?next=%2Fclients%2F$"))

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right.").first).to_be_visible()
    assert_accessible(page)

    cora_app = TOTPDevice.objects.get(user__username="cora")
    assert cora_app.key == second_factor.key_from_secret(settings.DEMO_SECOND_FACTOR_SECRET)
    page.get_by_label("Code").fill(next_code(cora_app))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/clients/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_only_local_requests(requests_made, live_server)


@pytest.mark.parametrize("viewport", [PHONE, NARROW], ids=["390", "320"])
def test_a_new_coordinator_sets_up_the_app_at_first_sign_in_and_keeps_the_backup_codes(
    page: Page, live_server, demo_people, requests_made, viewport
):
    from django.contrib.auth.models import Group

    person = UserFactory(username="newcoord", first_name="Nora")
    person.set_password(DEMO_PASSWORD)
    person.save()
    person.groups.add(Group.objects.get(name=Role.COORDINATOR))

    page.set_viewport_size(viewport)
    type_password(page, live_server, "newcoord", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/two-step/set-up/"))
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_accessible(page)

    # The key typed by hand, as someone whose phone cannot scan would.
    secret = page.locator("code.secret-key").inner_text()
    totp = TOTP(bytes.fromhex(second_factor.key_from_secret(secret)))
    totp.time = time.time()
    page.get_by_label("The six-digit code the app shows").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Finish setting up").click()

    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.locator(".backup-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have kept them safe: continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).not_to_have_url(TWO_STEP)
    assert_only_local_requests(requests_made, live_server)
