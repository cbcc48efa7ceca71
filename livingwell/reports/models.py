"""Trials of a model of coproduction with their feedback cards, the record of every export
taken from the reports, and of the monthly summaries sent to managers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from livingwell.accounts.models import Area, GPPractice, Organisation
from livingwell.notifications.models import Notification
from livingwell.reports.periods import ReportPeriod

OPPORTUNITIES_QUESTION = "What opportunities for coproduction does this approach create?"
LIMITATIONS_QUESTION = "What limitations does this approach have?"
CARD_ANSWER_MAX_LENGTH = 2000


class TrialModel(models.TextChoices):
    """The ways of working together that the programme tries before scaling them up."""

    VOLUNTEERS_AT_MDT = "volunteers_at_mdt", "Volunteers at Multi-Disciplinary Team meetings"
    CLINICIANS_AT_VOLUNTEER_MEETINGS = (
        "clinicians_at_volunteer_meetings",
        "Clinicians at volunteer meetings",
    )
    COFFEE_MORNING = "coffee_morning", "Coffee mornings"
    FORMAL_MEETING = "formal_meeting", "Formal monthly meetings"
    PHONE_LINE = "phone_line", "Team leader phone line"


class TrialStatus(models.TextChoices):
    """Where a trial is, from its dates and its decision (worked out, not stored)."""

    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    AWAITING_DECISION = "awaiting_decision", "Ended, waiting for the decision"
    DECIDED = "decided", "Decided"


class TrialDecision(models.TextChoices):
    ADOPT = "adopt", "Adopt it"
    EXTEND = "extend", "Extend the trial"
    STOP = "stop", "Stop it"


class Trial(models.Model):
    """A model of coproduction tried in an area or at a GP practice for a period, compared
    with a baseline period of the same length just before it."""

    title = models.CharField(max_length=200)
    model = models.CharField("Model of coproduction", max_length=40, choices=TrialModel.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="trials")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="trials")
    practice = models.ForeignKey(
        GPPractice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trials",
        verbose_name="GP practice",
    )
    starts_on = models.DateField("First day")
    ends_on = models.DateField("Last day")
    description = models.TextField("What is being tried", blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    decision = models.CharField(max_length=10, choices=TrialDecision.choices, blank=True)
    decision_reason = models.TextField("Why", blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False, practice__isnull=True)
                | Q(area__isnull=True, practice__isnull=False),
                name="trial_in_an_area_or_at_a_practice",
                violation_error_message="Choose an area or a GP practice (one, not both).",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="trial_ends_after_it_starts",
                violation_error_message="The last day cannot be before the first day.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> Area | GPPractice:
        return self.practice if self.practice_id else self.area

    @property
    def length(self) -> datetime.timedelta:
        """Whole days, both ends included."""
        return self.ends_on - self.starts_on + datetime.timedelta(days=1)

    @property
    def baseline_starts_on(self) -> datetime.date:
        return self.starts_on - self.length

    @property
    def baseline_ends_on(self) -> datetime.date:
        return self.starts_on - datetime.timedelta(days=1)

    @property
    def period(self) -> ReportPeriod:
        return ReportPeriod(self.starts_on, self.ends_on)

    @property
    def baseline(self) -> ReportPeriod:
        return ReportPeriod(self.baseline_starts_on, self.baseline_ends_on)

    def has_started(self, today: datetime.date | None = None) -> bool:
        return self.starts_on <= (today or timezone.localdate())

    def has_ended(self, today: datetime.date | None = None) -> bool:
        return self.ends_on < (today or timezone.localdate())

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    def status_on(self, today: datetime.date | None = None) -> TrialStatus:
        today = today or timezone.localdate()
        if self.is_decided:
            return TrialStatus.DECIDED
        if not self.has_started(today):
            return TrialStatus.PLANNED
        if not self.has_ended(today):
            return TrialStatus.RUNNING
        return TrialStatus.AWAITING_DECISION

    @property
    def status(self) -> TrialStatus:
        return self.status_on()


class CardWriterRole(models.TextChoices):
    """Who wrote a feedback card, which is all a card says about its writer."""

    BOARD_MEMBER = "board_member", "Board member"
    MANAGER = "manager", "Manager"
    COORDINATOR = "coordinator", "Coordinator"
    TEAM_LEADER = "team_leader", "Team leader"
    VOLUNTEER = "volunteer", "Volunteer"
    CLINICIAN = "clinician", "Clinician"
    MDT_CHAIR = "mdt_chair", "Multi-Disciplinary Team meeting chair"


class FeedbackCard(models.Model):
    """One person's answers to the trial's two questions. Cards are shown with the writer's
    role only; `entered_by` is kept for the audit trail and never shown beside a card."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="cards")
    writer_role = models.CharField("Written by a", max_length=20, choices=CardWriterRole.choices)
    opportunities = models.TextField(OPPORTUNITIES_QUESTION, max_length=CARD_ANSWER_MAX_LENGTH)
    limitations = models.TextField(LIMITATIONS_QUESTION, max_length=CARD_ANSWER_MAX_LENGTH)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["writer_role", "written_at", "pk"]
        constraints = [
            # A manager may type up several board members' paper cards; anyone else writes one.
            models.UniqueConstraint(
                fields=["trial", "entered_by"],
                condition=~Q(writer_role="board_member"),
                name="one_card_per_person_per_trial",
                violation_error_message="You have already written a card for this trial.",
            )
        ]

    def __str__(self) -> str:
        return f"Card from a {self.get_writer_role_display().lower()}"


class ReportExport(models.Model):
    """Who took which export of the reports, with which filters, and when."""

    class Kind(models.TextChoices):
        DASHBOARD_CSV = "dashboard_csv", "Dashboard (CSV)"
        DASHBOARD_XLSX = "dashboard_xlsx", "Dashboard (Excel)"
        EXTRACT_CSV = "extract_csv", "De-identified concerns, one row each (CSV)"
        TRIAL_XLSX = "trial_xlsx", "Trial report (Excel)"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(default=timezone.now)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    trial = models.ForeignKey(Trial, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} taken by {self.taken_by} at {self.taken_at:%Y-%m-%d %H:%M}"


class MonthlySummary(models.Model):
    """One manager's summary of one month's figures: the row is the promise that they hear
    once a month, however often, or however many at once, the task runs."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month the figures are for.")
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "manager"]
        verbose_name_plural = "monthly summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "month"],
                name="one_monthly_summary_a_month",
                violation_error_message="This manager has had this month's summary already.",
            )
        ]

    def __str__(self) -> str:
        return f"Summary of {self.month:%B %Y} for {self.manager}"
