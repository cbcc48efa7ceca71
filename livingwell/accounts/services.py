"""Changes to who works where (later apps grant and revoke object access on these events),
and the limits on password-reset emails."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from livingwell.accounts.models import (
    Area,
    AreaMembership,
    GPPractice,
    PasswordResetRequest,
    PracticeMembership,
    User,
)
from livingwell.accounts.signals import area_membership_ended


@transaction.atomic
def area_membership_start(
    *, user: User, area: Area, started_on: datetime.date | None = None
) -> AreaMembership:
    if AreaMembership.objects.filter(user=user, area=area, ended_on__isnull=True).exists():
        raise ValidationError(f"{user} already works in {area}.")
    membership = AreaMembership(user=user, area=area, started_on=started_on or timezone.localdate())
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def area_membership_end(
    *, membership: AreaMembership, by: User | None = None, ended_on: datetime.date | None = None
) -> AreaMembership:
    """End someone's work in an area. What depended on it ends with it, in this
    transaction: the apps that keep such things receive `area_membership_ended`."""
    membership = (
        AreaMembership.objects.select_for_update().select_related("user", "area").get(pk=membership.pk)
    )
    if membership.ended_on is not None:
        raise ValidationError(f"{membership} already ended on {membership.ended_on:%d %B %Y}.")
    membership.ended_on = ended_on or timezone.localdate()
    membership.full_clean()
    membership.save(update_fields=["ended_on"])
    area_membership_ended.send(sender=AreaMembership, membership=membership, by=by)
    return membership


@transaction.atomic
def practice_membership_start(
    *, user: User, practice: GPPractice, started_on: datetime.date | None = None
) -> PracticeMembership:
    if PracticeMembership.objects.filter(user=user, practice=practice, ended_on__isnull=True).exists():
        raise ValidationError(f"{user} already works at {practice}.")
    membership = PracticeMembership(
        user=user, practice=practice, started_on=started_on or timezone.localdate()
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def practice_membership_end(
    *, membership: PracticeMembership, by: User | None = None, ended_on: datetime.date | None = None
) -> PracticeMembership:
    membership = PracticeMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise ValidationError(f"{membership} already ended on {membership.ended_on:%d %B %Y}.")
    membership.ended_on = ended_on or timezone.localdate()
    membership.full_clean()
    membership.save(update_fields=["ended_on"])
    return membership


security_log = logging.getLogger("livingwell.security")

PASSWORD_RESET_WINDOW = datetime.timedelta(hours=1)
PASSWORD_RESET_KEPT = datetime.timedelta(days=1)


def password_reset_allowed(*, address: str | None, email: str, now: datetime.datetime | None = None) -> bool:
    """Records a password-reset request and says whether its email may be sent: not when
    this address, or this email address, has already asked PASSWORD_RESET_LIMIT_PER_ADDRESS
    or PASSWORD_RESET_LIMIT_PER_EMAIL times in the last hour (someone filling a mailbox, or
    trying address after address). A refusal is logged."""
    now = now or timezone.now()
    digest = salted_hmac("password-reset-email", email.strip().casefold()).hexdigest()
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=now - PASSWORD_RESET_KEPT).delete()
        recent = PasswordResetRequest.objects.filter(requested_at__gte=now - PASSWORD_RESET_WINDOW)
        by_address = recent.filter(address=address).count() if address else 0
        by_email = recent.filter(email_digest=digest).count()
        PasswordResetRequest.objects.create(address=address or None, email_digest=digest, requested_at=now)
    if by_address >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
        security_log.warning(
            "Password reset refused: address %s asked %d times in an hour", address, by_address
        )
        return False
    if by_email >= settings.PASSWORD_RESET_LIMIT_PER_EMAIL:
        security_log.warning(
            "Password reset refused: email %s… asked for %d times in an hour (from %s)",
            digest[:12],
            by_email,
            address,
        )
        return False
    return True
