"""People and places: users, the organisations they work for, areas and GP practices."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from livingwell.accounts.roles import Role


class Route(models.TextChoices):
    """How a risk travels from the volunteer who saw it to the person who acts on it."""

    FORMAL_MEETING = "formal_meeting", "Formal monthly meeting"
    COFFEE_MORNING = "coffee_morning", "Coffee morning"
    TEAM_LEADER_PHONE = "team_leader_phone", "Team leader phone line"
    MDT = "mdt", "GP practice Multi-Disciplinary Team meeting"


def all_routes() -> list[str]:
    return list(Route.values)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CHARITY = "charity", "Charity"
        NHS = "nhs", "NHS body"
        COUNCIL = "council", "Local council"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHARITY)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Everyone who signs in. What they may do comes from their role groups."""

    phone = models.CharField(max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The role names this person holds (one query, cached for the request)."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        names = self.groups.filter(name__in=Role.values).values_list("name", flat=True)
        return frozenset(names)

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @cached_property
    def areas_today(self) -> list[Area]:
        """The areas this person works in today, by name, with their organisations (one
        query, cached for the request: the home page and the queue each need them for more
        than one thing, and a list of ids lets PostgreSQL plan the queries that use them
        without a subquery)."""
        if not self.is_authenticated or not self.is_active:
            return []
        return list(
            Area.objects.filter(pk__in=AreaMembership.objects.current().filter(user=self).values("area"))
            .select_related("organisation")
            .order_by("name")
        )

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]


class Area(models.Model):
    """A patch of the county with its own team, meetings and ways of escalating."""

    name = models.CharField(max_length=100, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="areas")
    default_route = models.CharField(max_length=30, choices=Route.choices, default=Route.FORMAL_MEETING)
    allowed_routes = ArrayField(
        models.CharField(max_length=30, choices=Route.choices),
        default=all_routes,
        help_text="The routes a risk raised in this area may take.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.allowed_routes:
            raise ValidationError({"allowed_routes": "Allow at least one route."})
        unknown = set(self.allowed_routes) - set(Route.values)
        if unknown:
            raise ValidationError({"allowed_routes": f"Unknown routes: {', '.join(sorted(unknown))}."})
        if self.default_route not in self.allowed_routes:
            raise ValidationError(
                {"default_route": "Choose a default route from the routes this area allows."}
            )

    def allows(self, route: str) -> bool:
        return route in self.allowed_routes


class GPPractice(models.Model):
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=10, unique=True, help_text="The practice's NHS organisation code.")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="practices")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    mdt_welcomes_volunteers = models.BooleanField(
        "Multi-Disciplinary Team meeting welcomes volunteers",
        default=False,
        help_text="Volunteers may attend this practice's Multi-Disciplinary Team meeting "
        "to speak for their clients.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "GP practice"

    def __str__(self) -> str:
        return self.name


def in_effect_on(on=None, *, prefix: str = "") -> Q:
    """Rows with `started_on` and `ended_on` that are in effect on a day (today by default):
    started by then, and not ended by then. `prefix` reaches them across a relation
    ("allocations__")."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})
    )


class PeriodQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(in_effect_on(on))


class Period(models.Model):
    """Something in effect from one day until another (or until further notice): a person
    working in an area or at a practice, a volunteer visiting a client."""

    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date cannot be before the start date."})

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.started_on <= today and (self.ended_on is None or self.ended_on > today)


class Membership(Period):
    class Meta:
        abstract = True


class AreaMembership(Membership):
    """A person working in an area: staff see its records by their role; volunteers are
    deployed there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="area_memberships")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["area__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "area"],
                condition=Q(ended_on__isnull=True),
                name="one_open_area_membership",
                violation_error_message="This person already works in this area.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.area}"


class PracticeMembership(Membership):
    """A clinician or Multi-Disciplinary Team meeting chair working at a GP practice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="practice_memberships")
    practice = models.ForeignKey(GPPractice, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["practice__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice"],
                condition=Q(ended_on__isnull=True),
                name="one_open_practice_membership",
                violation_error_message="This person already works at this practice.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.practice}"


class PasswordResetRequest(models.Model):
    """A "forgotten your password?" request, kept a day to limit how many emails one address
    or one email address can ask for (`services.password_reset_allowed`). The email address
    typed is kept only as a keyed digest: it may be anybody's."""

    address = models.GenericIPAddressField(null=True, blank=True)
    email_digest = models.CharField(max_length=64)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Each limit counts the last hour's requests of one address or one email.
            models.Index(fields=["address", "requested_at"], name="reset_by_address_idx"),
            models.Index(fields=["email_digest", "requested_at"], name="reset_by_email_idx"),
            # The day-old ones are deleted by time.
            models.Index(fields=["requested_at"], name="reset_requested_at_idx"),
        ]

    def __str__(self) -> str:
        return f"Password reset requested at {self.requested_at:%Y-%m-%d %H:%M}"


class SecondFactorLock(models.Model):
    """Wrong second-factor codes in a row for one person, and, after
    SECOND_FACTOR_FAILURE_LIMIT of them, until when their codes are refused. Kept per person,
    not per session: signing in again with the password must not give more guesses."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="second_factor_lock"
    )
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Second-factor failures of {self.user}: {self.failures}"
