"""Risks: the categories and their guidance, the reports volunteers make, every event in a
report's life, referrals and outcomes; the services directory; the on-call rota."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import Area, Route


class RiskCategory(models.Model):
    class Group(models.TextChoices):
        HEALTH = "health", "Health"
        SOCIAL = "social", "Social"
        ENVIRONMENTAL = "environmental", "Home and surroundings"

    group = models.CharField(max_length=20, choices=Group.choices)
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    look_for = models.TextField("What to look for")
    do_now = models.TextField("What to do now")
    emergency = models.TextField("When to call 999 or 111")
    who_to_tell = models.TextField("Who to tell")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "position", "name"]
        verbose_name_plural = "risk categories"

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.name}"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


SEVERITY_DESCRIPTIONS = {
    Severity.LOW: "Worth knowing about; nothing needs to happen this week.",
    Severity.MEDIUM: "Something should be done in the next few days.",
    Severity.HIGH: "Something should be done today or tomorrow.",
    Severity.URGENT: "Someone needs to act now. If anyone is in danger, call 999 first.",
}


class Status(models.TextChoices):
    REPORTED = "reported", "Reported"
    TRIAGED = "triaged", "Being looked at"
    ESCALATED = "escalated", "Passed on"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
    CLOSED = "closed", "Closed"


class Service(models.Model):
    """Who to call: a medical or non-medical service volunteers and staff can refer to."""

    class Kind(models.TextChoices):
        GP_PRACTICE = "gp_practice", "GP practice"
        DISTRICT_NURSING = "district_nursing", "District nursing"
        SOCIAL_CARE = "social_care", "Adult social care"
        MENTAL_HEALTH = "mental_health", "Mental health"
        TRANSPORT = "transport", "Transport"
        HOUSING = "housing", "Housing"
        ADAPTATIONS = "adaptations", "Home adaptations and building access"
        BEFRIENDING = "befriending", "Befriending and social groups"
        BENEFITS = "benefits", "Benefits and money advice"
        FIRE_SAFETY = "fire_safety", "Fire service safe-and-well visits"
        CARERS = "carers", "Support for carers"
        SAFEGUARDING = "safeguarding", "Safeguarding"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    is_medical = models.BooleanField("Medical service", default=False)
    helps_with = models.TextField("What they help with")
    contact_person = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    hours = models.CharField("Opening hours", max_length=200, blank=True)
    website = models.URLField(blank=True)
    areas = models.ManyToManyField(Area, related_name="services", help_text="The areas it covers.")
    categories = models.ManyToManyField(
        RiskCategory, related_name="services", blank=True, help_text="The kinds of concern it can help with."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "service"

    def __str__(self) -> str:
        return self.name


class RiskReportQuerySet(models.QuerySet):
    def open(self):
        # Written as `status <> 'closed'`, the predicate of the partial indexes below, so
        # that the planner can use them.
        return self.exclude(status=Status.CLOSED)

    def in_staff_areas_of(self, user):
        from livingwell.accounts.selectors import staff_areas_of

        return self.filter(area__in=staff_areas_of(user))

    def reported_by_volunteer(self, user):
        """Concerns this volunteer raised, or that a team leader recorded on their behalf
        (the team leader who recorded it sees it as staff of the area, not as its reporter)."""
        return self.filter(Q(reported_by=user, on_behalf_of__isnull=True) | Q(on_behalf_of=user))


class RiskReport(models.Model):
    """A concern a volunteer raised about a client, from what they saw to what happened."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="risks")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="risks")
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="risks")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    route = models.CharField(max_length=30, choices=Route.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REPORTED)

    what_was_seen = models.TextField("What you saw")
    observed_at = models.DateTimeField("When you saw it")
    action_taken = models.TextField("What you have already done", blank=True)
    client_wishes = models.TextField("What the client wants", blank=True)

    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_reported"
    )
    # A team leader taking a phone call records the concern for the volunteer who rang.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="risks_owned"
    )

    # When it arrived. A report kept on a phone with no signal arrives later than it was
    # written; `written_at` keeps the phone's time of writing, and targets run from arrival.
    reported_at = models.DateTimeField(default=timezone.now)
    written_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the volunteer wrote it on their phone, if it was sent later.",
    )
    due_at = models.DateTimeField(help_text="When it should have been acted on, from its severity.")
    triaged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    close_reason = models.CharField(max_length=200, blank=True)
    # Routed to the formal meeting, but the next one is after its target time (or none is
    # planned): the on-call team leader was told then that it cannot wait.
    too_late_for_meeting_at = models.DateTimeField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    # The triage queue's first sort key: 0 for urgent concerns, 1 for the rest. Computed by
    # the database from `severity` (so every writer, SQL included, keeps it in step) and
    # stored, so that an index can hold the queue in its own order.
    queue_band = models.GeneratedField(
        expression=Case(When(severity=Severity.URGENT, then=Value(0)), default=Value(1)),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    objects = RiskReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["area", "status", "due_at"], name="risk_queue_idx"),
            # The triage queue of one area, in its order (urgent first, then by target time):
            # a page is the next 25 entries of this index, however deep. With the columns the
            # queue filters on in it, the counts of the queue's filters and of a coordinator's
            # home page read only the index.
            models.Index(
                fields=["area", "queue_band", "due_at", "id"],
                include=["status", "severity", "route", "category"],
                condition=~Q(status=Status.CLOSED),
                name="risk_open_queue_idx",
            ),
            models.Index(fields=["reported_by", "-reported_at"], name="risk_reporter_idx"),
            models.Index(fields=["status", "due_at"], name="risk_overdue_idx"),
            # The reports' figures: an area's concerns reported in a period.
            models.Index(fields=["area", "reported_at"], name="risk_area_reported_idx"),
            # The reports' "overdue now": each area's and route's waiting concerns past their
            # due time, counted from the index alone (reports/selectors.py::count_overdue_now).
            models.Index(
                fields=["area", "route", "due_at"],
                condition=Q(status__in=[Status.REPORTED, Status.TRIAGED]),
                name="risk_waiting_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.name} concern about {self.client} ({self.get_severity_display().lower()})"

    @property
    def volunteer(self):
        return self.on_behalf_of or self.reported_by

    @property
    def is_overdue(self) -> bool:
        return self.status in {Status.REPORTED, Status.TRIAGED} and self.due_at < timezone.now()


def target_for(severity: str) -> datetime.timedelta:
    return datetime.timedelta(hours=settings.RISK_TARGET_HOURS[severity])


class RiskEvent(models.Model):
    """One step in a risk's life: who, when, from which status to which, and why."""

    risk = models.ForeignKey(RiskReport, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or 'New'} → {self.get_to_status_display()}"


class Referral(models.Model):
    """Where a risk was passed on: a directory service, or a named key worker."""

    risk = models.ForeignKey(RiskReport, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    key_worker = models.CharField(max_length=200, blank=True, help_text="The person who took responsibility.")
    reference = models.CharField(max_length=100, blank=True)
    expected_response_on = models.DateField(null=True, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | ~Q(key_worker=""),
                name="referral_has_a_target",
                violation_error_message="Choose a service or name a key worker.",
            )
        ]

    def __str__(self) -> str:
        return f"Referred to {self.target}"

    @property
    def target(self) -> str:
        return self.service.name if self.service_id else self.key_worker


class OutcomeKind(models.TextChoices):
    """What kind of difference a concern made, for the programme's reports."""

    SUPPORT_ARRANGED = "support_arranged", "Support or care arranged"
    HEALTH_CHECKED = "health_checked", "Seen by a nurse, doctor or other clinician"
    HOME_MADE_SAFER = "home_made_safer", "Home made safer (equipment, adaptations, repairs)"
    CONNECTED = "connected", "Connected with people or groups"
    MONEY_OR_BENEFITS = "money_or_benefits", "Help with money or benefits"
    ADVICE_GIVEN = "advice_given", "Advice or information given"
    CLIENT_DECLINED = "client_declined", "Help offered and declined"
    NO_FURTHER_ACTION = "no_further_action", "Looked into: nothing more needed"
    OTHER = "other", "Something else"


class Outcome(models.Model):
    """What came of a risk: a summary for staff and a message for the volunteer."""

    Kind = OutcomeKind

    risk = models.ForeignKey(RiskReport, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField("What kind of outcome", max_length=30, choices=OutcomeKind.choices)
    # Whether the client's consent let the volunteer be told what happened, or only thanked.
    volunteer_told_detail = models.BooleanField(default=False)
    staff_summary = models.TextField()
    volunteer_message = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            # The reports' outcome counts and the stories' outcomes to share: those recorded
            # in a period.
            models.Index(fields=["recorded_at"], name="outcome_recorded_idx"),
        ]

    def __str__(self) -> str:
        return f"Outcome of {self.risk}"


class OnCallShiftQuerySet(models.QuerySet):
    def at(self, moment=None):
        moment = moment or timezone.now()
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)


class OnCallShift(models.Model):
    """A team leader on call for an area's phone line, with a back-up."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="on_call_shifts")
    team_leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Back-up",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    objects = OnCallShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_it_starts",
                violation_error_message="A shift must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_leader} on call for {self.area}"
