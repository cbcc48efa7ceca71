"""Reads of success stories, filtered by permission in the database.

Whose is a story: it belongs to the area of the concern it comes from, and so to that
area's organisation. A person's organisations are those of the areas where they work
today; a manager's also include the organisation they work for (managers need not work
in an area)."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from livingwell.accounts.models import Area, AreaMembership, Organisation, User
from livingwell.accounts.roles import STAFF_ROLES, Role
from livingwell.accounts.selectors import (
    is_staff_of,
    managed_organisations_of,
    organisations_of,
    staff_areas_of,
)
from risks.models import Outcome
from stories.models import StoryStatus, SuccessStory

# Who reads the good news: the people of the organisation who take part in the visits.
FEED_ROLES = frozenset({Role.VOLUNTEER, Role.MANAGER} | STAFF_ROLES)
# Who writes stories (the coordinators of the concern's area) and who approves them
# (another coordinator of the area, or a manager of its organisation).
WRITER_ROLES = frozenset({Role.COORDINATOR})
APPROVER_ROLES = frozenset({Role.COORDINATOR, Role.MANAGER})
# Stories a manager may read before they are published: only those that have passed the
# check for the client's details. A draft may still name the client, and managers see
# nobody's personal details.
SEEN_BY_MANAGERS = (StoryStatus.SUBMITTED, StoryStatus.PUBLISHED, StoryStatus.WITHDRAWN)


def is_manager_of(user: User, organisation: Organisation | int) -> bool:
    return managed_organisations_of(user).filter(pk=getattr(organisation, "pk", organisation)).exists()


def is_writer_in(user: User, area: Area | int) -> bool:
    """Whether `user` may write stories from the outcomes of `area`: a coordinator there today."""
    return is_staff_of(user, area, roles=WRITER_ROLES)


def may_approve(user: User, story: SuccessStory) -> bool:
    """Whether `user` holds a role that approves this story: a coordinator of its area or a
    manager of its organisation. (Whether they wrote it is checked by the service.)"""
    return is_staff_of(user, story.area_id, roles={Role.COORDINATOR}) or is_manager_of(
        user, story.area.organisation_id
    )


def _visible_q(user: User) -> Q:
    if not user.is_authenticated or not user.has_role(*FEED_ROLES):
        return Q(pk__in=[])
    visible = Q(status=StoryStatus.PUBLISHED, area__organisation__in=organisations_of(user))
    # Staff of the area see its stories in every state, as they see its concerns.
    visible |= Q(area__in=staff_areas_of(user))
    visible |= Q(status__in=SEEN_BY_MANAGERS, area__organisation__in=managed_organisations_of(user))
    return visible


def stories_visible_to(user: User) -> QuerySet[SuccessStory]:
    """Every story this person may open."""
    return SuccessStory.objects.filter(_visible_q(user))


def good_news_feed(user: User) -> QuerySet[SuccessStory]:
    """The published stories of this person's organisations, newest first."""
    if not user.is_authenticated or not user.has_role(*FEED_ROLES):
        return SuccessStory.objects.none()
    return (
        SuccessStory.objects.published()
        .filter(area__organisation__in=organisations_of(user))
        .select_related("area")
        .order_by("-published_at", "-pk")
    )


def stories_to_approve(user: User) -> QuerySet[SuccessStory]:
    """Stories waiting for approval that this person may approve: of the areas where they
    are a coordinator, or the organisations they manage; each marked `is_mine` when they
    wrote it or last changed it (somebody else must approve those). Oldest first."""
    if not user.is_authenticated or not user.has_role(*APPROVER_ROLES):
        return SuccessStory.objects.none()
    approves = Q(area__in=staff_areas_of(user, roles={Role.COORDINATOR}))
    # Only for a manager: for anybody else it matches nothing, but would still join the
    # areas and be built and planned on every home page a coordinator opens.
    if user.has_role(Role.MANAGER):
        approves |= Q(area__organisation__in=managed_organisations_of(user))
    return (
        SuccessStory.objects.filter(status=StoryStatus.SUBMITTED)
        .filter(approves)
        .select_related("area", "written_by")
        .annotate(
            is_mine=Case(
                When(Q(written_by=user) | Q(edited_by=user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("submitted_at", "pk")
    )


def drafts_of(user: User) -> QuerySet[SuccessStory]:
    """Drafts of the areas where this person writes stories, newest first."""
    return (
        SuccessStory.objects.filter(
            status=StoryStatus.DRAFT, area__in=staff_areas_of(user, roles=WRITER_ROLES)
        )
        .select_related("area", "written_by")
        .order_by("-written_at", "-pk")
    )


# Outcomes older than this are not offered for a story: good news is news.
OUTCOMES_TO_SHARE_WITHIN = datetime.timedelta(days=90)


def outcomes_to_share(user: User) -> QuerySet[Outcome]:
    """Recent outcomes of the areas where this person writes stories that have no story
    yet (or only a withdrawn one), newest first."""
    since = timezone.now() - OUTCOMES_TO_SHARE_WITHIN
    has_story = SuccessStory.objects.live().filter(outcome=OuterRef("pk"))
    return (
        Outcome.objects.filter(
            risk__area__in=staff_areas_of(user, roles=WRITER_ROLES), recorded_at__gte=since
        )
        .exclude(Exists(has_story))
        .select_related("risk__category", "risk__area")
        .order_by("-recorded_at", "-pk")
    )


def live_story_of(outcome: Outcome) -> SuccessStory | None:
    """The story already written about this outcome, unless it was withdrawn."""
    return SuccessStory.objects.live().filter(outcome=outcome).first()


def published_between(start: datetime.datetime, end: datetime.datetime) -> QuerySet[SuccessStory]:
    return (
        SuccessStory.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .select_related("area__organisation")
        .order_by("published_at", "pk")
    )


def managers_of(organisation: Organisation | int) -> QuerySet[User]:
    """Active managers of an organisation: they work for it, or in one of its areas today."""
    organisation_id = getattr(organisation, "pk", organisation)
    works_in_it = AreaMembership.objects.current().filter(
        user=OuterRef("pk"), area__organisation_id=organisation_id
    )
    return User.objects.filter(is_active=True, groups__name=Role.MANAGER).filter(
        Q(organisation_id=organisation_id) | Exists(works_in_it)
    )


def is_staff_of_area(user: User, story: SuccessStory) -> bool:
    return is_staff_of(user, story.area_id)
