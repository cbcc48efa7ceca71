"""The outbox: every message to a person is a row first, and delivered from there."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def due_for_delivery(self, now=None):
        """Undelivered rows whose next attempt is due, that have tries left and that no
        worker is sending."""
        now = now or timezone.now()
        return self.filter(
            delivered_at__isnull=True,
            next_attempt_at__lte=now,
            attempts__lt=settings.NOTIFICATIONS["MAX_ATTEMPTS"],
        ).not_being_sent(now)

    def not_being_sent(self, now=None):
        """Rows no worker has claimed, or whose claim is older than SENDING_TIMEOUT_SECONDS:
        that worker died (or lost the database for longer than it keeps trying) before it
        could record what happened."""
        now = now or timezone.now()
        stale = now - timedelta(seconds=settings.NOTIFICATIONS["SENDING_TIMEOUT_SECONDS"])
        return self.filter(Q(sending_since__isnull=True) | Q(sending_since__lte=stale))


class Notification(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", "General"
        GOOD_NEWS = "good_news", "Good news"
        URGENT_CONCERN = "urgent_concern", "Urgent concern"
        REMINDER = "reminder", "Reminder"
        MEETING = "meeting", "Meeting"
        STORIES = "stories", "Good news stories"
        MONTHLY_SUMMARY = "monthly_summary", "Monthly summary"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True, help_text="A page on this site, such as /risks/12/.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Delivery: in-app is immediate (the row exists); email goes out from the worker.
    delivered_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sweep may next try to deliver it."
    )
    # Set, and committed, before the email goes; cleared when the outcome is recorded. While
    # set, no other worker sends the email, even if the outcome cannot be saved at once.
    sending_since = models.DateTimeField(
        null=True, blank=True, help_text="When a worker began sending it; empty when none is."
    )
    # One file that goes with the message, in the email and from the inbox (a meeting's .ics).
    attachment_filename = models.CharField(max_length=100, blank=True)
    attachment_content_type = models.CharField(max_length=100, blank=True)
    attachment_content = models.TextField(blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(delivered_at__isnull=True),
                name="notification_undelivered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (to {self.recipient})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def has_attachment(self) -> bool:
        return bool(self.attachment_filename)
