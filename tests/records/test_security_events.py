"""The security events log: what writes to it, and the page superusers read it on."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client as Browser
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.records.models import SecurityEvent
from tests.factories import TEST_PASSWORD, UserFactory
from tests.support.queries import queries_for
from tests.support.second_factor import next_code, sign_in_with_password_only

Kind = SecurityEvent.Kind
LOGIN = reverse("login")
PAGE = reverse("records:security_events")
VERIFY = reverse("two_step_verify")


def kinds_of(user=None, username=None) -> list[str]:
    events = SecurityEvent.objects.order_by("at", "pk")
    if user is not None:
        events = events.filter(user=user)
    if username is not None:
        events = events.filter(username=username)
    return list(events.values_list("kind", flat=True))


@pytest.mark.django_db
def test_signing_in_and_out_are_recorded_with_the_address(vera):
    browser = Browser()
    response = browser.post(LOGIN, {"username": "vera", "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    browser.post(reverse("logout"), REMOTE_ADDR="203.0.113.5")
    events = list(SecurityEvent.objects.filter(user=vera.user).order_by("at", "pk"))
    assert [event.kind for event in events] == [Kind.SIGNED_IN, Kind.SIGNED_OUT]
    assert {event.ip_address for event in events} == {"203.0.113.5"}
    assert {event.username for event in events} == {"vera"}


@pytest.mark.django_db
def test_a_failed_sign_in_keeps_the_username_typed_even_when_nobody_has_it(vera):
    browser = Browser()
    browser.post(LOGIN, {"username": "vera", "password": "wrong"}, REMOTE_ADDR="203.0.113.6")
    browser.post(LOGIN, {"username": "nosuchperson", "password": "wrong"}, REMOTE_ADDR="203.0.113.6")
    assert kinds_of(user=vera.user) == [Kind.SIGN_IN_FAILED]
    stranger = SecurityEvent.objects.get(username="nosuchperson")
    assert stranger.kind == Kind.SIGN_IN_FAILED
    assert stranger.user is None
    assert stranger.ip_address == "203.0.113.6"
    assert "wrong" not in str(stranger.details)


@pytest.mark.django_db
def test_a_lockout_is_recorded(vera, settings):
    settings.AXES_FAILURE_LIMIT = 3
    browser = Browser()
    for _ in range(3):
        browser.post(LOGIN, {"username": "vera", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    assert Kind.LOCKED_OUT in kinds_of(user=vera.user)
    assert SecurityEvent.objects.get(kind=Kind.LOCKED_OUT).ip_address == "203.0.113.7"


@pytest.mark.django_db
def test_a_password_reset_asked_for_and_a_new_password_set_are_recorded(vera):
    user = vera.user
    Browser().post(reverse("password_reset"), {"email": user.email}, REMOTE_ADDR="198.51.100.4")
    asked = SecurityEvent.objects.get(kind=Kind.PASSWORD_RESET_REQUESTED)
    assert asked.ip_address == "198.51.100.4"
    # The email typed may be anybody's: it is not kept.
    assert user.email not in str(asked.details)
    assert asked.username == ""

    browser = Browser()
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    form_page = browser.get(link, follow=True)
    new_password = "a-brand-new-password-for-vera"
    browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert kinds_of(user=user) == [Kind.PASSWORD_SET]


@pytest.mark.django_db
def test_a_password_saved_unchanged_is_not_an_event(vera):
    user = vera.user
    user.first_name = "Veronica"
    user.save()
    assert kinds_of(user=user) == []


@pytest.mark.django_db
def test_the_second_step_events_are_recorded(world, settings):
    coordinator = world.coordinator
    browser = sign_in_with_password_only(Browser(), coordinator)
    browser.get(reverse("two_step_setup"))
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    codes = re.findall(
        r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>",
        browser.post(reverse("two_step_setup"), {"code": next_code(device)}).content.decode(),
    )
    again = sign_in_with_password_only(Browser(), coordinator)
    again.post(VERIFY, {"code": "000000"})
    again.post(VERIFY, {"code": codes[0]})
    settings.SECOND_FACTOR_FAILURE_LIMIT = 1
    sign_in_with_password_only(Browser(), coordinator).post(VERIFY, {"code": "000000"})
    assert [kind for kind in kinds_of(user=coordinator) if kind.startswith(("mfa", "backup"))] == [
        Kind.MFA_ENROLLED,
        Kind.MFA_FAILED,
        Kind.BACKUP_CODE_USED,
        Kind.MFA_LOCKED,
    ]


@pytest.mark.django_db
def test_turning_two_step_sign_in_off_is_recorded(vera):
    user = vera.user
    browser = sign_in_with_password_only(Browser(), user)
    browser.get(reverse("two_step_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    browser.post(reverse("two_step_setup"), {"code": next_code(device)})
    browser.post(reverse("two_step_turn_off"))
    assert kinds_of(user=user)[-1] == Kind.MFA_TURNED_OFF


# --- The page ---------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "actor",
    [
        "volunteer",
        "coordinator",
        "other_coordinator",
        "team_leader",
        "mdt_chair",
        "clinician",
        "manager",
        "no_role",
    ],
)
def test_only_superusers_may_read_the_security_events(world, actor):
    browser = Browser()
    browser.force_login(getattr(world, actor))
    assert browser.get(PAGE).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Browser().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


@pytest.mark.django_db
def test_the_page_lists_newest_first_and_filters_by_kind_and_username(superuser, login, vera):
    browser = Browser()
    browser.post(LOGIN, {"username": "someone", "password": "wrong"})
    browser.post(LOGIN, {"username": "vera", "password": "wrong"})
    browser.post(LOGIN, {"username": "vera", "password": TEST_PASSWORD})
    admin = login(superuser)

    everything = admin.get(PAGE).content.decode()
    assert everything.index("Signed in") < everything.index("Sign-in failed")

    failed = admin.get(PAGE, {"kind": Kind.SIGN_IN_FAILED}).context["page_obj"].object_list
    assert {event.username for event in failed} == {"someone", "vera"}
    veras = admin.get(PAGE, {"username": "VERA"}).context["page_obj"].object_list
    assert [event.kind for event in veras][:2] == [Kind.SIGNED_IN, Kind.SIGN_IN_FAILED]
    both = admin.get(PAGE, {"username": "vera", "kind": Kind.SIGN_IN_FAILED}).context["page_obj"].object_list
    assert [event.username for event in both] == ["vera"]


@pytest.mark.django_db
def test_a_filter_that_makes_no_sense_is_ignored_not_an_error(superuser, login):
    response = login(superuser).get(PAGE, {"kind": "<script>", "page": "lots"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_page_reads_the_same_number_of_queries_however_many_events(superuser, login):
    admin = login(superuser)
    for number in range(3):
        SecurityEvent.objects.create(kind=Kind.SIGN_IN_FAILED, username=f"person{number}", user=superuser)
    few = len(queries_for(lambda: admin.get(PAGE)))
    SecurityEvent.objects.bulk_create(
        SecurityEvent(kind=Kind.SIGN_IN_FAILED, username=f"more{number}", user=superuser)
        for number in range(40)
    )
    assert len(queries_for(lambda: admin.get(PAGE))) == few


@pytest.mark.django_db
def test_the_admin_shows_security_events_but_cannot_change_them(superuser, login):
    event = SecurityEvent.objects.create(kind=Kind.SIGN_IN_FAILED, username="someone")
    admin = login(superuser)
    assert admin.get(reverse("admin:records_securityevent_changelist")).status_code == 200
    assert admin.get(reverse("admin:records_securityevent_add")).status_code == 403
    admin.post(reverse("admin:records_securityevent_delete", args=[event.pk]), {"post": "yes"})
    assert SecurityEvent.objects.filter(pk=event.pk).exists()
    assert admin.get(reverse("admin:records_exportrequest_changelist")).status_code == 200
