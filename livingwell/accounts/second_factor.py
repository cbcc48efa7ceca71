"""Two-step sign-in: after the password, a six-digit code from an authenticator app
(TOTP, django-otp) or one of ten single-use backup codes.

Everyone but volunteers must use it: their pages hold the health and circumstances of
many clients. Volunteers may turn it on. Whether it is asked of someone is decided on
every request from the roles they hold now, so a person given a staff role while signed in
is asked for a code before their next page.
"""

from __future__ import annotations

import base64
import datetime
import logging
import unicodedata

import django_otp
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts.models import SecondFactorLock, User
from livingwell.accounts.roles import Role
from livingwell.accounts.signals import second_step_event

security_log = logging.getLogger("livingwell.security")

ROLES_THAT_NEED_IT = frozenset(
    {Role.COORDINATOR, Role.TEAM_LEADER, Role.MDT_CHAIR, Role.CLINICIAN, Role.MANAGER}
)
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# Set at sign-in for a volunteer who has turned two-step sign-in on: it saves looking for
# their device on every request of everyone else.
TURNED_ON_SESSION_KEY = "second_factor_turned_on"
# Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash: phones and
# word processors turn one into another when a code is pasted.
DASHES = "-\u2010\u2011\u2012\u2013\u2014"


class CodesLocked(Exception):
    """Too many wrong codes in a row: no code is checked until `until`."""

    def __init__(self, until: datetime.datetime):
        super().__init__(f"Second-factor codes locked until {until:%H:%M}")
        self.until = until


def required_of(user: User) -> bool:
    return user.is_superuser or user.is_staff or user.has_role(*ROLES_THAT_NEED_IT)


def asked_of(request) -> bool:
    """Whether this signed-in request must have passed the second step."""
    return required_of(request.user) or request.session.get(TURNED_ON_SESSION_KEY, False)


@receiver(user_logged_in, dispatch_uid="note-second-factor-turned-on")
def note_turned_on(sender, request, user, **kwargs) -> None:
    if request is not None and not required_of(user) and app_device(user) is not None:
        request.session[TURNED_ON_SESSION_KEY] = True


def app_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def setup_device(user: User) -> TOTPDevice:
    """The new, not yet confirmed, authenticator app the set-up page shows: the same one
    each time the page is opened, so a reload does not change the code to scan."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def key_from_secret(secret: str) -> str:
    """The hex key django-otp stores, from a base 32 secret as apps show it."""
    secret = "".join(secret.split()).upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when it cannot scan: base 32, in
    groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(text: str) -> str:
    """A code as typed, as it is checked: spaces, dashes and invisible characters dropped,
    digits of any script read as 0-9, letters in lower case (backup codes are lower case)."""
    characters = []
    for character in unicodedata.normalize("NFKC", text or ""):
        if character.isspace() or character in DASHES or unicodedata.category(character) == "Cf":
            continue
        digit = unicodedata.decimal(character, None)
        characters.append(str(digit) if digit is not None else character.lower())
    return "".join(characters)


@transaction.atomic
def backup_codes_renew(user: User) -> list[str]:
    """Ten new backup codes; any old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def enrol(*, request, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the authenticator app that was scanned, when the code it shows is right:
    it replaces any earlier app, the session counts as verified, and ten new backup codes
    are made and returned, to be shown once."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device.pk, user=request.user, confirmed=False)
        .first()
    )
    if device is None:
        # The same form sent twice at once, or from two windows: the first finished it.
        raise ValidationError(
            "This app has just been set up, in another window or by sending the form twice. "
            "Sign out and sign in again with the code from your app.",
            code="already_set_up",
        )
    if not device.verify_token(normalise_code(code)):
        raise ValidationError(
            "That code does not match. Check the app shows Living Well and type the code it shows now.",
            code="wrong_code",
        )
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_renew(request.user)
    django_otp.login(request, device)
    security_log.info("Two-step sign-in set up by user %s", request.user.pk)
    second_step_event.send(sender=TOTPDevice, request=request, user=request.user, kind="mfa_enrolled")
    return codes


def locked_until(user: User) -> datetime.datetime | None:
    """When the person's codes are locked after too many wrong ones, until when."""
    until = SecondFactorLock.objects.filter(user=user).values_list("locked_until", flat=True).first()
    return until if until and until > timezone.now() else None


def _lock_for(user: User) -> SecondFactorLock:
    lock, _ = SecondFactorLock.objects.select_for_update().get_or_create(user=user)
    return lock


def verify(*, request, code: str):
    """Checks a code typed at the second step against the person's app and backup codes.
    A right code marks the session as verified and returns the device; a wrong one raises
    ValidationError, and the SECOND_FACTOR_FAILURE_LIMIT-th wrong one in a row raises
    CodesLocked and refuses every code until the lock ends."""
    user = request.user
    code = normalise_code(code)
    with transaction.atomic():
        lock = _lock_for(user)
        now = timezone.now()
        if lock.locked_until and lock.locked_until > now:
            raise CodesLocked(lock.locked_until)
        device = _device_accepting(user, code)
        if device is not None:
            lock.failures, lock.locked_until = 0, None
            lock.save()
        else:
            lock.failures += 1
            if lock.failures >= settings.SECOND_FACTOR_FAILURE_LIMIT:
                lock.failures = 0
                lock.locked_until = now + datetime.timedelta(minutes=settings.SECOND_FACTOR_LOCK_MINUTES)
            lock.save()
    if device is None:
        if lock.locked_until:
            security_log.warning("Second-factor codes locked for user %s", user.pk)
            second_step_event.send(sender=SecondFactorLock, request=request, user=user, kind="mfa_locked")
            raise CodesLocked(lock.locked_until)
        security_log.info("Wrong second-factor code for user %s", user.pk)
        second_step_event.send(sender=SecondFactorLock, request=request, user=user, kind="mfa_failed")
        raise ValidationError(
            "That code is not right. Type the six-digit code your app shows now, "
            "or one of your backup codes.",
            code="wrong_code",
        )
    if isinstance(device, StaticDevice):
        security_log.info("Backup code used by user %s", user.pk)
        second_step_event.send(sender=StaticDevice, request=request, user=user, kind="backup_code_used")
    django_otp.login(request, device)
    return device


def _device_accepting(user: User, code: str):
    if code.isascii() and code.isdigit() and len(code) == 6:
        device = app_device(user)
    elif code.isascii() and code.isalnum() and len(code) <= 16:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    else:
        return None
    # django-otp's verify_token locks the device's row and refuses a code used before.
    if device is not None and django_otp.verify_token(user, device.persistent_id, code):
        return device
    return None


@transaction.atomic
def turn_off(*, request) -> None:
    """A volunteer's choice to stop using two-step sign-in; refused for everyone else."""
    user = request.user
    if required_of(user):
        raise ValidationError("Two-step sign-in is needed for your role, so it cannot be turned off.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    security_log.info("Two-step sign-in turned off by user %s", user.pk)
    second_step_event.send(sender=TOTPDevice, request=request, user=user, kind="mfa_turned_off")
