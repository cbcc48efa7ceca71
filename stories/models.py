"""Success stories: good news told without naming anybody, written by a coordinator from an
outcome recorded on a concern, approved by somebody else, and shared with the volunteers
and staff of the organisation. And the record of the weekly digest that tells volunteers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from livingwell.accounts.models import Area
from livingwell.notifications.models import Notification
from livingwell.text import MaxLengthInPlainWords, NormalisedTextMixin, validate_visible_text
from risks.models import Outcome

# A story is read on a phone, in a minute: a headline and a few short paragraphs.
TITLE_MAX_LENGTH = 120
BODY_MAX_LENGTH = 1500


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for approval"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SuccessStoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=StoryStatus.PUBLISHED)

    def live(self):
        """Stories that are, or may yet be, shared: all but the withdrawn."""
        return self.exclude(status=StoryStatus.WITHDRAWN)


class SuccessStory(NormalisedTextMixin, models.Model):
    """What came of a concern, told so that nobody can tell who the client is."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="stories")
    # The concern's area: who may see the draft, and whose organisation shares the story.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="stories")
    title = models.CharField(
        max_length=TITLE_MAX_LENGTH,
        validators=[validate_visible_text, MaxLengthInPlainWords(TITLE_MAX_LENGTH, what="The title")],
    )
    body = models.TextField(
        "The story",
        max_length=BODY_MAX_LENGTH,
        validators=[validate_visible_text, MaxLengthInPlainWords(BODY_MAX_LENGTH, what="The story")],
    )
    status = models.CharField(max_length=20, choices=StoryStatus.choices, default=StoryStatus.DRAFT)

    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    # Whoever last changed the words: like the author, they cannot approve them.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = SuccessStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-written_at", "-pk"]
        verbose_name = "success story"
        verbose_name_plural = "success stories"
        permissions = [("publish_successstory", "Can approve and publish a success story")]
        indexes = [
            # The feed: an organisation's published stories, newest first.
            models.Index(
                fields=["area", "-published_at"],
                condition=Q(status="published"),
                name="story_feed_idx",
            ),
            models.Index(fields=["area", "status"], name="story_area_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome"],
                condition=~Q(status="withdrawn"),
                name="one_live_story_per_outcome",
                violation_error_message="A story about this outcome has already been written.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(approved_by__isnull=False, published_at__isnull=False),
                name="published_story_was_approved",
                violation_error_message="A story is published only once somebody has approved it.",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("written_by")),
                name="story_approved_by_another",
                violation_error_message="Somebody other than the author must approve a story.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StoryDigest(models.Model):
    """One volunteer's weekly digest of good news: the row is the promise that they hear
    once a week, however often, or however many at once, the task runs."""

    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_starting = models.DateField(help_text="The Monday of the week, in UK time.")
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stories = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_starting", "volunteer"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "week_starting"],
                name="one_story_digest_a_week",
                violation_error_message="This volunteer has had this week's good news already.",
            )
        ]

    def __str__(self) -> str:
        return f"Good news for {self.volunteer}, week of {self.week_starting:%d %b %Y}"
