"""The installable app's manifest, its service worker, and the pages it keeps on the phone
for when there is no signal: what they hold, and that they hold nobody's details."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client as Browser
from django.urls import reverse

from risks.models import RiskCategory

KEPT_PAGES = ("offline:page", "offline:report_form", "offline:waiting")


@pytest.fixture
def vera_visiting_elsie(world):
    """Vera, signed in, with a message waiting for her next page."""
    browser = Browser()
    browser.force_login(world.volunteer)
    return browser


def test_the_manifest_names_the_app_its_icons_and_where_it_starts():
    response = Browser().get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Living Well"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith(manifest["scope"])
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


@pytest.mark.django_db
def test_the_service_worker_is_never_cached_and_keeps_the_report_form_and_its_files():
    response = Browser().get(reverse("service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    for name in KEPT_PAGES:
        assert f'"{reverse(name)}"' in script
    assert "/static/js/report-offline.js" in script
    assert 'importScripts("/static/js/offline-store.js")' in script


@pytest.mark.django_db
def test_the_service_worker_changes_version_when_the_guidance_it_keeps_changes(world):
    def version():
        script = Browser().get(reverse("service_worker")).content.decode()
        return json.loads(script.split("const SETTINGS = ", 1)[1].split(";\n", 1)[0])["version"]

    before = version()
    assert version() == before
    RiskCategory.objects.filter(pk=world.falls.pk).update(do_now="Help them to sit, then call 111.")
    assert version() != before


@pytest.mark.parametrize("name", KEPT_PAGES)
def test_a_kept_page_holds_nothing_about_whoever_fetched_it(name, world, vera_visiting_elsie):
    response = vera_visiting_elsie.get(reverse(name))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    for detail in ("Elsie", "Trewin", "Vera", "Pascoe", "csrfmiddlewaretoken", "Sign out"):
        assert detail not in page, detail


def test_a_kept_page_does_not_take_the_message_meant_for_the_volunteers_next_page(world, vera_visiting_elsie):
    # Saving the preferences leaves "saved" for the next page. The service worker fetching
    # the kept pages in between (as it does when a new version installs) must leave it there.
    saved = vera_visiting_elsie.post(
        reverse("volunteers:me"), {"languages": "Cornish", "availability": "Mornings"}
    )
    assert saved.status_code == 302
    for name in KEPT_PAGES:
        vera_visiting_elsie.get(reverse(name))
    assert "Your preferences are saved." in vera_visiting_elsie.get(saved["Location"]).content.decode()


def test_the_kept_report_form_has_every_category_and_no_client_and_no_key(world):
    page = Browser().get(reverse("offline:report_form")).content.decode()
    for category in RiskCategory.objects.all():
        assert category.name in page
        assert category.do_now in page
    key = re.search(r'<input type="hidden" name="submission_key"[^>]*>', page).group()
    assert "value=" not in key, key
    clients = re.search(r'<select name="client".*?</select>', page, re.S).group()
    assert clients.count("<option") == 1, clients
    assert "data-offline-report" in page


def test_a_volunteers_pages_offer_the_app_and_a_coordinators_do_not(world):
    volunteer, coordinator = Browser(), Browser()
    volunteer.force_login(world.volunteer)
    coordinator.force_login(world.coordinator)
    volunteer_page = volunteer.get(reverse("risks:mine")).content.decode()
    assert reverse("manifest") in volunteer_page
    assert reverse("service_worker") in volunteer_page
    coordinator_page = coordinator.get(reverse("risks:queue")).content.decode()
    assert reverse("manifest") not in coordinator_page
    assert "offline.js" not in coordinator_page


@pytest.mark.django_db
def test_the_sign_in_page_lists_waiting_reports_but_installs_nothing():
    page = Browser().get(reverse("login")).content.decode()
    assert "offline.js" in page
    assert "data-waiting-for-sign-in" in page
    assert reverse("service_worker") not in page
