"""The demo's success stories (stories.demo), as seed_demo makes them."""

from django.core.management import call_command

from livingwell.accounts.models import User
from stories.models import StoryStatus, SuccessStory
from stories.selectors import good_news_feed


def test_the_demo_has_two_published_stories_that_vera_reads_and_seeding_again_adds_none(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    call_command("seed_demo")

    stories = SuccessStory.objects.select_related("written_by", "approved_by", "area")
    assert stories.count() == 2
    for story in stories:
        assert story.status == StoryStatus.PUBLISHED
        assert (story.written_by.username, story.approved_by.username) == ("cora", "mona")
        assert story.area.name == "West Cornwall"
    assert len(good_news_feed(User.objects.get(username="vera"))) == 2
    # Central Cornwall is of the same organisation; East Cornwall is not.
    assert len(good_news_feed(User.objects.get(username="victor"))) == 2
    assert len(good_news_feed(User.objects.get(username="esme"))) == 0
