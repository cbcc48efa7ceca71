"""Every change to volunteers: registration, profile, preferences, checks and training."""

from __future__ import annotations

import datetime
from typing import TypedDict, Unpack

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from livingwell.accounts import services as accounts_services
from livingwell.accounts.models import Area, AreaMembership, GPPractice, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import staff_area_ids_of
from livingwell.dates import EARLIEST_RECORD
from livingwell.text import clean_text
from livingwell.uk import normalise_uk_phone
from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingModule, TrainingRecord, Volunteer
from volunteers.signals import volunteer_left

# Coordinators are told, and the service refuses, more clients than one person can visit.
MAX_CAPACITY = 12


class VolunteerProfile(TypedDict, total=False):
    """What a coordinator records about a volunteer, in the order the form shows it."""

    address: str
    postcode: str
    skills: list[str]
    languages: str
    background: str
    availability: str
    capacity: int
    status: str
    mdt_opt_in: bool
    own_gp_practice: GPPractice | None
    phone: str  # kept on the person's account


class Preferences(TypedDict, total=False):
    """What volunteers may change about themselves."""

    skills: list[str]
    languages: str
    availability: str
    mdt_opt_in: bool
    phone: str


PROFILE_FIELDS = tuple(name for name in VolunteerProfile.__annotations__ if name != "phone")


def _check_staff_for(by, areas) -> None:
    if not areas or not {area.pk for area in areas} <= staff_area_ids_of(by):
        raise PermissionDenied("You can only manage volunteers in the areas where you work.")


def _check_can_manage(by, volunteer: Volunteer) -> None:
    from volunteers.access import volunteers_visible_to

    if not volunteers_visible_to(by).filter(pk=volunteer.pk).exists():
        raise PermissionDenied("You can only manage volunteers in the areas where you work.")


def _set_profile(volunteer: Volunteer, fields: dict) -> None:
    # Type checkers hold callers to VolunteerProfile; this keeps callers without one honest.
    unknown = set(fields) - set(VolunteerProfile.__annotations__)
    if unknown:
        raise TypeError(f"Unknown volunteer fields: {sorted(unknown)}")
    if fields.get("capacity", 0) > MAX_CAPACITY:
        raise ValidationError(
            {"capacity": f"That is a lot of clients for one volunteer: enter {MAX_CAPACITY} or fewer."}
        )
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
    *,
    by: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    areas: list[Area],
    **profile: Unpack[VolunteerProfile],
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
    *,
    volunteer: Volunteer,
    by: User,
    areas: list[Area] | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    **profile: Unpack[VolunteerProfile],
) -> Volunteer:
    """Change a volunteer's details; None (or leaving a field out) keeps what is there."""
    volunteer = Volunteer.objects.select_for_update().select_related("user").get(pk=volunteer.pk)
    _check_can_manage(by, volunteer)
    was_left = volunteer.status == Volunteer.Status.LEFT
    if first_name is not None:
        volunteer.user.first_name = clean_text(first_name, max_length=150, required=True, what="First name")
    if last_name is not None:
        volunteer.user.last_name = clean_text(last_name, max_length=150, required=True, what="Last name")
    if email is not None:
        volunteer.user.email = email
    _set_profile(volunteer, profile)
    volunteer.user.full_clean()
    volunteer.user.save()
    volunteer.full_clean()
    volunteer.save()
    if areas is not None:
        _sync_areas(volunteer, by, areas)
    if volunteer.status == Volunteer.Status.LEFT and not was_left:
        volunteer_left.send(sender=Volunteer, volunteer=volunteer, by=by)
    return volunteer


def _sync_areas(volunteer: Volunteer, by, areas: list[Area]) -> None:
    """Start and end memberships so the volunteer works in `areas`, touching only the areas
    `by` manages."""
    managed = staff_area_ids_of(by)
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
            accounts_services.area_membership_end(membership=membership, by=by)


@transaction.atomic
def volunteer_update_preferences(
    *, volunteer: Volunteer, by: User, **fields: Unpack[Preferences]
) -> Volunteer:
    """A volunteer's own choices: never required, always theirs to change."""
    if volunteer.user_id != by.pk:
        raise PermissionDenied("Only the volunteer can change their own preferences.")
    unknown = set(fields) - set(Preferences.__annotations__)
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
    *, volunteer: Volunteer, by: User, signed_on: datetime.date, version: str
) -> ConfidentialityAgreement:
    _check_can_manage(by, volunteer)
    version = clean_text(version, max_length=20, required=True, what="Agreement version")
    _not_future(signed_on, "of signing")
    already = ValidationError(f"Version {version} of the agreement is already recorded as signed.")
    if volunteer.agreements.filter(version=version).exists():
        raise already
    try:
        # Two people saving the same signature at once: the unique constraint decides.
        with transaction.atomic():
            return ConfidentialityAgreement.objects.create(
                volunteer=volunteer, signed_on=signed_on, version=version
            )
    except IntegrityError as error:
        raise already from error
