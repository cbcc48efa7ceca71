import time

import pytest
from django.apps import apps
from django.contrib import admin
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape

from livingwell.accounts.middleware import SIGNED_IN_AT
from livingwell.accounts.roles import ROLE_DESCRIPTIONS, Role
from tests.factories import TEST_PASSWORD, GPPracticeFactory, NotificationFactory, UserFactory

HOME = reverse("home")
LOGIN = reverse("login")


def test_home_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def test_signing_in_with_the_right_password_goes_home(client, volunteer):
    response = client.post(LOGIN, {"username": "vera", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert "Hello, Vera" in response.text


def test_a_wrong_password_gets_a_plain_message_and_no_session(client, volunteer):
    response = client.post(LOGIN, {"username": "vera", "password": "wrong"})
    assert response.status_code == 200
    assert "That username and password do not match." in response.text
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_pause_signing_in(client, volunteer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "vera", "password": "wrong"})
    response = client.post(LOGIN, {"username": "vera", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Signing in is paused for a while" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "role", [Role.VOLUNTEER, Role.COORDINATOR, Role.TEAM_LEADER, Role.MDT_CHAIR, Role.CLINICIAN, Role.MANAGER]
)
def test_home_page_explains_each_role(login, make_person, west, role):
    person = make_person(role, areas=[west])
    response = login(person).get(HOME)
    assert response.status_code == 200
    assert f"You are signed in as a {Role(role).label.lower()}" in response.text
    assert escape(ROLE_DESCRIPTIONS[role]) in response.text
    assert "West Cornwall" in response.text
    for other in set(Role.values) - {role}:
        assert escape(ROLE_DESCRIPTIONS[other]) not in response.text


def test_home_page_shows_the_practice_of_a_meeting_chair(login, make_person):
    practice = GPPracticeFactory(name="Alverton Practice")
    chair = make_person(Role.MDT_CHAIR, practices=[practice])
    assert "Alverton Practice" in login(chair).get(HOME).text


def test_home_page_for_someone_with_no_role_says_what_to_do(login, db):
    response = login(UserFactory()).get(HOME)
    assert "Your account has no role yet" in response.text


def test_home_page_lists_the_latest_notifications(login, db):
    notification = NotificationFactory(title="Your concern reached the GP")
    response = login(notification.recipient).get(HOME)
    assert "Your concern reached the GP" in response.text
    assert "(1 unread)" in response.text


def test_signing_out_needs_a_post_and_says_so(login, db):
    client = login(UserFactory())
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "You have signed out." in response.text
    assert client.get(HOME).status_code == 302


def test_a_session_ends_twelve_hours_after_sign_in_however_active(login, db, settings):
    client = login(UserFactory())
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(HOME).status_code == 302


def test_password_reset_emails_a_working_link(client, volunteer, settings):
    response = client.post(reverse("password_reset"), {"email": "vera@example.org"}, follow=True)
    assert "Check your email" in response.text
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    # The link names the site's own address (SITE_URL), not the Host the request came with.
    assert link.strip().startswith(settings.SITE_URL.split("://")[1]) or settings.SITE_URL in link
    path = "/accounts/reset/" + link.split("/accounts/reset/", 1)[1].strip()
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long password 42", "new_password2": "a new long password 42"},
        follow=True,
    )
    assert "Your new password is set" in done.text
    fresh = Client()
    fresh.post(LOGIN, {"username": "vera", "password": "a new long password 42"})
    assert "_auth_user_id" in fresh.session


def test_a_new_volunteer_with_no_password_yet_can_set_one_by_email(client, db):
    person = UserFactory(username="wenna", email="wenna@example.org")
    person.set_unusable_password()
    person.save()
    client.post(reverse("password_reset"), {"email": "wenna@example.org"})
    assert len(mail.outbox) == 1
    assert "wenna" in mail.outbox[0].body


def test_a_switched_off_account_gets_no_reset_email(client, db):
    UserFactory(username="gone", email="gone@example.org", is_active=False)
    client.post(reverse("password_reset"), {"email": "gone@example.org"})
    assert mail.outbox == []


def test_password_change_refuses_a_short_password(login, db):
    client = login(UserFactory())
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.text
    assert "Please check what you entered" in response.text


@override_settings(AXES_ENABLED=False)
def test_every_model_has_a_working_admin_page(client, db, rf):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    request = rf.get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        views = ["changelist"]
        # Some records (allocations, consent) are read-only here by design.
        if meta.app_label in OUR_APPS and model_admin.has_add_permission(request):
            views.append("add")
        for view in views:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
            assert client.get(url).status_code == 200, url
    registered = {model._meta.label for model in admin.site._registry}
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if not model._meta.auto_created:
                assert model._meta.label in registered, f"{model._meta.label} has no admin page"


def test_allocations_and_consent_cannot_be_changed_in_the_admin(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:clients_allocation_add")).status_code == 403
    assert client.get(reverse("admin:clients_consent_add")).status_code == 403


OUR_APPS = ["accounts", "notifications", "volunteers", "clients", "risks", "meetings"]


def test_admin_is_closed_to_people_who_are_not_staff(login, make_person):
    response = login(make_person(Role.COORDINATOR)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_home_page_has_a_plain_title_and_a_way_to_change_the_password(login, db):
    response = login(UserFactory()).get(HOME)
    assert "<title>Home · Living Well</title>" in response.text
    assert reverse("password_change") in response.text


@pytest.mark.parametrize(
    ("role", "promised"),
    [
        (Role.VOLUNTEER, True),
        (Role.MDT_CHAIR, False),
        (Role.CLINICIAN, False),
        (Role.MANAGER, False),
        (Role.COORDINATOR, False),
    ],
)
def test_only_people_who_raise_concerns_are_promised_news_of_them(login, make_person, west, role, promised):
    page = login(make_person(role, areas=[west])).get(HOME).text
    assert ("news about something you raised" in page) is promised
    assert "You have no notifications yet." in page


@pytest.mark.parametrize(
    ("role", "has_reports"),
    [
        (Role.MANAGER, True),
        (Role.COORDINATOR, True),
        (Role.MDT_CHAIR, True),
        (Role.TEAM_LEADER, False),
        (Role.CLINICIAN, False),
        (Role.VOLUNTEER, False),
    ],
)
def test_reports_are_a_section_for_managers_coordinators_and_meeting_chairs_only(
    login, make_person, west, role, has_reports
):
    page = login(make_person(role, areas=[west])).get(HOME).text
    dashboard = reverse("reports:dashboard")
    links = page.count(f'href="{dashboard}"')
    # In the navigation and among "What you can do" (and a manager's panel of reports).
    assert links >= 2 if has_reports else links == 0
