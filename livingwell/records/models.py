"""The security events log and requests for a copy of what is held about a person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SecurityEvent(models.Model):
    """Something that happened to somebody's access: a sign-in, a wrong password, a lockout,
    a second step, or a copy of somebody's record asked for, decided or taken. Never changed
    after it is written (OWASP ASVS 7.1.3, 7.1.4: enough for a timeline)."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out after repeated failures"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset asked for"
        PASSWORD_SET = "password_set", "New password set (from a reset link, or changed)"
        MFA_ENROLLED = "mfa_enrolled", "Two-step sign-in turned on"
        MFA_FAILED = "mfa_failed", "Wrong two-step code"
        MFA_LOCKED = "mfa_locked", "Two-step codes locked after repeated failures"
        BACKUP_CODE_USED = "backup_code_used", "Backup code used"
        MFA_TURNED_OFF = "mfa_turned_off", "Two-step sign-in turned off"
        EXPORT_REQUESTED = "export_requested", "Copy of a record asked for"
        EXPORT_APPROVED = "export_approved", "Copy of a record approved"
        EXPORT_REFUSED = "export_refused", "Copy of a record refused"
        EXPORT_DOWNLOADED = "export_downloaded", "Copy of a record downloaded"

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What was typed, kept when no account matches it (a failed sign-in may name anybody).
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # The page reads newest first, by kind or by username, a page at a time.
            models.Index(fields=["-at", "-id"], name="security_event_at_idx"),
            models.Index(fields=["kind", "-at", "-id"], name="security_event_kind_idx"),
            models.Index(fields=["username", "-at", "-id"], name="security_event_username_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username or 'unknown'} at {self.at:%Y-%m-%d %H:%M}"


class ExportRequestQuerySet(models.QuerySet):
    def in_areas(self, areas):
        """Requests about clients or volunteers of `areas` (a subquery of area ids)."""
        return self.filter(area__in=areas)


class ExportRequest(models.Model):
    """A request for a copy of everything held about one client or one volunteer (UK GDPR
    article 15). One person asks, a second decides: nobody approves their own request."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The subject's area when asked: who may decide and who sees the request follow it.
    area = models.ForeignKey("accounts.Area", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=State.choices, default=State.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    # The ZIP made on approval, kept in the database (encrypted at rest and backed up with
    # it) rather than on a web server's disk, and emptied once it has expired.
    archive = models.BinaryField(null=True, blank=True, editable=False)
    archive_name = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False, volunteer__isnull=True)
                | Q(client__isnull=True, volunteer__isnull=False),
                name="export_has_one_subject",
                violation_error_message="A copy is of one client or one volunteer.",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("requested_by")),
                name="export_decided_by_another",
                violation_error_message="Somebody else must decide on a request you made.",
            ),
        ]
        indexes = [models.Index(fields=["area", "-requested_at"], name="export_area_idx")]

    def __str__(self) -> str:
        return f"Copy of the record of {self.subject_name}"

    @property
    def subject_name(self) -> str:
        if self.client_id:
            return self.client.full_name
        return self.volunteer.name

    @property
    def subject_kind(self) -> str:
        return "client" if self.client_id else "volunteer"

    def is_downloadable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.APPROVED and self.expires_at is not None and now < self.expires_at
