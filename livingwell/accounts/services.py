"""Changes to who works where. Later apps grant and revoke object access on these events."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from livingwell.accounts.models import Area, AreaMembership, GPPractice, PracticeMembership, User
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
