"""The weekly digest of good news (stories.services.stories_send_weekly_digest and the beat
task stories.tasks.send_weekly_digest): each active volunteer of the organisation hears
once a week, however often the task runs, and nobody hears when there is no news."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from livingwell.notifications.models import Notification
from risks.models import Outcome
from stories import services
from stories.models import StoryDigest
from stories.tasks import send_weekly_digest
from tests.factories import VolunteerFactory
from tests.stories.factories import StoryFactory, published
from tests.support.concurrency import at_once
from volunteers.models import Volunteer

WEEK = datetime.timedelta(days=7)


def digests():
    return Notification.objects.filter(kind=Notification.Kind.STORIES)


def told() -> list[str]:
    return sorted(digests().values_list("recipient__username", flat=True))


@pytest.fixture
def news(world, published_story):
    """West Cornwall's published story (about Elsie's outcome), this week."""
    return published_story


def test_each_active_volunteer_of_the_organisation_hears_the_weeks_news_once(world, news):
    assert services.stories_send_weekly_digest() == 2

    assert told() == ["vera", "victor"]  # West's volunteers; not Ewan (another organisation), nor staff
    notification = digests().get(recipient=world.volunteer)
    assert notification.title == "Good news this week: a success story"
    assert "• Warm again for the winter (West Cornwall)" in notification.body
    assert notification.link == "/stories/"
    digest = StoryDigest.objects.get(volunteer=world.volunteer)
    assert (digest.notification, digest.stories) == (notification, 1)
    assert digest.week_starting.weekday() == 0  # a Monday


def test_running_it_twice_in_a_week_sends_once(world, news):
    assert services.stories_send_weekly_digest() == 2
    assert services.stories_send_weekly_digest(now=timezone.now() + datetime.timedelta(minutes=5)) == 0
    assert told() == ["vera", "victor"]


def test_the_next_week_brings_the_next_weeks_news(world, news):
    services.stories_send_weekly_digest()
    next_week = timezone.now() + WEEK
    another = Outcome.objects.create(
        risk=news.outcome.risk,
        kind="other",
        staff_summary="s",
        volunteer_message="m",
        recorded_by=world.coordinator,
    )
    more = StoryFactory(outcome=another, written_by=world.coordinator, title="More news")
    published(more, by=world.manager, at=next_week - datetime.timedelta(days=1))

    assert services.stories_send_weekly_digest(now=next_week) == 2
    assert digests().count() == 4
    latest = digests().filter(recipient=world.volunteer).order_by("-pk").first()
    assert "More news" in latest.body
    assert "Warm again for the winter" not in latest.body  # last week's news was told last week


def test_nothing_is_sent_when_nothing_was_published_in_the_past_week(world, news):
    assert services.stories_send_weekly_digest(now=timezone.now() + WEEK + datetime.timedelta(minutes=1)) == 0
    assert not digests().exists()
    assert not StoryDigest.objects.exists()


def test_nothing_is_sent_for_drafts_or_stories_waiting_for_approval(world, submitted):
    assert services.stories_send_weekly_digest() == 0
    assert not digests().exists()


@pytest.mark.parametrize("change", ["paused", "left", "inactive user", "no longer in the area"])
def test_only_active_volunteers_working_in_the_organisation_hear(world, news, change, today):
    vera = world.volunteer
    if change in ("paused", "left"):
        Volunteer.objects.filter(user=vera).update(status=change)
    elif change == "inactive user":
        type(vera).objects.filter(pk=vera.pk).update(is_active=False)
    else:
        vera.area_memberships.update(started_on=today - WEEK, ended_on=today)

    services.stories_send_weekly_digest()

    assert told() == ["victor"]


def test_a_volunteer_of_two_organisations_hears_once_about_both(world, news, east_story):
    both = VolunteerFactory(user__username="bea", areas=[world.west, world.east]).user

    services.stories_send_weekly_digest()

    [notification] = digests().filter(recipient=both)
    assert notification.title == "Good news this week: 2 success stories"
    assert "Warm again for the winter (West Cornwall)" in notification.body
    assert "East's good news (East Cornwall)" in notification.body
    assert told() == ["bea", "ewan", "vera", "victor"]


def test_the_task_calls_the_service(world, news):
    assert send_weekly_digest.apply().get() == 2
    assert send_weekly_digest.apply().get() == 0
    assert told() == ["vera", "victor"]


def test_beat_runs_it_on_monday_mornings_uk_time():
    entry = settings.CELERY_BEAT_SCHEDULE["stories-weekly-digest"]
    assert entry["task"] == send_weekly_digest.name
    assert entry["schedule"] == crontab(hour=9, minute=0, day_of_week="mon")
    assert settings.CELERY_TIMEZONE == "Europe/London"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_tell_each_volunteer_once(world, news):
    for index in range(8):
        VolunteerFactory(user__username=f"volunteer{index}", areas=[world.west])

    results = at_once(services.stories_send_weekly_digest, services.stories_send_weekly_digest)

    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == 10
    assert digests().count() == 10
    assert StoryDigest.objects.count() == 10
    assert len(set(digests().values_list("recipient", flat=True))) == 10


# --- Through the real broker and worker ---------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_digest_reaches_each_volunteer_once_through_a_real_worker(world, news, start_worker):
    from tests.support.processes import wait_for

    worker = start_worker("worker", concurrency=2)

    # Sent three times, two of them together: as beat and somebody re-running it might.
    send_weekly_digest.delay()
    send_weekly_digest.delay()
    wait_for(lambda: digests().count() >= 2, 30, "the digest to be written")
    send_weekly_digest.delay()
    wait_for(
        lambda: not digests().filter(delivered_at__isnull=True).exists(), 30, "the digest to be delivered"
    )
    wait_for(lambda: worker.log().count("send_weekly_digest") >= 6, 30, "every run to finish")

    assert told() == ["vera", "victor"]
    assert StoryDigest.objects.count() == 2
    # One email each points to the Good news (the others are Vera's good news about her
    # concern, the approval request and the note to the author that it was published).
    emails = worker.email_texts()
    digest_emails = [text for text in emails if f"Sign in to read it: {settings.SITE_URL}/stories/\n" in text]
    assert len(digest_emails) == 2
    assert sum("vera@example.org" in text for text in digest_emails) == 1
    assert sum("victor@example.org" in text for text in digest_emails) == 1
    # The email says there is news; the stories are read in the app.
    assert not any("Warm again for the winter" in text for text in emails)
