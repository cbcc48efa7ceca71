"""Clients, the volunteers allocated to them over time, and their consent.

No clinical history is stored here: only what a visit and a referral need.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Upper
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from livingwell.accounts.models import Area, GPPractice, Period, PeriodQuerySet
from livingwell.text import MaxLengthInPlainWords, NormalisedTextMixin, normalise_text, validate_visible_text
from livingwell.uk import (
    normalise_uk_phone,
    normalise_uk_postcode,
    tidy,
    validate_uk_phone,
    validate_uk_postcode,
)
from volunteers.models import Skill, Volunteer

# The longest each free-text box may be: enough for what it is for, short enough to read.
ADDRESS_MAX_LENGTH = 500
NEEDS_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 1000

# Spaces and hyphens people type between the groups of digits (943 476 5919, 943-476-5919).
_NHS_SEPARATORS = str.maketrans("", "", "-\u2010\u2011\u2012\u2013\u2212")
_NHS_NUMBER = re.compile(r"[0-9]{10}", re.ASCII)
# The fields the staff search matches without regard to case (`clients.selectors`).
CLIENT_SEARCH_TEXT = ("first_name", "last_name", "preferred_name", "postcode")


def normalise_nhs_number(value: str) -> str:
    """`value` without spaces and hyphens (and invisible characters). Other characters stay,
    for `validate_nhs_number` to refuse."""
    return "".join(normalise_text(value).translate(_NHS_SEPARATORS).split())


def is_nhs_number_shape(value: str) -> bool:
    """Ten digits 0-9 and nothing else. Not `str.isdigit()`: that also accepts "²", and
    Arabic-Indic or full-width digits, which `int()` reads differently or not at all."""
    return bool(_NHS_NUMBER.fullmatch(value))


def validate_nhs_number(value: str) -> None:
    """An NHS number is ten digits, the last a modulus 11 check digit."""
    digits = normalise_nhs_number(value)
    if not is_nhs_number_shape(digits):
        raise ValidationError(
            "An NHS number has 10 digits, such as 943 476 5919. Use the digits 0 to 9 only, "
            "then check it and try again.",
            code="nhs_number_shape",
        )
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        raise ValidationError(
            "This is not a valid NHS number: one of the digits is probably wrong. "
            "Check it against a letter from the GP or hospital, or leave it blank."
        )


class ClientQuerySet(models.QuerySet):
    def in_staff_areas_of(self, user):
        """Clients of the areas where `user` works today as a coordinator or team leader."""
        from livingwell.accounts.selectors import staff_areas_of

        return self.filter(area__in=staff_areas_of(user))

    def allocated_to(self, user):
        """Clients whose visit page `user` may open: granted while an allocation is active."""
        return self.filter(
            Exists(
                ClientUserObjectPermission.objects.filter(
                    user=user,
                    permission__codename="view_client_visit_page",
                    content_object=OuterRef("pk"),
                )
            )
        )

    def visible_to(self, user):
        """Every client `user` may see in any form (list pages use this)."""
        if not user.is_authenticated:
            return self.none()
        return self.in_staff_areas_of(user) | self.allocated_to(user)


class Client(NormalisedTextMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    first_name = models.CharField(max_length=100, validators=[validate_visible_text])
    last_name = models.CharField(max_length=100, validators=[validate_visible_text])
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What they like to be called, if not their first name."
    )
    date_of_birth = models.DateField()
    address = models.TextField(
        max_length=ADDRESS_MAX_LENGTH,
        validators=[validate_visible_text, MaxLengthInPlainWords(ADDRESS_MAX_LENGTH)],
    )
    postcode = models.CharField(max_length=10, validators=[validate_uk_postcode])
    phone = models.CharField(max_length=30, blank=True, validators=[validate_uk_phone])
    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        blank=True,
        validators=[validate_nhs_number],
        help_text="Optional. Ten digits, found on letters from the GP or hospital.",
    )
    gp_practice = models.ForeignKey(
        GPPractice, on_delete=models.PROTECT, related_name="clients", verbose_name="GP practice"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="clients")
    practical_needs = models.TextField(
        blank=True,
        max_length=NEEDS_MAX_LENGTH,
        validators=[MaxLengthInPlainWords(NEEDS_MAX_LENGTH)],
        help_text="What a visitor should know: access to the house, pets, mobility, best times to visit.",
    )
    support_wanted = ArrayField(
        models.CharField(max_length=30, choices=Skill.choices),
        default=list,
        blank=True,
        verbose_name="Help that would suit them",
        help_text="Used to suggest volunteers with matching skills.",
    )
    communication_needs = models.TextField(
        blank=True,
        max_length=NEEDS_MAX_LENGTH,
        validators=[MaxLengthInPlainWords(NEEDS_MAX_LENGTH)],
        help_text="Hearing, sight, language, memory: how best to talk together.",
    )
    next_of_kin_name = models.CharField("Next of kin", max_length=200, blank=True)
    next_of_kin_relationship = models.CharField("Relationship", max_length=100, blank=True)
    next_of_kin_phone = models.CharField(
        "Next of kin's phone", max_length=30, blank=True, validators=[validate_uk_phone]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    closed_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the record was kept past CLIENT_RECORD_RETENTION_YEARS and stripped of everything
    # that identifies the person (livingwell/records/services.py); its figures stay.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("view_client_visit_page", "Can view a client's visit page (practical information only)"),
            ("view_client_mdt_summary", "Can view a client's Multi-Disciplinary Team meeting summary"),
        ]
        indexes = [
            # The staff client list of an area in its order (`clients.selectors.PagedByKeys`): a page's keys
            # read from the index alone, however deep the page, with no sort.
            models.Index(fields=["area", "last_name", "first_name", "id"], name="client_area_order_idx"),
            models.Index(fields=["last_name", "first_name", "date_of_birth"], name="client_duplicate_idx"),
            # The staff client search (`clients_for_staff`): a name, postcode, phone or NHS
            # number, anywhere in the field, without reading every client.
            GinIndex(
                *(OpClass(Upper(name), name="gin_trgm_ops") for name in CLIENT_SEARCH_TEXT),
                OpClass(F("phone"), name="gin_trgm_ops"),
                OpClass(F("nhs_number"), name="gin_trgm_ops"),
                name="client_search_trgm_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closed_reason=""),
                name="closed_client_has_reason",
                violation_error_message="Say why the client's record is closed.",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean_fields(self, exclude=None):
        # Stored in one format whoever saves it; what cannot be tidied is left for the
        # validators to refuse with their message.
        self.postcode = tidy(self.postcode, normalise_uk_postcode)
        self.phone = tidy(self.phone, normalise_uk_phone)
        self.next_of_kin_phone = tidy(self.next_of_kin_phone, normalise_uk_phone)
        self.nhs_number = normalise_nhs_number(self.nhs_number or "")
        super().clean_fields(exclude=exclude)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def called(self) -> str:
        return self.preferred_name or self.first_name

    def support_wanted_labels(self) -> list[str]:
        return [Skill(value).label for value in self.support_wanted if value in Skill.values]


class ClientUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Client, on_delete=models.CASCADE)


class ClientGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Client, on_delete=models.CASCADE)


class AllocationQuerySet(PeriodQuerySet):
    def active(self, on=None):
        """Allocations in effect on a day: the volunteer visits the client then."""
        return self.current(on)


class Allocation(Period):
    """A volunteer visiting a client, from one date to another."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="allocations")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="allocations")
    end_reason = models.CharField(max_length=200, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "volunteer"],
                condition=Q(ended_on__isnull=True),
                name="one_open_allocation_per_pair",
                violation_error_message="This volunteer already visits this client.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} visits {self.client}"

    @property
    def is_active(self) -> bool:
        return self.is_current


class ConsentScope(models.TextChoices):
    SHARE_WITH_MDT = (
        "share_with_mdt",
        "Their summary may be discussed at their GP practice's Multi-Disciplinary Team meeting",
    )
    VOLUNTEER_AT_MDT = "volunteer_at_mdt", "Their volunteer may attend that meeting and speak for them"
    OUTCOME_TO_VOLUNTEER = "outcome_to_volunteer", "Their volunteer may be told what happened about a concern"


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(NormalisedTextMixin, models.Model):
    """One scope of consent, given and perhaps later withdrawn. Never deleted: the history
    is part of the client's record."""

    class HowGiven(models.TextChoices):
        VERBAL = "verbal", "Verbally"
        WRITTEN = "written", "In writing"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(max_length=30, choices=ConsentScope.choices)
    given_on = models.DateField()
    how_given = models.CharField(max_length=10, choices=HowGiven.choices)
    note = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthInPlainWords(NOTE_MAX_LENGTH)]
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthInPlainWords(NOTE_MAX_LENGTH)]
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "scope"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_scope",
                violation_error_message="This consent is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.get_scope_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
