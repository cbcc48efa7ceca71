"""The review page runs the same number of queries for a few rows as for many: nothing on
it is fetched once per row. (The Good news feed's budget is in test_selectors.py.)"""

import pytest
from django.urls import reverse
from django.utils import timezone

from risks.models import Outcome
from stories.models import StoryStatus, SuccessStory
from tests.support.queries import queries_for

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

REVIEW = reverse("stories:review")


def outcomes_of(world, outcome, count: int) -> list[Outcome]:
    """`count` more outcomes recorded in West Cornwall today, on the concern of `outcome`."""
    return Outcome.objects.bulk_create(
        Outcome(
            risk=outcome.risk,
            kind="other",
            staff_summary="s",
            volunteer_message="m",
            recorded_by=world.coordinator,
        )
        for _ in range(count)
    )


def stories_of(world, outcomes, status: str, by) -> None:
    """A story in `status` about each of `outcomes`, written by `by`."""
    now = timezone.now()
    SuccessStory.objects.bulk_create(
        SuccessStory(
            outcome=each,
            area=world.west,
            title=f"Good news {index}",
            body="Something good happened.",
            status=status,
            written_by=by,
            submitted_at=now if status == StoryStatus.SUBMITTED else None,
        )
        for index, each in enumerate(outcomes)
    )


def grow_review(world, outcome, writer, count: int) -> None:
    """`count` stories waiting for approval, `count` drafts and `count` outcomes with no story."""
    stories_of(world, outcomes_of(world, outcome, count), StoryStatus.SUBMITTED, writer)
    stories_of(world, outcomes_of(world, outcome, count), StoryStatus.DRAFT, writer)
    outcomes_of(world, outcome, count)


@pytest.mark.parametrize("actor", ["coordinator", "manager"])
def test_the_review_page_runs_the_same_queries_for_3_and_30_rows_of_each_list(
    world, outcome, second_coordinator, login, actor
):
    browser = login(getattr(world, actor))
    browser.get(REVIEW)  # the session and its caches, once

    grow_review(world, outcome, second_coordinator, 3)
    few = queries_for(lambda: browser.get(REVIEW))
    grow_review(world, outcome, second_coordinator, 27)
    many = queries_for(lambda: browser.get(REVIEW))
    response = browser.get(REVIEW)

    assert len(many) == len(few), "\n".join(many)
    assert len(response.context["to_approve"]) == 30
    if actor == "coordinator":
        assert len(response.context["drafts"]) == 30
        assert len(response.context["outcomes"]) == 30 + 1  # and the outcome of the fixture
