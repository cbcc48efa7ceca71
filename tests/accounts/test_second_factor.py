"""Two-step sign-in (livingwell/accounts/second_factor.py): who is asked, setting up an
app, codes right and wrong, the lock after too many wrong ones, backup codes used once,
and a role given while signed in."""

from __future__ import annotations

import contextlib
import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client as Browser
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts import demo, second_factor
from livingwell.accounts.models import SecondFactorLock
from livingwell.accounts.roles import Role
from livingwell.accounts.signals import second_step_event
from tests.factories import TEST_PASSWORD, UserFactory
from tests.support.second_factor import app_device, next_code, sign_in_with_password_only

VERIFY = reverse("two_step_verify")
SET_UP = reverse("two_step_setup")


def password_only(user) -> Browser:
    return sign_in_with_password_only(Browser(), user)


def pages_without_arguments() -> list[str]:
    """Every named page of the URL map that takes no argument, admin pages included."""
    paths = set()

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])) or None)
            elif pattern.name:
                with contextlib.suppress(NoReverseMatch):  # it takes an argument
                    paths.add(reverse(":".join(filter(None, [namespace, pattern.name]))))

    walk(get_resolver().url_patterns, None)
    return sorted(paths)


@pytest.mark.django_db
def test_a_coordinator_signed_in_with_the_password_only_reaches_no_page_but_the_code_form(world):
    app_device(world.coordinator)
    browser = password_only(world.coordinator)
    open_anyway = {VERIFY, SET_UP, reverse("logout"), reverse("login"), reverse("healthz")}
    checked = 0
    for path in pages_without_arguments():
        if path in open_anyway:
            continue
        response = browser.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{VERIFY}?next="), path
        checked += 1
    # Pages with an id in their address too: the client's page, a concern, a meeting.
    for path in (
        reverse("clients:detail", args=[world.elsie.pk]),
        reverse("admin:accounts_user_change", args=[world.coordinator.pk]),
    ):
        assert browser.get(path)["Location"].startswith(VERIFY), path
        checked += 1
    assert checked > 40
    page = browser.get(VERIFY)
    assert page.status_code == 200
    assert "Type the code from your phone" in page.content.decode()
    # The menu, whose every link would lead back here, is not shown.
    assert 'class="navbar-nav me-auto d-none"' in page.content.decode()


@pytest.mark.django_db
def test_the_right_code_opens_the_page_that_was_asked_for(world):
    device = app_device(world.coordinator)
    browser = password_only(world.coordinator)
    queue = reverse("risks:queue")
    asked = browser.get(queue)
    assert asked["Location"] == f"{VERIFY}?next=%2Frisks%2Fqueue%2F"
    response = browser.post(f"{VERIFY}?next={queue}", {"code": next_code(device), "next": queue})
    assert response.status_code == 302
    assert response["Location"] == queue
    assert browser.get(queue).status_code == 200


