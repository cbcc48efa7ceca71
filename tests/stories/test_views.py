"""The story pages as people use them: writing (with a one-time key), the refusal that
names what identifies the client, changing, approving and withdrawing, the feed, the
review page, the link from a concern, the menu and the home page."""

import pytest
from django.urls import reverse

from livingwell.notifications.models import Notification
from stories import services
from stories.models import StoryStatus, SuccessStory
from tests.factories import UserFactory
from tests.stories.factories import CLEAN_BODY, CLEAN_TITLE
from tests.support.forms import once


def new_story_url(outcome) -> str:
    return f"{reverse('stories:new')}?outcome={outcome.pk}"


def words(**changes) -> dict:
    return {"title": CLEAN_TITLE, "body": CLEAN_BODY, "save": "send", **changes}


# --- Writing -----------------------------------------------------------------------------


def test_the_write_page_shows_what_came_of_the_concern(world, outcome, login):
    response = login(world.coordinator).get(new_story_url(outcome))

    assert response.status_code == 200
    assert "Write a success story" in response.text
    assert "Thanks to you, Elsie has grab rails now." in response.text
    assert 'data-counter="1500"' in response.text
    assert 'data-counter="120"' in response.text
    assert "Send for approval" in response.text
    assert "Save as a draft" in response.text


def test_a_story_naming_the_client_is_refused_with_what_to_remove_and_then_sent_once_fixed(
    world, outcome, login
):
    browser = login(world.coordinator)
    data = once(words(body="Mrs Trewin of TR18 4AJ has grab rails now."))

    refused = browser.post(new_story_url(outcome), data)

    assert refused.status_code == 200
    assert (
        "The story contains the client&#x27;s surname, Trewin: remove it before sending it for approval."
        in refused.text
    )
    assert "The story contains the client&#x27;s postcode, TR18 4AJ" in refused.text
    assert "Mrs Trewin of TR18 4AJ" in refused.text  # what was typed is kept, to correct
    assert not SuccessStory.objects.exists()

    # Corrected and sent again with the same key: it is written, once.
    sent = browser.post(new_story_url(outcome), {**data, "body": CLEAN_BODY})
    story = SuccessStory.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("stories:detail", args=[story.pk])
    assert story.status == StoryStatus.SUBMITTED

    again = browser.post(new_story_url(outcome), {**data, "body": CLEAN_BODY}, follow=True)
    assert SuccessStory.objects.count() == 1
    assert "Already sent" in again.text


def test_a_draft_is_saved_without_being_checked(world, outcome, login):
    response = login(world.coordinator).post(
        new_story_url(outcome), once(words(body="Elsie is safer.", save="draft"))
    )

    assert response.status_code == 302
    assert SuccessStory.objects.get().status == StoryStatus.DRAFT


def test_writing_from_an_outcome_that_has_a_story_opens_that_story(world, draft, outcome, login):
    response = login(world.coordinator).get(new_story_url(outcome))
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:detail", args=[draft.pk])


def test_a_coordinator_cannot_write_from_another_areas_outcome(world, east_outcome, login):
    browser = login(world.coordinator)
    assert browser.get(new_story_url(east_outcome)).status_code == 404
    assert browser.post(new_story_url(east_outcome), once(words())).status_code == 404
    assert browser.get(reverse("stories:new")).status_code == 404
    assert not SuccessStory.objects.exists()


# --- Changing, sending, approving, withdrawing ---------------------------------------------


def test_a_draft_is_changed_and_sent_for_approval(world, outcome, login):
    draft = services.story_write(
        by=world.coordinator, outcome=outcome, title=CLEAN_TITLE, body="Elsie is safer."
    )
    browser = login(world.coordinator)

    page = browser.get(reverse("stories:edit", args=[draft.pk]))
    assert "Elsie is safer." in page.text

    refused = browser.post(reverse("stories:edit", args=[draft.pk]), words(body="Elsie is safer."))
    assert "The story contains the client&#x27;s first name, Elsie" in refused.text

    sent = browser.post(reverse("stories:edit", args=[draft.pk]), words(body="She is safer."), follow=True)
    assert "Sent for approval." in sent.text
    draft.refresh_from_db()
    assert (draft.status, draft.body) == (StoryStatus.SUBMITTED, "She is safer.")


def test_a_published_story_cannot_be_opened_for_changes(world, published_story, login):
    response = login(world.coordinator).get(reverse("stories:edit", args=[published_story.pk]), follow=True)
    assert "This story cannot be changed now: it is published." in response.text


def test_a_manager_approves_and_publishes_a_story_waiting_for_approval(world, submitted, login):
    browser = login(world.manager)
    page = browser.get(reverse("stories:detail", args=[submitted.pk]))
    assert "Approve and publish" in page.text

    response = browser.post(reverse("stories:transition", args=[submitted.pk, "publish"]), follow=True)

    assert "Published. It is in the Good news now." in response.text
    submitted.refresh_from_db()
    assert (submitted.status, submitted.approved_by) == (StoryStatus.PUBLISHED, world.manager)


