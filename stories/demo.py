"""Demo success stories: two published stories, told without names, from the outcomes of
the demo's West Cornwall concerns. Written by cora and approved by mona through the
services, so they pass the same checks as real ones. Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.notifications.models import Notification
from risks.models import Outcome
from stories import services
from stories.models import SuccessStory

# category of the demo concern, title, the story, days since it was published
STORIES = [
    (
        "falls-mobility",
        "Safe in her own kitchen again",
        "A volunteer noticed that the lady she visits had fallen at home and lain on the floor until morning, and was frightened it would happen again. She told us the same day.\n\n"
        "Within a week the falls team had visited. There are now grab rails in the kitchen, she wears a pendant alarm, and she has joined a strength and balance class. She says she feels steadier on her feet and much less afraid.",
        6,
    ),
    (
        "loneliness-isolation",
        "A weekly call that made his week",
        "An older man told his volunteer he had not spoken to anybody since her last visit: his son had moved away and his lunch club had closed.\n\n"
        "Our befriending service now rings him every week, and he goes to a lunch club on Thursdays. He says it has made his week. It started with a volunteer who listened and told us.",
        2,
    ),
]


def seed() -> dict[str, int]:
    cora = User.objects.filter(username="cora").first()
    mona = User.objects.filter(username="mona").first()
    if cora is None or mona is None:
        return {"stories": SuccessStory.objects.count()}
    now = timezone.now()
    for slug, title, body, days_ago in STORIES:
        if SuccessStory.objects.filter(title=title).exists():
            continue  # told already (later demo data may have older outcomes of its kind)
        outcome = (
            Outcome.objects.filter(risk__category__slug=slug, risk__area__name="West Cornwall")
            .order_by("recorded_at", "pk")
            .first()
        )
        if outcome is None or SuccessStory.objects.filter(outcome=outcome).exists():
            continue
        story = services.story_write(by=cora, outcome=outcome, title=title, body=body, send_for_approval=True)
        story = services.story_publish(story=story, by=mona)
        published_at = now - datetime.timedelta(days=days_ago)
        SuccessStory.objects.filter(pk=story.pk).update(
            written_at=published_at - datetime.timedelta(days=1),
            submitted_at=published_at - datetime.timedelta(hours=20),
            published_at=published_at,
        )
    # The demo's messages are part of its story, not deliveries: mark them sent, so none is emailed.
    Notification.objects.filter(delivered_at__isnull=True).update(delivered_at=now)
    return {"stories": SuccessStory.objects.count()}