@pytest.mark.django_db
def test_a_code_is_read_through_spaces_dashes_invisible_characters_and_other_scripts_digits(world):
    device = app_device(world.coordinator)
    code = next_code(device)
    arabic_indic = "".join(chr(0x0660 + int(digit)) for digit in code)
    typed = f" {arabic_indic[:3]}\u200b\u2013{arabic_indic[3:]} "
    browser = password_only(world.coordinator)
    response = browser.post(VERIFY, {"code": typed})
    assert response.status_code == 302
    assert browser.get(reverse("home")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "This field is required."),
        ("1" * 41, "Ensure this value has at most 40 characters"),
        ("12345", "That code is not right."),
        ("abcdefgh", "That code is not right."),
        ("\u0661\u0662\u0663", "That code is not right."),
        ("\u200b\u200b", "That code is not right."),
    ],
)
def test_odd_codes_get_a_plain_message_and_the_page_stays(world, typed, message):
    app_device(world.coordinator)
    browser = password_only(world.coordinator)
    response = browser.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert browser.get(reverse("home"))["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_a_code_used_once_is_refused_the_second_time(world):
    device = app_device(world.coordinator)
    code = next_code(device)
    assert password_only(world.coordinator).post(VERIFY, {"code": code}).status_code == 302
    again = password_only(world.coordinator).post(VERIFY, {"code": code})
    assert again.status_code == 200
    assert "That code is not right." in again.content.decode()


@pytest.mark.django_db
def test_eight_wrong_codes_lock_the_person_even_with_the_right_code_and_a_new_sign_in(world, settings):
    device = app_device(world.coordinator)
    browser = password_only(world.coordinator)
    for attempt in range(1, settings.SECOND_FACTOR_FAILURE_LIMIT):
        response = browser.post(VERIFY, {"code": "000000" if attempt % 2 else "zzzzzzzz"})
        assert response.status_code == 200, attempt
        assert "That code is not right." in response.content.decode()
    eighth = browser.post(VERIFY, {"code": "000000"})
    assert eighth.status_code == 429
    assert "Signing in is paused" in eighth.content.decode()
    # The half-finished sign-in has ended.
    assert browser.get(reverse("home"))["Location"].startswith(reverse("login"))
    lock = SecondFactorLock.objects.get(user=world.coordinator)
    assert lock.locked_until > timezone.now() + datetime.timedelta(minutes=14)

    # Signing in again with the password gives no more guesses, not even the right code.
    assert password_only(world.coordinator).post(VERIFY, {"code": next_code(device)}).status_code == 429
    assert password_only(world.coordinator).get(VERIFY).status_code == 429

    # Once the lock has passed, the right code works and the count starts again.
    SecondFactorLock.objects.filter(user=world.coordinator).update(
        locked_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    after = password_only(world.coordinator)
    assert after.post(VERIFY, {"code": next_code(device)}).status_code == 302
    assert SecondFactorLock.objects.get(user=world.coordinator).failures == 0


@pytest.mark.django_db
def test_a_right_code_resets_the_count_of_wrong_ones(world, settings):
    device = app_device(world.coordinator)
    browser = password_only(world.coordinator)
    for _ in range(settings.SECOND_FACTOR_FAILURE_LIMIT - 1):
        browser.post(VERIFY, {"code": "000000"})
    assert browser.post(VERIFY, {"code": next_code(device)}).status_code == 302
    assert SecondFactorLock.objects.get(user=world.coordinator).failures == 0


@pytest.mark.django_db
def test_first_sign_in_sets_up_the_app_and_shows_ten_backup_codes_once(world):
    coordinator = world.coordinator
    browser = password_only(coordinator)
    assert browser.get(reverse("home"))["Location"] == f"{SET_UP}?next=%2F"
    page = browser.get(f"{SET_UP}?next=/").content.decode()
    assert "<svg" in page
    assert "QR code to scan with your authenticator app" in page
    secret = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert second_factor.key_from_secret(secret) == device.key
    # Reloading shows the same code to scan.
    assert secret in browser.get(SET_UP).content.decode()

    wrong = browser.post(SET_UP, {"code": "000000"})
    assert "That code does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()

    totp = TOTP(bytes.fromhex(second_factor.key_from_secret(secret)))
    totp.time = timezone.now().timestamp()
    done = browser.post(SET_UP, {"code": f"{totp.token():06d}", "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", done.content.decode())
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10
    assert browser.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_a_backup_code_works_once(world):
    app_device(world.coordinator)
    codes = second_factor.backup_codes_renew(world.coordinator)
    first = password_only(world.coordinator)
    response = first.post(VERIFY, {"code": codes[0].upper()[:4] + " " + codes[0][4:]})
    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200
    assert second_factor.backup_codes_left(world.coordinator) == 9

    second = password_only(world.coordinator)
    assert "That code is not right." in second.post(VERIFY, {"code": codes[0]}).content.decode()
    assert second.post(VERIFY, {"code": codes[1]}).status_code == 302


@pytest.mark.django_db
def test_new_backup_codes_replace_the_old_ones(world):
    old = second_factor.backup_codes_renew(world.coordinator)
    browser = Browser()
    browser.force_login(world.coordinator)
    response = browser.post(reverse("two_step_backup_codes"))
    new = re.findall(r"<li><code>([a-z2-7]{4}) ([a-z2-7]{4})</code></li>", response.content.decode())
    assert len(new) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()
    assert StaticToken.objects.filter(device__user=world.coordinator).count() == 10


@pytest.mark.django_db
def test_replacing_the_app_needs_the_second_step_first(world):
    app_device(world.coordinator)
    browser = password_only(world.coordinator)
    response = browser.get(SET_UP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=world.coordinator, confirmed=False).exists()


@pytest.mark.django_db
def test_a_volunteer_is_not_asked_but_may_turn_it_on_and_off(world, vera):
    user = vera.user
    browser = password_only(user)
    assert browser.get(reverse("home")).status_code == 200
    assert "is <strong>off</strong>" in browser.get(reverse("two_step_settings")).content.decode()

    browser.get(SET_UP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert browser.post(SET_UP, {"code": next_code(device)}).status_code == 200
    assert browser.get(reverse("home")).status_code == 200

    later = Browser()
    later.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert later.get(reverse("home"))["Location"].startswith(VERIFY)
    assert later.post(VERIFY, {"code": next_code(device)}).status_code == 302

    later.post(reverse("two_step_turn_off"))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert later.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_staff_cannot_turn_it_off(world):
    browser = Browser()
    browser.force_login(world.coordinator)
    response = browser.post(reverse("two_step_turn_off"), follow=True)
    assert "needed for your role" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.coordinator, confirmed=True).exists()


@pytest.mark.django_db
def test_someone_given_a_staff_role_while_signed_in_is_asked_before_their_next_page(world, vera):
    user = vera.user
    browser = password_only(user)
    assert browser.get(reverse("home")).status_code == 200
    user.groups.add(Group.objects.get(name=Role.COORDINATOR))
    response = browser.get(reverse("home"))
    assert response["Location"] == f"{SET_UP}?next=%2F"


@pytest.mark.django_db
def test_the_next_page_is_only_ever_one_of_ours(world):
    device = app_device(world.coordinator)
    browser = password_only(world.coordinator)
    response = browser.post(VERIFY, {"code": next_code(device), "next": "https://example.com/phish"})
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_every_role_but_volunteers_needs_it(world):
    for person in (world.coordinator, world.team_leader, world.mdt_chair, world.clinician, world.manager):
        assert second_factor.required_of(person), person
    assert second_factor.required_of(UserFactory(is_superuser=True, is_staff=True))
    assert not second_factor.required_of(world.volunteer)
    assert not second_factor.required_of(world.no_role)


@pytest.mark.django_db
def test_the_demo_accounts_that_need_it_are_set_up_with_the_published_secret(settings, capsys):
    demo.seed()
    assert demo.enrol_in_two_step_sign_in() > 0
    key = second_factor.key_from_secret(settings.DEMO_SECOND_FACTOR_SECRET)
    for username in ("cora", "tom", "drchen", "mona", "admin"):
        assert TOTPDevice.objects.get(user__username=username, confirmed=True).key == key
    assert not TOTPDevice.objects.filter(user__username__in=["vera", "victor"]).exists()
    # Seeding again adds none.
    assert demo.enrol_in_two_step_sign_in() == 0

    call_command("demo_code")
    code = capsys.readouterr().out.split()[0]
    cora = TOTPDevice.objects.get(user__username="cora").user
    response = password_only(cora).post(VERIFY, {"code": code})
    assert response.status_code == 302


@pytest.mark.django_db
def test_administrators_never_see_anyones_key_or_backup_codes(world):
    device = app_device(world.coordinator)
    codes = second_factor.backup_codes_renew(world.coordinator)
    admin_browser = Browser()
    admin_browser.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    change = admin_browser.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.content.decode()
    assert admin_browser.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk])).status_code == 403
    backup_device = world.coordinator.staticdevice_set.get()
    static = admin_browser.get(reverse("admin:otp_static_staticdevice_change", args=[backup_device.pk]))
    assert static.status_code == 200
    assert not any(code in static.content.decode() for code in codes)


