"""Every change to volunteers: registration, profile, preferences, checks and training."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from clients import services as client_services
from livingwell.accounts import services as accounts_services
from livingwell.accounts.models import Area, AreaMembership, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import staff_areas_of
from livingwell.dates import EARLIEST_RECORD
from livingwell.text import clean_text
from livingwell.uk import normalise_uk_phone
from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingModule, TrainingRecord, Volunteer

PROFILE_FIELDS = (
    "address",
    "postcode",
    "skills",
    "languages",
    "background",
    "availability",
    "capacity",
    "status",
    "mdt_opt_in",
    "own_gp_practice",
)
# What volunteers may change about themselves.
PREFERENCE_FIELDS = {"skills", "languages", "availability", "mdt_opt_in", "phone"}


def _check_staff_for(by, areas) -> None:
    allowed = set(Area.objects.filter(pk__in=staff_areas_of(by)).values_list("pk", flat=True))
    if not areas or not {area.pk for area in areas} <= allowed:
        raise PermissionDenied("You can only manage volunteers in the areas where you work.")


def _check_can_manage(by, volunteer: Volunteer) -> None:
    from volunteers.access import volunteers_visible_to

    if not volunteers_visible_to(by).filter(pk=volunteer.pk).exists():
        raise PermissionDenied("You can only manage volunteers in the areas where you work.")


def _set_profile(volunteer: Volunteer, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS) - {"phone"}
    if unknown:
        raise TypeError(f"Unknown volunteer fields: {sorted(unknown)}")
    if "mdt_opt_in" in fields and fields["mdt_opt_in"] != volunteer.mdt_opt_in:
        volunteer.mdt_opt_in_changed_at = timezone.now()
    for name, value in fields.items():
        if name == "phone":
            # The user's phone has no validator of its own: it is checked here.
            try:
                volunteer.user.phone = normalise_uk_phone(value)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from error
        else:
            setattr(volunteer, name, value)


@transaction.atomic
def volunteer_register(
    *, by, username: str, first_name: str, last_name: str, email: str = "", areas: list[Area], **profile: Any
) -> Volunteer:
    """A new volunteer account and profile. They set their own password through
    "Forgotten your password?" with their email address."""
    _check_staff_for(by, areas)
    first_name = clean_text(first_name, max_length=150, required=True, what="First name")
    last_name = clean_text(last_name, max_length=150, required=True, what="Last name")
    username = clean_text(username, max_length=150, required=True, what="Username")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken. Try adding a number or an initial."})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=by.organisation,
    )
    user.set_unusable_password()
    volunteer = Volunteer(user=user)
    _set_profile(volunteer, profile)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=Role.VOLUNTEER))
    volunteer.user = user
    volunteer.full_clean()
    volunteer.save()
    for area in areas:
        accounts_services.area_membership_start(user=user, area=area)
    return volunteer


@transaction.atomic
def volunteer_update(
    *, volunteer: Volunteer, by, areas: list[Area] | None = None, **fields: Any
) -> Volunteer:
    volunteer = Volunteer.objects.select_for_update().select_related("user").get(pk=volunteer.pk)
    _check_can_manage(by, volunteer)
    was_left = volunteer.status == Volunteer.Status.LEFT
    user_fields = {name: fields.pop(name) for name in ("first_name", "last_name", "email") if name in fields}
    for name, what in (("first_name", "First name"), ("last_name", "Last name")):
        if name in user_fields:
            user_fields[name] = clean_text(user_fields[name], max_length=150, required=True, what=what)
    for name, value in user_fields.items():
        setattr(volunteer.user, name, value)
    _set_profile(volunteer, fields)
    volunteer.user.full_clean()
    volunteer.user.save()
    volunteer.full_clean()
    volunteer.save()
    if areas is not None:
        _sync_areas(volunteer, by, areas)
    if volunteer.status == Volunteer.Status.LEFT and not was_left:
        # A volunteer who has left visits nobody, so keeps no access to anybody's details.
        client_services.allocations_end_all(
            allocations=volunteer.allocations.all(), by=by, reason="The volunteer has left"
        )
    return volunteer


def _sync_areas(volunteer: Volunteer, by, areas: list[Area]) -> None:
    """Start and end memberships so the volunteer works in `areas`, touching only the areas
    `by` manages."""
    managed = set(Area.objects.filter(pk__in=staff_areas_of(by)).values_list("pk", flat=True))
    wanted = {area.pk for area in areas}
    if not wanted <= managed:
        raise PermissionDenied("You can only add volunteers to the areas where you work.")
    current = {m.area_id: m for m in AreaMembership.objects.current().filter(user=volunteer.user)}
    if not wanted and not (set(current) - managed):
        raise ValidationError({"areas": "A volunteer needs at least one area."})
    for area in areas:
        if area.pk not in current:
            accounts_services.area_membership_start(user=volunteer.user, area=area)
    for area_id, membership in current.items():
        if area_id in managed and area_id not in wanted:
            accounts_services.area_membership_end(membership=membership)
            client_services.allocations_end_all(
                allocations=volunteer.allocations.filter(client__area_id=area_id),
                by=by,
                reason="The volunteer no longer volunteers in this area",
            )


@transaction.atomic
def volunteer_update_preferences(*, volunteer: Volunteer, by, **fields: Any) -> Volunteer:
    """A volunteer's own choices: never required, always theirs to change."""
    if volunteer.user_id != by.pk:
        raise PermissionDenied("Only the volunteer can change their own preferences.")
    unknown = set(fields) - PREFERENCE_FIELDS
    if unknown:
        raise TypeError(f"Not a preference: {sorted(unknown)}")
    volunteer = Volunteer.objects.select_for_update().select_related("user").get(pk=volunteer.pk)
    _set_profile(volunteer, fields)
    volunteer.user.save(update_fields=["phone"])
    volunteer.full_clean()
    volunteer.save()
    return volunteer


