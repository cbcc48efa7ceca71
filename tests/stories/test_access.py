"""Who may open which story page: the getters (stories.access) and the authorisation table
for every view in stories/urls.py.

Each column is one person of the cast (tests/conftest.py): West Cornwall's volunteers
(Vera; Victor, the same role), its coordinator Cora (who wrote the stories) and team leader
Tom; East Cornwall's coordinator and team leader (another organisation); the outsiders (a
meeting chair and a clinician of Elsie's practice, somebody with no role); and Mona, a
manager working in West Cornwall, and so of its organisation."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from livingwell.accounts.models import AreaMembership
from livingwell.notifications.models import Notification
from stories.access import get_outcome_for_story, get_story_for, get_story_for_edit
from stories.models import StoryDigest, StoryStatus, SuccessStory
from tests.risks.factories import RiskReportFactory
from tests.stories.factories import CLEAN_BODY, CLEAN_TITLE, StoryFactory, outcome_for, published
from tests.support.access_table import ACTORS, LOGIN, assert_answer, cases
from tests.support.forms import once


def person(world, actor):
    return None if actor == "anonymous" else getattr(world, actor)


def west_outcome(world):
    """A new outcome in West Cornwall: another concern of Vera's about Elsie, resolved by Cora."""
    risk = RiskReportFactory(client=world.elsie, reported_by=world.volunteer, category=world.falls)
    return outcome_for(risk, world.coordinator)


@pytest.fixture
def objects(world):
    """A West outcome with no story yet, and West stories in each state, all by Cora."""

    def story(status):
        return StoryFactory(outcome=west_outcome(world), written_by=world.coordinator, status=status)

    return SimpleNamespace(
        outcome=west_outcome(world),
        draft=story(StoryStatus.DRAFT),
        waiting=story(StoryStatus.SUBMITTED),
        published=published(story(StoryStatus.SUBMITTED), by=world.manager),
        withdrawn=story(StoryStatus.WITHDRAWN),
    )


# --- The getters ---------------------------------------------------------------------------

STATES = ("draft", "waiting", "published", "withdrawn")
# Who reads a story in each state (the getter; the views add the role check).
READERS = {
    "draft": {"coordinator", "team_leader"},
    "waiting": {"coordinator", "team_leader", "manager"},
    "published": {"volunteer", "other_volunteer", "coordinator", "team_leader", "manager"},
    "withdrawn": {"coordinator", "team_leader", "manager"},
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS[1:])
def test_a_story_is_read_by_those_its_state_allows(world, objects, state, actor):
    story = getattr(objects, state)
    if actor in READERS[state]:
        assert get_story_for(getattr(world, actor), story.pk) == story
    else:
        with pytest.raises(Http404):
            get_story_for(getattr(world, actor), story.pk)


def test_an_anonymous_visitor_reads_no_story(world, objects):
    for state in STATES:
        with pytest.raises(Http404):
            get_story_for(AnonymousUser(), getattr(objects, state).pk)


def test_a_story_that_does_not_exist_and_one_of_another_organisation_answer_alike(world, objects):
    for pk in (objects.published.pk, objects.published.pk + 1000):
        with pytest.raises(Http404):
            get_story_for(world.other_coordinator, pk)


def test_a_manager_reads_their_organisations_stories_without_working_in_an_area(world, objects, make_person):
    head_office = make_person("manager", organisation=world.west.organisation)
    assert get_story_for(head_office, objects.published.pk) == objects.published
    assert get_story_for(head_office, objects.waiting.pk) == objects.waiting
    with pytest.raises(Http404):
        get_story_for(head_office, objects.draft.pk)


def test_a_volunteer_who_has_left_the_area_no_longer_reads_its_stories(world, objects, today):
    AreaMembership.objects.filter(user=world.volunteer).update(
        started_on=today.replace(year=2020), ended_on=today
    )
    with pytest.raises(Http404):
        get_story_for(world.volunteer, objects.published.pk)


def test_only_coordinators_of_the_area_get_a_story_to_change_or_an_outcome_to_write_from(world, objects):
    assert get_story_for_edit(world.coordinator, objects.draft.pk) == objects.draft
    assert get_outcome_for_story(world.coordinator, objects.outcome.pk) == objects.outcome
    for actor in ("other_coordinator", "team_leader", "manager", "volunteer"):
        with pytest.raises(Http404):
            get_story_for_edit(getattr(world, actor), objects.draft.pk)
        with pytest.raises(Http404):
            get_outcome_for_story(getattr(world, actor), objects.outcome.pk)


@pytest.mark.parametrize("given", [None, "", "twelve", "12abc"])
def test_an_outcome_id_that_is_not_a_number_is_not_found(world, given):
    with pytest.raises(Http404):
        get_outcome_for_story(world.coordinator, given)



@pytest.mark.parametrize("spelled", ["arabic-indic", "fullwidth", "padded", "plus"])
def test_an_outcome_id_in_other_digits_is_not_found_even_when_it_would_read_as_a_real_one(
    world, objects, spelled
):
    digits = str(objects.outcome.pk)
    given = {
        "arabic-indic": digits.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        "fullwidth": "".join(chr(0xFF10 + int(digit)) for digit in digits),
        "padded": f" {digits} ",
        "plus": f"+{digits}",
    }[spelled]
    with pytest.raises(Http404):
        get_outcome_for_story(world.coordinator, given)


@pytest.mark.parametrize("given", ["9" * 40, "-1", "1e3", "1\x00"])
def test_an_outcome_id_out_of_range_or_odd_is_not_found(world, given):
    with pytest.raises(Http404):
        get_outcome_for_story(world.coordinator, given)

# --- The authorisation table ----------------------------------------------------------------

