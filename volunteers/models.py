"""Volunteers: profile, skills, checks, training, agreements and preferences."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from livingwell.accounts.models import GPPractice
from livingwell.text import MaxLengthInPlainWords, NormalisedTextMixin
from livingwell.uk import normalise_uk_postcode, tidy, validate_uk_postcode

ADDRESS_MAX_LENGTH = 500
BACKGROUND_MAX_LENGTH = 1000


class Skill(models.TextChoices):
    FORMER_NURSE = "former_nurse", "Former nurse or health worker"
    CARER = "carer", "Carer (paid or family)"
    DRIVER = "driver", "Driver with own car"
    BEFRIENDER = "befriender", "Befriender"
    DEMENTIA_FRIEND = "dementia_friend", "Dementia Friend"
    FIRST_AID = "first_aid", "First aid trained"
    DIY = "diy", "Practical jobs around the home"
    DIGITAL = "digital", "Helping with phones and computers"
    BENEFITS = "benefits", "Benefits and forms"
    BEREAVEMENT = "bereavement", "Bereavement support"


class VolunteerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Volunteer.Status.ACTIVE)

    def in_areas(self, areas):
        """Volunteers working today in any of `areas` (a queryset or list of areas)."""
        from livingwell.accounts.models import AreaMembership

        # EXISTS rather than a join and DISTINCT: no duplicates to remove, so the list's
        # per-row counts are computed for the rows shown only.
        return self.filter(
            Exists(AreaMembership.objects.current().filter(user=OuterRef("user"), area__in=areas))
        )


class Volunteer(NormalisedTextMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        LEFT = "left", "Left"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer")
    address = models.TextField(
        blank=True, max_length=ADDRESS_MAX_LENGTH, validators=[MaxLengthInPlainWords(ADDRESS_MAX_LENGTH)]
    )
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_uk_postcode])
    skills = ArrayField(models.CharField(max_length=30, choices=Skill.choices), default=list, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text="Languages spoken besides English, such as Cornish or Polish."
    )
    background = models.TextField(
        blank=True,
        max_length=BACKGROUND_MAX_LENGTH,
        validators=[MaxLengthInPlainWords(BACKGROUND_MAX_LENGTH)],
        help_text="Anything else about experience or interests.",
    )
    availability = models.CharField(
        max_length=200, blank=True, help_text="When they can visit, such as weekday mornings."
    )
    capacity = models.PositiveSmallIntegerField(
        default=2, help_text="How many clients they can visit regularly."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    mdt_opt_in = models.BooleanField(
        "Willing to attend Multi-Disciplinary Team meetings",
        default=False,
        help_text="Never required. A volunteer may speak for their client at the GP practice's "
        "meeting, if the client agrees.",
    )
    mdt_opt_in_changed_at = models.DateTimeField(null=True, blank=True)
    own_gp_practice = models.ForeignKey(
        GPPractice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_volunteers",
        verbose_name="Their own GP practice",
        help_text="So that a conflict of interest can be flagged at that practice's meetings.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return str(self.user)

    def clean_fields(self, exclude=None):
        self.postcode = tidy(self.postcode, normalise_uk_postcode)
        super().clean_fields(exclude=exclude)

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username

    def skill_labels(self) -> list[str]:
        return [Skill(skill).label for skill in self.skills if skill in Skill.values]


class DBSCheck(models.Model):
    """A Disclosure and Barring Service check."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="dbs_checks")
    checked_on = models.DateField()
    reference = models.CharField(max_length=40)
    renewal_due_on = models.DateField()

    class Meta:
        ordering = ["-checked_on"]
        verbose_name = "DBS check"

    def __str__(self) -> str:
        return f"DBS check {self.reference} ({self.checked_on:%d %b %Y})"


class TrainingModule(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(
        blank=True,
        max_length=BACKGROUND_MAX_LENGTH,
        validators=[MaxLengthInPlainWords(BACKGROUND_MAX_LENGTH)],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="training")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"{self.module} ({self.completed_on:%d %b %Y})"


class ConfidentialityAgreement(models.Model):
    """The NHS confidentiality agreement a volunteer signs before joining clinical meetings."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="agreements")
    signed_on = models.DateField()
    version = models.CharField(max_length=20)

    class Meta:
        ordering = ["-signed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "version"], name="one_signature_per_agreement_version"
            )
        ]

    def __str__(self) -> str:
        return f"Confidentiality agreement {self.version} ({self.signed_on:%d %b %Y})"
