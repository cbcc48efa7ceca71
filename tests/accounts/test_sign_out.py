"""Signing out also tells the browser to remove what the app kept for when there is no
signal (the clients and reports on a volunteer's phone), and is otherwise Django's own."""

from django.urls import reverse

from livingwell.records.models import SecurityEvent
from tests.factories import UserFactory

LOGOUT = reverse("logout")


def test_signing_out_tells_the_browser_to_clear_its_caches_and_storage(login, db):
    person = UserFactory()
    browser = login(person)

    response = browser.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert browser.get(reverse("home")).status_code == 302  # signed out
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGNED_OUT, user=person).count() == 1


def test_signing_out_still_needs_a_post(login, db):
    browser = login(UserFactory())
    response = browser.get(LOGOUT)
    assert response.status_code == 405
    assert "Clear-Site-Data" not in response
    assert browser.get(reverse("home")).status_code == 200  # still signed in