@pytest.mark.django_db
def test_each_second_step_event_is_announced_for_the_security_record(world, settings):
    kinds = []

    def keep(sender, request, user, kind, **kwargs):
        kinds.append((user.pk, kind))

    second_step_event.connect(keep, dispatch_uid="test-keep-second-step-events")
    try:
        browser = password_only(world.coordinator)
        browser.get(SET_UP)
        device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
        codes = re.findall(
            r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>",
            browser.post(SET_UP, {"code": next_code(device)}).content.decode(),
        )
        again = password_only(world.coordinator)
        again.post(VERIFY, {"code": "000000"})
        again.post(VERIFY, {"code": codes[0]})
        settings.SECOND_FACTOR_FAILURE_LIMIT = 1
        password_only(world.coordinator).post(VERIFY, {"code": "000000"})
    finally:
        second_step_event.disconnect(dispatch_uid="test-keep-second-step-events")
    me = world.coordinator.pk
    assert kinds == [(me, "mfa_enrolled"), (me, "mfa_failed"), (me, "backup_code_used"), (me, "mfa_locked")]


@pytest.mark.django_db
def test_a_set_up_sent_again_after_it_finished_gets_a_plain_message(world):
    browser = password_only(world.coordinator)
    browser.get(SET_UP)
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    request = RequestFactory().post(SET_UP)
    request.user, request.session = world.coordinator, browser.session
    second_factor.enrol(request=request, device=device, code=next_code(device))
    # The same device, already confirmed: as a second copy of the form would find it.
    with pytest.raises(ValidationError, match="has just been set up"):
        second_factor.enrol(request=request, device=device, code=next_code(device))
    assert TOTPDevice.objects.filter(user=world.coordinator).count() == 1
