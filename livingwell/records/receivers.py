"""What writes the security events log: Django's sign-in signals, django-axes's lockout,
the second step of signing in, and password resets. The platform sends these and knows
nothing of this log; every receiver only records."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save

from livingwell.accounts.addresses import client_address
from livingwell.accounts.models import PasswordResetRequest
from livingwell.accounts.signals import second_step_event
from livingwell.records.models import SecurityEvent
from livingwell.records.services import security_event_record

Kind = SecurityEvent.Kind
SECOND_STEP_KINDS = {
    "mfa_enrolled": Kind.MFA_ENROLLED,
    "mfa_failed": Kind.MFA_FAILED,
    "mfa_locked": Kind.MFA_LOCKED,
    "backup_code_used": Kind.BACKUP_CODE_USED,
    "mfa_turned_off": Kind.MFA_TURNED_OFF,
}


def _address(request) -> str | None:
    return client_address(request) or None if request is not None else None


def signed_in(sender, request, user, **kwargs) -> None:
    security_event_record(kind=Kind.SIGNED_IN, user=user, ip_address=_address(request))


def signed_out(sender, request, user, **kwargs) -> None:
    security_event_record(kind=Kind.SIGNED_OUT, user=user, ip_address=_address(request))


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already taken the password out of `credentials`; keep only the username.
    username = str(credentials.get("username", ""))
    user = get_user_model().objects.filter(username=username).first() if username else None
    security_event_record(
        kind=Kind.SIGN_IN_FAILED, user=user, username=username, ip_address=_address(request)
    )


def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    username = str(username or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    security_event_record(kind=Kind.LOCKED_OUT, user=user, username=username, ip_address=ip_address)


def second_step(sender, request, user, kind, **kwargs) -> None:
    security_event_record(kind=SECOND_STEP_KINDS[kind], user=user, ip_address=_address(request))


def password_reset_requested(sender, instance, created, raw=False, **kwargs) -> None:
    # The email typed may be anybody's: the request keeps only its digest, and so does this.
    if created and not raw:
        security_event_record(kind=Kind.PASSWORD_RESET_REQUESTED, ip_address=instance.address)


def password_replacing(sender, instance, raw=False, **kwargs) -> None:
    # `set_password` leaves the new password in `_password` until the save has finished: it
    # is there only when this save changes the password. A password written over an empty
    # field is a record being made (a script, a factory), not somebody's password changing;
    # an account made by a coordinator has an unusable password, which is not empty, so its
    # first password, set from the reset link, is recorded.
    if raw or getattr(instance, "_password", None) is None or instance.pk is None:
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._records_password_replaced = bool(stored)


def password_set(sender, instance, created, raw=False, **kwargs) -> None:
    if not created and not raw and getattr(instance, "_records_password_replaced", False):
        instance._records_password_replaced = False
        security_event_record(kind=Kind.PASSWORD_SET, user=instance)


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="records-signed-in")
    user_logged_out.connect(signed_out, dispatch_uid="records-signed-out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="records-sign-in-failed")
    user_locked_out.connect(locked_out, dispatch_uid="records-locked-out")
    second_step_event.connect(second_step, dispatch_uid="records-second-step")
    post_save.connect(
        password_reset_requested, sender=PasswordResetRequest, dispatch_uid="records-reset-asked"
    )
    pre_save.connect(password_replacing, sender=get_user_model(), dispatch_uid="records-password-replacing")
    post_save.connect(password_set, sender=get_user_model(), dispatch_uid="records-password-set")
