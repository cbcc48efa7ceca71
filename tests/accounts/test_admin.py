"""The admin cannot go round the services: deleting or editing the records that access
follows (volunteers, clients, memberships) is not offered, and what is offered goes
through the services, so access ends when it should."""

import pytest
from django.urls import reverse

from clients.models import Allocation, Client
from livingwell.accounts.models import AreaMembership
from tests.factories import UserFactory
from tests.support.access_table import signed_in
from volunteers.models import Volunteer


@pytest.fixture
def admin_browser(db):
    return signed_in(UserFactory(username="root", is_staff=True, is_superuser=True))


def visits(cast) -> bool:
    return Client.objects.allocated_to(cast.visiting.user).filter(pk=cast.elsie.pk).exists()


def test_deleting_a_volunteer_in_the_admin_is_not_offered_so_no_access_is_left_behind(cast, admin_browser):
    url = reverse("admin:volunteers_volunteer_delete", args=[cast.visiting.pk])

    assert admin_browser.get(url).status_code == 403
    assert admin_browser.post(url, {"post": "yes"}).status_code == 403
    assert Volunteer.objects.filter(pk=cast.visiting.pk).exists()
    assert cast.visiting.allocations.get().ended_on is None
    assert visits(cast)


def test_deleting_a_client_or_a_membership_in_the_admin_is_not_offered(cast, admin_browser):
    membership = AreaMembership.objects.get(user=cast.visiting.user)
    for url in (
        reverse("admin:clients_client_delete", args=[cast.elsie.pk]),
        reverse("admin:accounts_areamembership_delete", args=[membership.pk]),
    ):
        assert admin_browser.post(url, {"post": "yes"}).status_code == 403, url
    assert Client.objects.filter(pk=cast.elsie.pk).exists()
    assert AreaMembership.objects.filter(pk=membership.pk).exists()


def test_ending_a_volunteers_area_membership_in_the_admin_ends_their_visits_there(cast, admin_browser):
    membership = AreaMembership.objects.get(user=cast.visiting.user)

    response = admin_browser.post(
        reverse("admin:accounts_areamembership_changelist"),
        {"action": "end_memberships_today", "_selected_action": [membership.pk]},
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on is not None
    allocation = Allocation.objects.get(pk=cast.allocation.pk)
    assert allocation.ended_on is not None
    assert allocation.end_reason == "The volunteer no longer volunteers in this area"
    assert not visits(cast)


def test_a_membership_cannot_be_moved_to_another_area_in_the_admin(cast, admin_browser, east):
    membership = AreaMembership.objects.get(user=cast.visiting.user)
    url = reverse("admin:accounts_areamembership_change", args=[membership.pk])

    admin_browser.post(url, {"user": membership.user_id, "area": east.pk, "started_on": "2020-01-01"})

    membership.refresh_from_db()
    assert membership.area.name == "West Cornwall"
    assert visits(cast)


def test_a_membership_added_in_the_admin_is_started_through_the_service(cast, admin_browser, east):
    volunteer_user = cast.visiting.user
    url = reverse("admin:accounts_areamembership_add")

    response = admin_browser.post(
        url, {"user": volunteer_user.pk, "area": east.pk, "started_on": "2026-01-05"}
    )
    again = admin_browser.post(url, {"user": volunteer_user.pk, "area": east.pk, "started_on": "2026-01-05"})

    assert response.status_code == 302
    assert AreaMembership.objects.current().filter(user=volunteer_user, area=east).count() == 1
    assert again.status_code == 200
    assert "This person already works in this area." in again.text


def test_the_people_page_shows_memberships_without_letting_them_be_edited_there(cast, admin_browser):
    page = admin_browser.get(reverse("admin:accounts_user_change", args=[cast.visiting.user.pk]))

    assert page.status_code == 200
    assert "West Cornwall" in page.text
    assert 'name="area_memberships-0-area"' not in page.text
    assert 'name="area_memberships-0-DELETE"' not in page.text
