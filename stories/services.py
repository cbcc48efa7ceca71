"""The life of a success story, and the weekly digest that tells volunteers the good news.

    draft -> waiting for approval (submitted) -> published -> withdrawn
      ^------------ changed ------/     (a draft or a story waiting can be withdrawn too)

A coordinator of the concern's area writes the story from its recorded outcome. Sending it
for approval, and publishing it, are refused while the title or the story contains
anything that identifies the client (`stories.anonymity`). Somebody other than whoever
wrote or last changed the words approves it: another coordinator of the area or a manager
of its organisation. Each step checks the state under a row lock, stamps who and when,
and sends its notifications through the outbox in the same transaction.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import AreaMembership, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import people_with_role_in
from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from livingwell.text import clean_text
from risks.models import Outcome
from stories.anonymity import identifiers_in, identifiers_of
from stories.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, StoryDigest, StoryStatus, SuccessStory
from stories.selectors import (
    SEEN_BY_MANAGERS,
    is_manager_of,
    is_writer_in,
    managers_of,
    may_approve,
    published_between,
)
from volunteers.models import Volunteer

EDITABLE = (StoryStatus.DRAFT, StoryStatus.SUBMITTED)
WITHDRAWABLE = (StoryStatus.DRAFT, StoryStatus.SUBMITTED, StoryStatus.PUBLISHED)


def _locked(story: SuccessStory) -> SuccessStory:
    # Two approvers pressing "Approve" at once, or an approval racing a change or a
    # withdrawal: the second waits for the first, then sees the state it left.
    return (
        SuccessStory.objects.select_for_update(of=("self",))
        .select_related("area__organisation")
        .get(pk=story.pk)
    )


def _text(title: str, body: str) -> tuple[str, str]:
    title = clean_text(
        title,
        max_length=TITLE_MAX_LENGTH,
        required=True,
        what="The title",
        required_message="Give the story a title.",
    )
    body = clean_text(
        body,
        max_length=BODY_MAX_LENGTH,
        multiline=True,
        required=True,
        what="The story",
        required_message="Write the story.",
    )
    return title, body


def _check_writer(by: User, story_or_area) -> None:
    area = getattr(story_or_area, "area", story_or_area)
    if not is_writer_in(by, area):
        raise PermissionDenied(f"Only coordinators of {area.name} may write and change its success stories.")


# Where a story is, in a sentence: "it is a draft".
WHERE_IT_IS = {
    StoryStatus.DRAFT: "a draft",
    StoryStatus.SUBMITTED: "waiting for approval",
    StoryStatus.PUBLISHED: "published",
    StoryStatus.WITHDRAWN: "withdrawn",
}


def _check_state(story: SuccessStory, allowed, verb: str) -> None:
    if story.status not in allowed:
        raise ValidationError(f"This story cannot be {verb} now: it is {WHERE_IT_IS[story.status]}.")


def check_identifies_nobody(story: SuccessStory, *, before: str) -> None:
    """Refuse, naming what was found, while the title or the story contains anything that
    identifies the client of the concern it comes from. `before` ends each message:
    "...: remove it before publishing."."""
    # The client as they are recorded now: a detail added since the story was written
    # (a preferred name, a new address) counts.
    client = Client.objects.get(risks__outcomes=story.outcome_id)
    identifiers = identifiers_of(client, shown_anyway=(story.area.name, story.area.organisation.name))
    found = identifiers_in(story.title, identifiers, where="The title") + identifiers_in(
        story.body, identifiers, where="The story"
    )
    if found:
        raise ValidationError(
            [f"{item.message}: remove it before {before}." for item in found], code="identifies_client"
        )


@transaction.atomic
def story_write(
    *, by: User, outcome: Outcome, title: str, body: str, send_for_approval: bool = False
) -> SuccessStory:
    """A coordinator of the concern's area writes a success story from its outcome: a
    draft, or sent for approval at once (refused, with nothing kept, while it identifies
    the client). One story per outcome, unless an earlier one was withdrawn."""
    outcome = Outcome.objects.select_related("risk__area__organisation").get(pk=outcome.pk)
    area = outcome.risk.area
    _check_writer(by, area)
    title, body = _text(title, body)
    story = SuccessStory(
        outcome=outcome, area=area, title=title, body=body, written_by=by, written_at=timezone.now()
    )
    # Checks the one-story-per-outcome rule with its plain message; the insert below is
    # what decides when two coordinators write at the same moment.
    story.full_clean()
    try:
        with transaction.atomic():
            story.save()
    except IntegrityError as error:
        raise ValidationError(
            "A story about this outcome has just been written: open it from the list."
        ) from error
    if send_for_approval:
        _submit(story, by=by)
    return story


@transaction.atomic
def story_update(
    *, story: SuccessStory, by: User, title: str, body: str, send_for_approval: bool = False
) -> SuccessStory:
    """Change the words of a draft, or of a story waiting for approval, which then goes
    back to being a draft (changed words are checked and approved afresh) unless it is
    sent for approval again with them."""
    story = _locked(story)
    _check_writer(by, story)
    _check_state(story, EDITABLE, "changed")
    title, body = _text(title, body)
    if (title, body) != (story.title, story.body):
        story.title, story.body = title, body
        story.edited_by, story.edited_at = by, timezone.now()
        story.status, story.submitted_at = StoryStatus.DRAFT, None
        story.full_clean()
        story.save(update_fields=["title", "body", "edited_by", "edited_at", "status", "submitted_at"])
    if send_for_approval and story.status == StoryStatus.DRAFT:
        _submit(story, by=by)
    return story


@transaction.atomic
def story_submit(*, story: SuccessStory, by: User) -> SuccessStory:
    """Send a draft for approval: refused while it identifies the client. Whoever may
    approve it is told."""
    story = _locked(story)
    _check_writer(by, story)
    _check_state(story, {StoryStatus.DRAFT}, "sent for approval")
    _submit(story, by=by)
    return story


def _submit(story: SuccessStory, *, by: User) -> None:
    check_identifies_nobody(story, before="sending it for approval")
    story.status, story.submitted_at = StoryStatus.SUBMITTED, timezone.now()
    story.save(update_fields=["status", "submitted_at"])
    _ask_for_approval(story, by=by)


def _ask_for_approval(story: SuccessStory, *, by: User) -> None:
    authors = {by.pk, story.written_by_id, story.edited_by_id}
    approvers = {
        person.pk: person
        for people in (
            people_with_role_in(Role.COORDINATOR, [story.area_id]),
            managers_of(story.area.organisation_id).distinct(),
        )
        for person in people.exclude(pk__in=authors)
    }
    for person in approvers.values():
        notify(
            recipient=person,
            kind=Notification.Kind.GENERAL,
            title=f"A success story is waiting for your approval: {story.title}",
            body=(
                f"{by} sent a success story from {story.area.name} for approval. Read it, and publish "
                "it if it tells the good news without identifying anybody."
            ),
            link=f"/stories/{story.pk}/",
        )


def _check_approver(by: User, story: SuccessStory) -> None:
    who = f"another coordinator of {story.area.name} or a manager of {story.area.organisation.name}"
    if not may_approve(by, story):
        raise PermissionDenied(f"Only {who} may approve this story.")
    if by.pk == story.written_by_id:
        raise PermissionDenied(f"You wrote this story, so somebody else must approve it: {who}.")
    if by.pk == story.edited_by_id:
        raise PermissionDenied(f"You changed this story, so somebody else must approve it: {who}.")


@transaction.atomic
def story_publish(*, story: SuccessStory, by: User) -> SuccessStory:
    """Approve a story waiting for approval and publish it to the organisation's Good news.
    Refused while it identifies the client (checked again: the client's record may have
    changed since it was sent), and to whoever wrote or last changed it."""
    story = _locked(story)
    _check_approver(by, story)
    _check_state(story, {StoryStatus.SUBMITTED}, "published")
    check_identifies_nobody(story, before="publishing")
    story.status, story.approved_by, story.published_at = StoryStatus.PUBLISHED, by, timezone.now()
    story.save(update_fields=["status", "approved_by", "published_at"])
    for author in {story.written_by_id, story.edited_by_id} - {None, by.pk}:
        notify(
            recipient=User.objects.get(pk=author),
            kind=Notification.Kind.GENERAL,
            title=f"Your success story is published: {story.title}",
            body=f"{by} approved it. Volunteers and staff of {story.area.organisation.name} can read it now.",
            link=f"/stories/{story.pk}/",
        )
    return story


def _may_withdraw(by: User, story: SuccessStory) -> bool:
    # Managers see no drafts (a draft may still name the client), so withdraw none.
    return is_writer_in(by, story.area_id) or (
        story.status in SEEN_BY_MANAGERS and is_manager_of(by, story.area.organisation_id)
    )


@transaction.atomic
def story_withdraw(*, story: SuccessStory, by: User) -> SuccessStory:
    """Take a story out of the Good news (or set aside one not yet published), by a
    coordinator of its area or a manager of its organisation (once it has been sent for
    approval). It is kept, not deleted."""
    story = _locked(story)
    if not _may_withdraw(by, story):
        raise PermissionDenied(
            f"Only coordinators of {story.area.name} and managers of {story.area.organisation.name} "
            "may withdraw this story."
        )
    _check_state(story, WITHDRAWABLE, "withdrawn")
    story.status, story.withdrawn_by, story.withdrawn_at = StoryStatus.WITHDRAWN, by, timezone.now()
    story.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
    return story


def available_actions(story: SuccessStory, user: User) -> set[str]:
    """What this person may do to the story now, for its page to offer: "edit", "submit",
    "publish" and "withdraw", by the same rules the services keep."""
    actions = set()
    writer = is_writer_in(user, story.area_id)
    if writer and story.status in EDITABLE:
        actions.add("edit")
    if writer and story.status == StoryStatus.DRAFT:
        actions.add("submit")
    if story.status == StoryStatus.SUBMITTED:
        try:
            _check_approver(user, story)
        except PermissionDenied:
            pass
        else:
            actions.add("publish")
    if story.status in WITHDRAWABLE and _may_withdraw(user, story):
        actions.add("withdraw")
    return actions


# --- The weekly digest --------------------------------------------------------------------

DIGEST_COVERS = datetime.timedelta(days=7)


def week_starting(moment: datetime.datetime) -> datetime.date:
    """The Monday of the week `moment` falls in, in UK time."""
    day = timezone.localdate(moment)
    return day - datetime.timedelta(days=day.weekday())


def stories_send_weekly_digest(*, now: datetime.datetime | None = None) -> int:
    """Tell each active volunteer, once a week, about the stories their organisations
    published in the past seven days: one notification listing them, none when there are
    none. Returns how many volunteers were told.

    Safe to run any number of times, at once or in turn: each (volunteer, week) is a row
    with a unique constraint, written in the same transaction as the notification, so a
    second run (or a concurrent one, which waits for the first's insert) sends nothing."""
    now = now or timezone.now()
    week = week_starting(now)
    by_organisation: dict[int, list[SuccessStory]] = {}
    for story in published_between(now - DIGEST_COVERS, now):
        by_organisation.setdefault(story.area.organisation_id, []).append(story)
    if not by_organisation:
        return 0
    memberships = (
        AreaMembership.objects.current()
        .filter(
            area__organisation__in=list(by_organisation),
            user__is_active=True,
            user__groups__name=Role.VOLUNTEER,
            user__volunteer__status=Volunteer.Status.ACTIVE,
        )
        .exclude(user__in=StoryDigest.objects.filter(week_starting=week).values("volunteer"))
        .values_list("user_id", "area__organisation_id")
        .distinct()
    )
    organisations_of: dict[int, set[int]] = {}
    for volunteer_id, organisation_id in memberships:
        organisations_of.setdefault(volunteer_id, set()).add(organisation_id)
    volunteers = User.objects.in_bulk(list(organisations_of))
    told = 0
    for volunteer_id in sorted(organisations_of):
        theirs = sorted(
            (
                story
                for organisation in organisations_of[volunteer_id]
                for story in by_organisation[organisation]
            ),
            key=lambda story: (story.published_at, story.pk),
        )
        if _send_digest(volunteers[volunteer_id], week=week, stories=theirs):
            told += 1
    return told


def _send_digest(volunteer: User, *, week: datetime.date, stories: list[SuccessStory]) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = StoryDigest.objects.create(
                    volunteer=volunteer, week_starting=week, stories=len(stories)
                )
        except IntegrityError:
            return False  # told already this week, by an earlier run or one running now
        digest.notification = notify(
            recipient=volunteer,
            kind=Notification.Kind.STORIES,
            title=digest_title(len(stories)),
            body=digest_body(stories),
            link="/stories/",
        )
        digest.save(update_fields=["notification"])
    return True


def digest_title(count: int) -> str:
    return "Good news this week: " + ("a success story" if count == 1 else f"{count} success stories")


def digest_body(stories: list[SuccessStory]) -> str:
    lines = [
        "Thanks to volunteers who noticed something and told us, here is the good news of the past week:"
    ]
    lines += [f"• {story.title} ({story.area.name})" for story in stories]
    lines.append("Read the stories in Good news.")
    return "\n".join(lines)