def test_publishing_a_story_that_names_the_client_is_refused_with_what_was_found(world, waiting_with, login):
    story = waiting_with(title=CLEAN_TITLE, body="Nell has grab rails now.")

    response = login(world.manager).post(
        reverse("stories:transition", args=[story.pk, "publish"]), follow=True
    )

    assert (
        "Nothing was changed. The story contains the client&#x27;s preferred name, Nell: "
        "remove it before publishing." in response.text
    )
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_the_author_is_told_somebody_else_approves_it(world, submitted, login):
    page = login(world.coordinator).get(reverse("stories:detail", args=[submitted.pk]))
    assert "Approve and publish" not in page.text
    assert "Waiting for another coordinator of West Cornwall or a manager" in page.text


def test_a_published_story_is_withdrawn_from_the_feed(world, published_story, login):
    browser = login(world.coordinator)
    response = browser.post(reverse("stories:transition", args=[published_story.pk, "withdraw"]), follow=True)
    assert "Withdrawn. It is no longer in the Good news." in response.text
    assert CLEAN_TITLE not in login(world.volunteer).get(reverse("stories:feed")).text


# --- Reading ------------------------------------------------------------------------------


def test_a_volunteer_reads_a_published_story_without_its_history(world, published_story, login):
    page = login(world.volunteer).get(reverse("stories:detail", args=[published_story.pk]))
    assert CLEAN_TITLE in page.text
    assert CLEAN_BODY in page.text
    assert "About this story" not in page.text
    assert "Withdraw" not in page.text


def test_staff_of_the_area_follow_a_story_back_to_its_concern(world, published_story, login):
    page = login(world.team_leader).get(reverse("stories:detail", args=[published_story.pk]))
    assert "About this story" in page.text
    assert reverse("risks:detail", args=[published_story.outcome.risk_id]) in page.text
    assert "Withdraw" not in page.text  # team leaders read stories; coordinators keep them


def test_the_feed_is_paginated(world, outcome, login):
    from tests.stories.test_selectors import publish_many

    publish_many(world, outcome, 12)
    browser = login(world.volunteer)
    first = browser.get(reverse("stories:feed"))
    second = browser.get(reverse("stories:feed") + "?page=2")

    assert "Good news 0" in first.text
    assert "Page 1 of 2" in first.text
    assert "Good news 11" in second.text
    assert "Good news 0" not in second.text


def test_the_feed_says_so_when_there_is_no_news_yet(world, login):
    assert "No stories yet." in login(world.volunteer).get(reverse("stories:feed")).text


def test_the_review_page_lists_what_waits_what_is_drafted_and_what_could_be_shared(
    world, outcome, east_outcome, login, second_coordinator
):
    services.story_write(by=second_coordinator, outcome=outcome, title="Cath's draft", body=CLEAN_BODY)
    page = login(world.coordinator).get(reverse("stories:review"))
    assert "Cath&#x27;s draft" in page.text
    assert "No story is waiting for approval." in page.text

    SuccessStory.objects.all().delete()
    page = login(world.coordinator).get(reverse("stories:review"))
    assert new_story_url(outcome) in page.text
    assert new_story_url(east_outcome) not in page.text


# --- Where people find it -------------------------------------------------------------------


def test_the_concern_page_offers_coordinators_to_write_a_story_from_its_outcome(world, outcome, login):
    risk_page = reverse("risks:detail", args=[outcome.risk_id])
    assert "Write a success story" in login(world.coordinator).get(risk_page).text
    assert new_story_url(outcome).replace("&", "&amp;") in login(world.coordinator).get(risk_page).text
    # Team leaders see the outcome but do not write stories.
    assert "Write a success story" not in login(world.team_leader).get(risk_page).text


@pytest.mark.parametrize(
    ("actor", "shown"),
    [("volunteer", True), ("team_leader", True), ("manager", True), ("mdt_chair", False), ("no_role", False)],
)
def test_good_news_is_in_the_menu_of_those_who_read_it(world, login, actor, shown):
    page = login(getattr(world, actor)).get(reverse("home"))
    assert (f'href="{reverse("stories:feed")}"' in page.text) is shown


def test_the_home_page_tells_an_approver_what_waits_for_them_but_not_the_author(world, submitted, login):
    assert "1</strong> story is waiting for your approval" in login(world.manager).get(reverse("home")).text
    assert "waiting for your approval" not in login(world.coordinator).get(reverse("home")).text


def test_sending_for_approval_tells_another_coordinator_of_the_area(world, outcome, login):
    cath = UserFactory(username="cath", roles=["coordinator"], areas=[world.west])
    login(world.coordinator).post(new_story_url(outcome), once(words()))
    [asked] = Notification.objects.filter(recipient=cath)
    assert asked.link == reverse("stories:detail", args=[SuccessStory.objects.get().pk])
