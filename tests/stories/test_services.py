"""The life of a success story (stories.services): who writes it, the check that it names
nobody before it is sent for approval and before it is published, who approves it, and
withdrawing it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clients.models import Client
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from stories import services
from stories.models import StoryStatus, SuccessStory
from tests.factories import UserFactory
from tests.stories.factories import CLEAN_BODY, CLEAN_TITLE
from tests.support.concurrency import while_holding_the_lock

# --- Writing ------------------------------------------------------------------------------


def test_a_coordinator_writes_a_draft_from_an_outcome_of_their_area(world, outcome):
    story = services.story_write(by=world.coordinator, outcome=outcome, title=CLEAN_TITLE, body=CLEAN_BODY)

    assert story.status == StoryStatus.DRAFT
    assert (story.outcome, story.area, story.written_by) == (outcome, world.west, world.coordinator)
    assert story.written_at is not None
    assert story.approved_by is None
    assert story.published_at is None


def test_what_is_written_is_tidied_before_it_is_kept(world, outcome):
    story = services.story_write(
        by=world.coordinator, outcome=outcome, title="  Warm\u200b again  ", body="Line one.   \r\nLine two."
    )
    assert (story.title, story.body) == ("Warm again", "Line one.\nLine two.")


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", CLEAN_BODY, "Give the story a title."),
        (CLEAN_TITLE, "\u200b ", "Write the story."),
        (
            "x" * 121,
            CLEAN_BODY,
            "The title: This is too long: it has 121 characters, and the most it can have is 120.",
        ),
        (CLEAN_TITLE, "x" * 1501, "The story: This is too long: it has 1,501 characters"),
    ],
)
def test_a_story_needs_a_title_and_words_of_a_sensible_length(world, outcome, title, body, message):
    with pytest.raises(ValidationError) as refused:
        services.story_write(by=world.coordinator, outcome=outcome, title=title, body=body)
    assert refused.value.messages[0].startswith(message)
    assert not SuccessStory.objects.exists()


@pytest.mark.parametrize(
    "actor", ["other_coordinator", "team_leader", "volunteer", "manager", "mdt_chair", "clinician", "no_role"]
)
def test_nobody_but_a_coordinator_of_the_area_writes_its_stories(world, outcome, actor):
    with pytest.raises(PermissionDenied, match="Only coordinators of West Cornwall"):
        services.story_write(by=getattr(world, actor), outcome=outcome, title=CLEAN_TITLE, body=CLEAN_BODY)
    assert not SuccessStory.objects.exists()


def test_one_story_per_outcome_until_it_is_withdrawn(world, outcome, draft, second_coordinator):
    with pytest.raises(ValidationError, match=r"A story about this outcome has already been written\."):
        services.story_write(by=second_coordinator, outcome=outcome, title="Another", body=CLEAN_BODY)

    services.story_withdraw(story=draft, by=world.coordinator)
    again = services.story_write(by=second_coordinator, outcome=outcome, title="Another", body=CLEAN_BODY)
    assert again.status == StoryStatus.DRAFT


def test_a_draft_may_name_the_client_while_it_is_being_written(world, outcome):
    story = services.story_write(
        by=world.coordinator, outcome=outcome, title="Elsie's rails", body="Elsie Trewin has rails."
    )
    assert story.status == StoryStatus.DRAFT


def test_writing_and_sending_at_once_is_refused_whole_while_it_names_the_client(world, outcome):
    with pytest.raises(ValidationError) as refused:
        services.story_write(
            by=world.coordinator,
            outcome=outcome,
            title=CLEAN_TITLE,
            body="Mrs Trewin has grab rails now.",
            send_for_approval=True,
        )
    assert refused.value.messages == [
        "The story contains the client's surname, Trewin: remove it before sending it for approval."
    ]
    # The whole write is refused with it: nothing is kept, so the form can be sent again.
    assert not SuccessStory.objects.exists()


# --- The check that a story names nobody ------------------------------------------------

IDENTIFIERS = {
    "first name": ("Elsie has grab rails now.", "the client's first name, Elsie"),
    "surname": ("Mrs Trewin has grab rails now.", "the client's surname, Trewin"),
    "preferred name": ("Nell has grab rails now.", "the client's preferred name, Nell"),
    "address": ("The lady at 3 Chapel Street is safer.", "a line of the client's address, 3 Chapel Street"),
    "town": ("A lady in Penzance is safer.", "a line of the client's address, Penzance"),
    "postcode": ("Everyone in TR18 4AJ knows her.", "the client's postcode, TR18 4AJ"),
    "postcode without its space": ("Everyone in tr184aj knows her.", "the client's postcode, TR18 4AJ"),
    "NHS number with spaces": ("Her NHS number is 943 476 5919.", "the client's NHS number, 943 476 5919"),
    "NHS number without spaces": ("Her NHS number is 9434765919.", "the client's NHS number, 943 476 5919"),
    "name hidden with a zero-width space": ("El\u200bsie has grab rails.", "the client's first name, Elsie"),
}


@pytest.mark.parametrize("kind", IDENTIFIERS)
def test_publishing_is_refused_while_the_story_names_the_client(world, waiting_with, kind):
    body, found = IDENTIFIERS[kind]
    story = waiting_with(title=CLEAN_TITLE, body=body)

    with pytest.raises(ValidationError) as refused:
        services.story_publish(story=story, by=world.manager)

    assert refused.value.messages == [f"The story contains {found}: remove it before publishing."]
    story.refresh_from_db()
    assert (story.status, story.approved_by, story.published_at) == (StoryStatus.SUBMITTED, None, None)


@pytest.mark.parametrize("kind", IDENTIFIERS)
def test_sending_for_approval_is_refused_while_the_story_names_the_client(world, outcome, kind):
    body, found = IDENTIFIERS[kind]
    story = services.story_write(by=world.coordinator, outcome=outcome, title=CLEAN_TITLE, body=body)

    with pytest.raises(ValidationError) as refused:
        services.story_submit(story=story, by=world.coordinator)

    assert refused.value.messages == [
        f"The story contains {found}: remove it before sending it for approval."
    ]
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT


def test_the_title_is_checked_too_and_every_finding_is_named(world, waiting_with):
    story = waiting_with(title="Good news for Elsie", body="Mrs Trewin of TR18 4AJ is safer.")

    with pytest.raises(ValidationError) as refused:
        services.story_publish(story=story, by=world.manager)

    assert refused.value.messages == [
        "The title contains the client's first name, Elsie: remove it before publishing.",
        "The story contains the client's surname, Trewin: remove it before publishing.",
        "The story contains the client's postcode, TR18 4AJ: remove it before publishing.",
    ]


def test_a_clean_story_is_published(world, submitted):
    story = services.story_publish(story=submitted, by=world.manager)

    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED
    assert story.approved_by == world.manager
    assert story.published_at is not None


def test_a_detail_added_to_the_clients_record_after_sending_is_caught_at_publishing(world, outcome):
    story = services.story_write(
        by=world.coordinator,
        outcome=outcome,
        title=CLEAN_TITLE,
        body="Queenie, as everybody calls her, is safer.",
        send_for_approval=True,
    )
    Client.objects.filter(pk=outcome.risk.client_id).update(preferred_name="Queenie")

    with pytest.raises(
        ValidationError, match="the client's preferred name, Queenie: remove it before publishing"
    ):
        services.story_publish(story=story, by=world.manager)


def test_what_every_story_shows_anyway_is_not_taken_for_an_address(world, outcome):
    Client.objects.filter(pk=outcome.risk.client_id).update(
        address="3 Chapel Street\nPenzance\nWest Cornwall"
    )
    story = services.story_write(
        by=world.coordinator,
        outcome=outcome,
        title=CLEAN_TITLE,
        body="An older lady in West Cornwall is safer at home.",
        send_for_approval=True,
    )
    assert services.story_publish(story=story, by=world.manager).status == StoryStatus.PUBLISHED


# --- Who approves --------------------------------------------------------------------------


def test_the_author_cannot_approve_their_own_story(world, submitted):
    with pytest.raises(PermissionDenied) as refused:
        services.story_publish(story=submitted, by=world.coordinator)

    assert str(refused.value) == (
        "You wrote this story, so somebody else must approve it: another coordinator of West Cornwall "
        f"or a manager of {world.west.organisation.name}."
    )
    submitted.refresh_from_db()
    assert submitted.status == StoryStatus.SUBMITTED


def test_whoever_last_changed_the_words_cannot_approve_them_either(world, draft, second_coordinator):
    services.story_update(
        story=draft,
        by=second_coordinator,
        title=CLEAN_TITLE,
        body=CLEAN_BODY + " Thank you.",
        send_for_approval=True,
    )
    with pytest.raises(PermissionDenied, match="You changed this story"):
        services.story_publish(story=draft, by=second_coordinator)
    with pytest.raises(PermissionDenied, match="You wrote this story"):
        services.story_publish(story=draft, by=world.coordinator)

    assert services.story_publish(story=draft, by=world.manager).status == StoryStatus.PUBLISHED


@pytest.mark.parametrize("approver", ["second_coordinator", "manager"])
def test_another_coordinator_of_the_area_or_a_manager_of_its_organisation_approves(
    world, submitted, approver, request
):
    person = request.getfixturevalue(approver) if approver == "second_coordinator" else world.manager
    assert services.story_publish(story=submitted, by=person).approved_by == person


def test_a_manager_of_the_organisation_need_not_work_in_an_area(world, submitted):
    head_office = UserFactory(roles=[Role.MANAGER], organisation=world.west.organisation)
    assert services.story_publish(story=submitted, by=head_office).status == StoryStatus.PUBLISHED


@pytest.mark.parametrize(
    "actor", ["other_coordinator", "team_leader", "volunteer", "mdt_chair", "clinician", "no_role"]
)
def test_nobody_else_approves(world, submitted, actor):
    with pytest.raises(PermissionDenied, match="Only another coordinator of West Cornwall or a manager"):
        services.story_publish(story=submitted, by=getattr(world, actor))
    submitted.refresh_from_db()
    assert submitted.status == StoryStatus.SUBMITTED


def test_a_manager_of_another_organisation_does_not_approve(world, submitted):
    elsewhere = UserFactory(roles=[Role.MANAGER], areas=[world.east])
    with pytest.raises(PermissionDenied):
        services.story_publish(story=submitted, by=elsewhere)


def test_only_a_story_waiting_for_approval_is_published(world, draft):
    with pytest.raises(ValidationError, match=r"This story cannot be published now: it is a draft\."):
        services.story_publish(story=draft, by=world.manager)


def test_sending_for_approval_tells_those_who_may_approve_and_publishing_tells_the_author(
    world, draft, second_coordinator
):
    services.story_submit(story=draft, by=world.coordinator)
    asked = Notification.objects.filter(title__startswith="A success story is waiting for your approval")
    assert set(asked.values_list("recipient__username", flat=True)) == {"cath", "mona"}
    assert set(asked.values_list("link", flat=True)) == {f"/stories/{draft.pk}/"}

    services.story_publish(story=draft, by=second_coordinator)
    [told] = Notification.objects.filter(recipient=world.coordinator)
    assert told.title == f"Your success story is published: {CLEAN_TITLE}"


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_publish_it_once(world, submitted, second_coordinator):
    results = while_holding_the_lock(
        lambda: services.story_publish(story=submitted, by=world.manager),
        lambda: services.story_publish(story=submitted, by=second_coordinator),
    )

    assert results["second waited"]
    assert isinstance(results["second"], ValidationError)
    assert results["second"].messages == ["This story cannot be published now: it is published."]
    submitted.refresh_from_db()
    assert submitted.approved_by == world.manager


# --- Changing and withdrawing ----------------------------------------------------------------


def test_changing_a_story_waiting_for_approval_takes_it_back_to_draft(world, submitted):
    story = services.story_update(story=submitted, by=world.coordinator, title="New title", body=CLEAN_BODY)

    assert (story.status, story.submitted_at, story.edited_by) == (StoryStatus.DRAFT, None, world.coordinator)


def test_saving_the_same_words_changes_nothing(world, submitted):
    story = services.story_update(story=submitted, by=world.coordinator, title=CLEAN_TITLE, body=CLEAN_BODY)
    assert (story.status, story.edited_by) == (StoryStatus.SUBMITTED, None)


def test_a_published_story_cannot_be_changed(world, published_story):
    with pytest.raises(ValidationError, match=r"This story cannot be changed now: it is published\."):
        services.story_update(story=published_story, by=world.coordinator, title="New", body=CLEAN_BODY)


@pytest.mark.parametrize("actor", ["coordinator", "manager"])
def test_a_coordinator_of_the_area_or_a_manager_withdraws_a_published_story(world, published_story, actor):
    story = services.story_withdraw(story=published_story, by=getattr(world, actor))

    story.refresh_from_db()
    assert (story.status, story.withdrawn_by) == (StoryStatus.WITHDRAWN, getattr(world, actor))
    assert story.withdrawn_at is not None
    assert story.approved_by == world.manager  # the record of its approval stays


@pytest.mark.parametrize("actor", ["other_coordinator", "team_leader", "volunteer", "no_role"])
def test_nobody_else_withdraws_a_story(world, published_story, actor):
    with pytest.raises(PermissionDenied):
        services.story_withdraw(story=published_story, by=getattr(world, actor))
    published_story.refresh_from_db()
    assert published_story.status == StoryStatus.PUBLISHED


def test_a_withdrawn_story_cannot_be_withdrawn_again_or_published(world, published_story):
    services.story_withdraw(story=published_story, by=world.coordinator)
    with pytest.raises(ValidationError, match="it is withdrawn"):
        services.story_withdraw(story=published_story, by=world.coordinator)
    with pytest.raises(ValidationError, match="it is withdrawn"):
        services.story_publish(story=published_story, by=world.manager)


def test_the_actions_offered_follow_the_same_rules(world, draft, second_coordinator):
    assert services.available_actions(draft, world.coordinator) == {"edit", "submit", "withdraw"}
    assert services.available_actions(draft, world.manager) == set()  # managers see no drafts
    assert services.available_actions(draft, world.team_leader) == set()
    story = services.story_submit(story=draft, by=world.coordinator)
    assert services.available_actions(story, world.coordinator) == {"edit", "withdraw"}
    assert services.available_actions(story, second_coordinator) == {"edit", "publish", "withdraw"}
    assert services.available_actions(story, world.manager) == {"publish", "withdraw"}
    assert services.available_actions(story, world.volunteer) == set()
    story = services.story_publish(story=story, by=world.manager)
    assert services.available_actions(story, world.coordinator) == {"withdraw"}
    assert services.available_actions(story, world.volunteer) == set()


def test_a_manager_does_not_withdraw_a_draft(world, draft):
    with pytest.raises(PermissionDenied):
        services.story_withdraw(story=draft, by=world.manager)
