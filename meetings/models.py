"""Meetings where volunteers and professionals meet: the formal monthly meeting, the coffee
morning, and the GP practice's Multi-Disciplinary Team (MDT) meeting; who is invited and
who came; what is on the agenda; the actions agreed; and each practice's local protocol for
volunteers at its MDT meeting."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import Area, GPPractice
from livingwell.text import MaxLengthInPlainWords, NormalisedTextMixin
from risks.models import RiskReport, Service

PLACE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 4000
PROTOCOL_MAX_LENGTH = 10000


class MeetingKind(models.TextChoices):
    FORMAL = "formal", "Formal monthly meeting"
    COFFEE_MORNING = "coffee_morning", "Coffee morning"
    MDT = "mdt", "Multi-Disciplinary Team meeting"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    FINALISED = "finalised", "Minutes finalised"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(status=MeetingStatus.PLANNED, ends_at__gt=now or timezone.now())


class Meeting(NormalisedTextMixin, models.Model):
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    # Every meeting belongs to an area; an MDT meeting also to the GP practice that holds it
    # (its area is the practice's).
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="meetings")
    practice = models.ForeignKey(
        GPPractice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="GP practice",
    )
    starts_at = models.DateTimeField("Starts")
    ends_at = models.DateTimeField("Ends")
    place = models.CharField(
        max_length=PLACE_MAX_LENGTH, help_text="Where, such as the address or a video link."
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_chaired"
    )
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    # The coffee morning's themes, or the meeting's general minutes: never a client's name.
    notes = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthInPlainWords(NOTE_MAX_LENGTH)]
    )
    # An MDT agenda is private to the chair until published; publishing it gives the
    # chair and the clinicians attending the summaries of the clients on it.
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    # Each change of time or place is sent again as a new version of the invitation.
    invitation_sequence = models.PositiveIntegerField(default=0)
    cancelled_reason = models.CharField(max_length=200, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["area", "kind", "status", "starts_at"], name="meeting_next_idx"),
            models.Index(fields=["practice", "starts_at"], name="meeting_practice_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message="A meeting must end after it starts.",
            ),
            models.CheckConstraint(
                condition=(Q(kind=MeetingKind.MDT) & Q(practice__isnull=False))
                | (~Q(kind=MeetingKind.MDT) & Q(practice__isnull=True)),
                name="mdt_meeting_has_a_practice",
                violation_error_message="A Multi-Disciplinary Team meeting belongs to a GP practice.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.day_label}"

    @property
    def day_label(self) -> str:
        """`12 March 2027`, in local time."""
        return timezone.localtime(self.starts_at).strftime("%-d %B %Y")

    @property
    def title(self) -> str:
        """`Formal monthly meeting of 12 March 2027 (West Cornwall)`."""
        where = self.practice.name if self.practice_id else self.area.name
        return f"{self.get_kind_display()} of {self.day_label} ({where})"

    @property
    def in_a_sentence(self) -> str:
        """`the formal monthly meeting of 12 March 2027`, for timelines and messages."""
        kind = self.get_kind_display()
        if self.kind != MeetingKind.MDT:
            kind = kind[:1].lower() + kind[1:]
        return f"the {kind} of {self.day_label}"

    @property
    def is_mdt(self) -> bool:
        return self.kind == MeetingKind.MDT

    @property
    def is_open(self) -> bool:
        """Planned or held: its agenda and attendance can still change."""
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.HELD)

    @property
    def summaries_until(self) -> datetime.datetime:
        return self.ends_at + datetime.timedelta(days=settings.MDT_SUMMARY_ACCESS_DAYS)


class AttendanceRole(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    COORDINATOR = "coordinator", "Coordinator"
    TEAM_LEADER = "team_leader", "Team leader"
    CHAIR = "chair", "Chair"
    CLINICIAN = "clinician", "Clinician"
    GUEST = "guest", "Guest professional"


class AttendanceResponse(models.TextChoices):
    INVITED = "invited", "Invited"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances")
    role = models.CharField("Role at the meeting", max_length=20, choices=AttendanceRole.choices)
    response = models.CharField(
        max_length=20, choices=AttendanceResponse.choices, default=AttendanceResponse.INVITED
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="one_attendance_per_person",
                violation_error_message="This person is already invited.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) at {self.meeting}"


class AgendaItemResult(models.TextChoices):
    PENDING = "", "Not discussed yet"
    TAKEN = "taken", "Taken on"
    REFERRED = "referred", "Referred or passed on"
    CLOSED = "closed", "Closed"
    RAISED = "raised", "Raised at this meeting"
    DISCUSSED = "discussed", "Discussed"


class AgendaItem(NormalisedTextMixin, models.Model):
    """One slot of a meeting: a concern and/or a client. At an MDT meeting, an item may be
    presented by the client's volunteer, once the chair has checked the local protocol."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    risk = models.ForeignKey(
        RiskReport, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    minutes = models.PositiveSmallIntegerField("Minutes for this item", default=10)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    presented_by_volunteer = models.BooleanField(default=False)
    discussion_note = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthInPlainWords(NOTE_MAX_LENGTH)]
    )
    result = models.CharField(max_length=20, choices=AgendaItemResult.choices, blank=True, default="")
    # The chair's confirmation that every condition of the practice's local protocol held
    # when the volunteer was added.
    protocol = models.ForeignKey(
        "LocalProtocol", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    protocol_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    protocol_confirmed_at = models.DateTimeField(null=True, blank=True)
    conflict_reason = models.CharField(
        "Why it is acceptable that the volunteer is a patient here", max_length=300, blank=True
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-presented_by_volunteer", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "risk"],
                condition=Q(risk__isnull=False),
                name="one_agenda_item_per_concern",
                violation_error_message="This concern is already on the agenda.",
            ),
            models.CheckConstraint(
                condition=Q(presented_by_volunteer=False) | Q(presenter__isnull=False),
                name="volunteer_item_has_presenter",
            ),
        ]

    def __str__(self) -> str:
        return f"Item {self.position} of {self.meeting}"


class Action(NormalisedTextMixin, models.Model):
    """Something agreed at a meeting: what, who owns it (a person at the meeting or a
    directory service), by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    what = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
        verbose_name="Key worker",
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField("Due")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, service__isnull=True)
                | Q(owner__isnull=True, service__isnull=False),
                name="action_has_one_owner",
                violation_error_message="Choose who owns the action: a person or a service.",
            )
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def owner_name(self) -> str:
        if self.service_id:
            return self.service.name
        return self.owner.get_full_name() or self.owner.username

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class LocalProtocol(models.Model):
    """A GP practice's rules for volunteers at its MDT meeting. Never changed: a new text
    is a new version, and each volunteer item records the version the chair checked."""

    practice = models.ForeignKey(GPPractice, on_delete=models.CASCADE, related_name="protocols")
    version = models.PositiveIntegerField()
    text = models.TextField(
        max_length=PROTOCOL_MAX_LENGTH, validators=[MaxLengthInPlainWords(PROTOCOL_MAX_LENGTH)]
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["practice", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "version"], name="one_protocol_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.practice} local protocol, version {self.version}"
