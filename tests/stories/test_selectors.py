"""The Good news feed and the lists behind the review page (stories.selectors)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.roles import Role
from risks.models import Outcome
from stories import selectors
from stories.models import StoryStatus, SuccessStory
from tests.factories import AreaFactory, ClientFactory, GPPracticeFactory, UserFactory, VolunteerFactory
from tests.risks.factories import RiskReportFactory
from tests.stories.factories import StoryFactory, outcome_for, published
from tests.support.queries import queries_for


def published_in(world, outcome, title, *, days_ago=0, by=None):
    story = StoryFactory(outcome=outcome, written_by=outcome.recorded_by, title=title)
    return published(story, by=by or world.manager, at=timezone.now() - datetime.timedelta(days=days_ago))


@pytest.fixture
def central(world):
    """Central Cornwall: another area of West Cornwall's organisation, with its own
    coordinator and volunteer, and an outcome recorded there."""
    area = AreaFactory(name="Central Cornwall", organisation=world.west.organisation)
    coordinator = UserFactory(username="colin", roles=[Role.COORDINATOR], areas=[area])
    volunteer = VolunteerFactory(user__username="val", areas=[area]).user
    client = ClientFactory(gp_practice=GPPracticeFactory(area=area))
    risk = RiskReportFactory(client=client, reported_by=volunteer, category=world.falls)
    return area, coordinator, volunteer, outcome_for(risk, coordinator)


def test_the_feed_is_the_published_stories_of_the_persons_organisations_newest_first(
    world, outcome, east_story, central
):
    _, _, central_volunteer, central_outcome = central
    older = published_in(world, outcome, "Older", days_ago=3)
    newer = published_in(world, central_outcome, "Newer", days_ago=1)
    StoryFactory(
        outcome=Outcome.objects.create(
            risk=outcome.risk,
            kind="other",
            staff_summary="s",
            volunteer_message="m",
            recorded_by=world.coordinator,
        ),
        written_by=world.coordinator,
        status=StoryStatus.SUBMITTED,
        title="Waiting",
    )

    for person in (
        world.volunteer,
        world.other_volunteer,
        world.coordinator,
        world.team_leader,
        world.manager,
    ):
        assert list(selectors.good_news_feed(person)) == [newer, older], person
    # A volunteer of Central Cornwall reads West's stories: one organisation.
    assert list(selectors.good_news_feed(central_volunteer)) == [newer, older]
    # East Cornwall is another organisation.
    assert list(selectors.good_news_feed(world.other_coordinator)) == [east_story]
    assert list(selectors.good_news_feed(world.east_volunteer)) == [east_story]


@pytest.mark.parametrize("actor", ["mdt_chair", "clinician", "no_role"])
def test_people_outside_the_visits_have_no_feed(world, published_story, actor):
    assert list(selectors.good_news_feed(getattr(world, actor))) == []


def test_a_withdrawn_story_leaves_the_feed(world, published_story):
    from stories import services

    services.story_withdraw(story=published_story, by=world.coordinator)
    assert list(selectors.good_news_feed(world.volunteer)) == []


def test_a_manager_reads_the_feed_of_the_organisation_they_work_for(world, published_story, east_story):
    head_office = UserFactory(roles=[Role.MANAGER], organisation=world.west.organisation)
    assert list(selectors.good_news_feed(head_office)) == [published_story]
    # A volunteer's own organisation does not count: only where they visit.
    volunteer_elsewhere = VolunteerFactory(
        user__organisation=world.west.organisation, areas=[world.east]
    ).user
    assert list(selectors.good_news_feed(volunteer_elsewhere)) == [east_story]


def test_stories_to_approve_are_those_waiting_in_the_persons_areas_or_organisations(
    world, submitted, east_outcome, second_coordinator
):
    StoryFactory(outcome=east_outcome, written_by=world.other_coordinator, status=StoryStatus.SUBMITTED)

    assert [(story, story.is_mine) for story in selectors.stories_to_approve(world.coordinator)] == [
        (submitted, True)
    ]
    assert [(story, story.is_mine) for story in selectors.stories_to_approve(second_coordinator)] == [
        (submitted, False)
    ]
    assert list(selectors.stories_to_approve(world.manager)) == [submitted]
    assert list(selectors.stories_to_approve(world.team_leader)) == []
    assert list(selectors.stories_to_approve(world.volunteer)) == []


def test_outcomes_to_share_are_recent_outcomes_of_the_area_without_a_live_story(world, outcome, east_outcome):
    assert list(selectors.outcomes_to_share(world.coordinator)) == [outcome]
    assert list(selectors.outcomes_to_share(world.team_leader)) == []

    story = StoryFactory(outcome=outcome, written_by=world.coordinator)
    assert list(selectors.outcomes_to_share(world.coordinator)) == []

    SuccessStory.objects.filter(pk=story.pk).update(status=StoryStatus.WITHDRAWN)
    assert list(selectors.outcomes_to_share(world.coordinator)) == [outcome]

    Outcome.objects.filter(pk=outcome.pk).update(recorded_at=timezone.now() - datetime.timedelta(days=91))
    assert list(selectors.outcomes_to_share(world.coordinator)) == []


# --- The feed's cost does not grow with the stories it shows ---------------------------


def publish_many(world, outcome, count: int) -> None:
    """`count` published stories of West Cornwall, each from an outcome of its own."""
    outcomes = Outcome.objects.bulk_create(
        Outcome(
            risk=outcome.risk,
            kind="other",
            staff_summary="s",
            volunteer_message="m",
            recorded_by=world.coordinator,
        )
        for _ in range(count)
    )
    now = timezone.now()
    SuccessStory.objects.bulk_create(
        SuccessStory(
            outcome=each,
            area=world.west,
            title=f"Good news {index}",
            body="Something good happened.",
            status=StoryStatus.PUBLISHED,
            written_by=world.coordinator,
            approved_by=world.manager,
            submitted_at=now,
            published_at=now - datetime.timedelta(minutes=index),
        )
        for index, each in enumerate(outcomes)
    )


@pytest.mark.parametrize("actor", ["volunteer", "coordinator", "manager"])
def test_the_feed_page_makes_as_many_queries_for_30_stories_as_for_3(world, outcome, login, actor):
    browser = login(getattr(world, actor))
    publish_many(world, outcome, 3)
    browser.get(reverse("stories:feed"))  # the session and its caches, once
    few = queries_for(lambda: browser.get(reverse("stories:feed")))

    publish_many(world, outcome, 27)
    many = queries_for(lambda: browser.get(reverse("stories:feed")))
    response = browser.get(reverse("stories:feed"))

    assert len(many) == len(few), "\n".join(many)
    assert response.context["page_obj"].paginator.count == 30
    assert len(response.context["page_obj"].object_list) == 10
