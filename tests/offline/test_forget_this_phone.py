"""Removing everything the app kept on a phone (POST /offline/forget/): the browser is told to
clear its caches and storage, and the person is told it is done."""

import pytest
from django.urls import reverse

FORGET = reverse("offline:forget")
CLEARED = '"cache", "storage"'
DONE = "Everything Living Well kept on this phone has been removed."


def test_a_volunteer_empties_their_phone_and_is_back_on_my_profile(world, signed_in):
    browser = signed_in(world.volunteer)

    response = browser.post(FORGET)

    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:me")
    assert response["Clear-Site-Data"] == CLEARED
    assert DONE in browser.get(response["Location"]).content.decode()


@pytest.mark.parametrize("person", ["coordinator", "manager", "no_role"])
def test_anybody_signed_in_may_empty_their_browser_and_is_sent_home(world, signed_in, person):
    browser = signed_in(getattr(world, person))

    response = browser.post(FORGET)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert response["Clear-Site-Data"] == CLEARED
    assert DONE in browser.get(response["Location"]).content.decode()


def test_emptying_the_phone_keeps_the_person_signed_in(world, signed_in):
    browser = signed_in(world.volunteer)
    browser.post(FORGET)
    assert browser.get(reverse("offline:data")).status_code == 200


def test_emptying_the_phone_needs_a_post(world, signed_in):
    response = signed_in(world.volunteer).get(FORGET)
    assert response.status_code == 405
    assert "Clear-Site-Data" not in response


def test_somebody_signed_out_is_sent_to_sign_in(world, client):
    response = client.post(FORGET)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")