# A DBS certificate is renewed every three years; a renewal date further off than this is a
# typing slip.
LONGEST_DBS_RENEWAL = 10


def renewal_window_check(*, checked_on: datetime.date, renewal_due_on: datetime.date) -> None:
    if renewal_due_on <= checked_on:
        raise ValidationError("The renewal date must be after the date of the check.")
    if renewal_due_on.year - checked_on.year > LONGEST_DBS_RENEWAL or (
        renewal_due_on.year - checked_on.year == LONGEST_DBS_RENEWAL
        and (renewal_due_on.month, renewal_due_on.day) > (checked_on.month, checked_on.day)
    ):
        raise ValidationError(
            f"The renewal date must be within {LONGEST_DBS_RENEWAL} years of the check. Check the year."
        )


def three_years_after(day: datetime.date) -> datetime.date:
    """DBS checks are renewed every three years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 3)
    except ValueError:
        return day.replace(year=day.year + 3, day=28)


def _not_future(on: datetime.date, what: str) -> None:
    """Also not before 2000: year 1 or a slip of the finger is not a date we record."""
    if on > timezone.localdate():
        raise ValidationError(f"The date {what} cannot be in the future.")
    if on < EARLIEST_RECORD:
        raise ValidationError(f"The date {what} cannot be before 2000. Check the year.")


@transaction.atomic
def dbs_check_record(
    *,
    volunteer: Volunteer,
    by,
    checked_on: datetime.date,
    reference: str,
    renewal_due_on: datetime.date | None = None,
) -> DBSCheck:
    _check_can_manage(by, volunteer)
    _not_future(checked_on, "of the check")
    reference = clean_text(reference, max_length=40, required=True, what="Certificate number")
    renewal_due_on = renewal_due_on or three_years_after(checked_on)
    renewal_window_check(checked_on=checked_on, renewal_due_on=renewal_due_on)
    return DBSCheck.objects.create(
        volunteer=volunteer, checked_on=checked_on, reference=reference, renewal_due_on=renewal_due_on
    )


@transaction.atomic
def training_record_add(
    *, volunteer: Volunteer, by, module: TrainingModule, completed_on: datetime.date
) -> TrainingRecord:
    _check_can_manage(by, volunteer)
    _not_future(completed_on, "the training was completed")
    return TrainingRecord.objects.create(volunteer=volunteer, module=module, completed_on=completed_on)


@transaction.atomic
def agreement_sign(
    *, volunteer: Volunteer, by, signed_on: datetime.date, version: str
) -> ConfidentialityAgreement:
    _check_can_manage(by, volunteer)
    version = clean_text(version, max_length=20, required=True, what="Agreement version")
    _not_future(signed_on, "of signing")
    if volunteer.agreements.filter(version=version).exists():
        raise ValidationError(f"Version {version} of the agreement is already recorded as signed.")
    return ConfidentialityAgreement.objects.create(
        volunteer=volunteer, signed_on=signed_on, version=version.strip()
    )
