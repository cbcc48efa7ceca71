"""One-time submission keys: each create form carries a key, and the record it made is
remembered against it, so that a form sent twice (a double tap, a retry after a timeout,
two tabs) makes one record."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    # The primary key is the guarantee: a second insert of the same key waits for the
    # first transaction and then fails, however close together the two arrive.
    key = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="submission_created_idx")]

    def __str__(self) -> str:
        return f"Submission {self.key}"