VIEWS = {
    "stories:feed": ("get", lambda objects: reverse("stories:feed")),
    "stories:review": ("get", lambda objects: reverse("stories:review")),
    "stories:new": ("get", lambda objects: f"{reverse('stories:new')}?outcome={objects.outcome.pk}"),
    "stories:detail": ("get", lambda objects: reverse("stories:detail", args=[objects.published.pk])),
    "stories:detail (waiting)": ("get", lambda objects: reverse("stories:detail", args=[objects.waiting.pk])),
    "stories:detail (draft)": ("get", lambda objects: reverse("stories:detail", args=[objects.draft.pk])),
    "stories:edit": ("get", lambda objects: reverse("stories:edit", args=[objects.draft.pk])),
    "stories:transition": (
        "post",
        lambda objects: reverse("stories:transition", args=[objects.waiting.pk, "publish"]),
    ),
    "stories:transition (submit)": (
        "post",
        lambda objects: reverse("stories:transition", args=[objects.draft.pk, "submit"]),
    ),
    "stories:transition (withdraw)": (
        "post",
        lambda objects: reverse("stories:transition", args=[objects.published.pk, "withdraw"]),
    ),
}
# fmt: off
TABLE = {
    #                                 anon   vol  o_vol coord o_crd  tl   o_tl chair clin  mgr  none
    "stories:feed":                  (LOGIN, 200, 200,  200,  200,  200,  200, 403,  403,  200, 403),
    "stories:review":                (LOGIN, 403, 403,  200,  200,  403,  403, 403,  403,  200, 403),
    "stories:new":                   (LOGIN, 403, 403,  200,  404,  403,  403, 403,  403,  403, 403),
    "stories:detail":                (LOGIN, 200, 200,  200,  404,  200,  404, 403,  403,  200, 403),
    "stories:detail (waiting)":      (LOGIN, 404, 404,  200,  404,  200,  404, 403,  403,  200, 403),
    "stories:detail (draft)":        (LOGIN, 404, 404,  200,  404,  200,  404, 403,  403,  404, 403),
    "stories:edit":                  (LOGIN, 403, 403,  200,  404,  403,  403, 403,  403,  403, 403),
    # Cora wrote it, so she may not publish it; Mona, a manager of its organisation, may.
    "stories:transition":            (LOGIN, 403, 403,  403,  404,  403,  403, 403,  403,  302, 403),
    "stories:transition (submit)":   (LOGIN, 403, 403,  302,  404,  403,  403, 403,  403,  404, 403),
    "stories:transition (withdraw)": (LOGIN, 403, 403,  302,  404,  403,  403, 403,  403,  302, 403),
}
# fmt: on
CASES = cases(TABLE)


def test_the_table_covers_every_stories_view():
    from stories.urls import urlpatterns

    names = {f"stories:{pattern.name}" for pattern in urlpatterns}
    assert {row.split(" ")[0] for row in TABLE} == names
    assert set(TABLE) == set(VIEWS)


@pytest.mark.parametrize(("view", "actor", "expected"), CASES)
def test_story_views_answer_each_person_as_the_table_says(world, objects, signed_in, view, actor, expected):
    method, url = VIEWS[view]
    response = getattr(signed_in(person(world, actor)), method)(url(objects))
    assert_answer(response, expected)
    if method == "post" and expected == 302:
        assert response["Location"].startswith("/stories/")


def test_a_transition_needs_a_post(world, objects, signed_in):
    response = signed_in(world.manager).get(
        reverse("stories:transition", args=[objects.waiting.pk, "publish"])
    )
    assert response.status_code == 405
    assert SuccessStory.objects.get(pk=objects.waiting.pk).status == StoryStatus.SUBMITTED


# --- Refused requests change nothing ------------------------------------------------------


def state_of_everything() -> dict:
    return {
        "stories": [
            {field.attname: getattr(story, field.attname) for field in SuccessStory._meta.concrete_fields}
            for story in SuccessStory.objects.order_by("pk")
        ],
        "notifications": Notification.objects.count(),
        "digests": StoryDigest.objects.count(),
    }


def refused_actors(view: str) -> list[str]:
    return [
        actor for actor, expected in zip(ACTORS, TABLE[view], strict=True) if expected in (LOGIN, 403, 404)
    ]


POSTS = {
    "stories:transition": lambda objects: reverse("stories:transition", args=[objects.waiting.pk, "publish"]),
    "stories:transition (submit)": lambda objects: reverse(
        "stories:transition", args=[objects.draft.pk, "submit"]
    ),
    "stories:transition (withdraw)": lambda objects: reverse(
        "stories:transition", args=[objects.published.pk, "withdraw"]
    ),
    "stories:new": lambda objects: f"{reverse('stories:new')}?outcome={objects.outcome.pk}",
    "stories:edit": lambda objects: reverse("stories:edit", args=[objects.draft.pk]),
}
REFUSED_POSTS = [
    pytest.param(view, actor, id=f"{view}-{actor}") for view in POSTS for actor in refused_actors(view)
]
WORDS = {"title": CLEAN_TITLE, "body": CLEAN_BODY, "save": "send"}


@pytest.mark.parametrize(("view", "actor"), REFUSED_POSTS)
def test_a_post_refused_to_anyone_changes_nothing(world, objects, signed_in, view, actor):
    before = state_of_everything()

    response = signed_in(person(world, actor)).post(POSTS[view](objects), once(WORDS))

    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    assert state_of_everything() == before


def test_the_author_asking_to_publish_is_refused_with_a_403_and_nothing_changes(world, objects, signed_in):
    before = state_of_everything()
    response = signed_in(world.coordinator).post(
        reverse("stories:transition", args=[objects.waiting.pk, "publish"])
    )
    assert response.status_code == 403
    assert state_of_everything() == before
