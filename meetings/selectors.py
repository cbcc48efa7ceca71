"""Reads of meetings, filtered by permission in the database."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from livingwell.accounts.models import User
from meetings.access import meetings_visible_to
from meetings.models import Action, AgendaItem, Attendance, LocalProtocol, Meeting, MeetingKind, MeetingStatus


def meetings_for(user, *, kind: str = "", when: str = "upcoming") -> QuerySet[Meeting]:
    """The meetings this person may see, with how many items each has (a volunteer's count
    is of their own items only)."""
    now = timezone.now()
    meetings = meetings_visible_to(user).select_related("area", "practice", "chair")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    if when == "past":
        meetings = meetings.filter(Q(ends_at__lte=now) | Q(status=MeetingStatus.CANCELLED)).order_by(
            "-starts_at", "-pk"
        )
    else:
        meetings = (
            meetings.filter(ends_at__gt=now)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("starts_at", "pk")
        )
    return meetings.annotate(
        invited=Exists(Attendance.objects.filter(meeting=OuterRef("pk"), person=user)),
    )


# What the meeting pages show of a person: their name (or, without one, their username).
_NAME = ("first_name", "last_name", "username")


def _names_of(*relations: str) -> list[str]:
    return [f"{relation}__{field}" for relation in relations for field in _NAME]


def agenda_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The whole agenda, in order, with what each item's rows need (no query per item).

    Only the columns the agenda shows are read: a concern and a person are wide rows, and
    reading and building thirty of each costs more than the rest of the page. Who presents
    an item and the protocol checked are fetched apart: only volunteers' items at an MDT
    meeting have them, and joining them to every item made planning the query cost more than
    running it."""
    return (
        meeting.items.select_related("client", "risk__category", "risk__owner")
        .only(
            "meeting_id",
            "position",
            "minutes",
            "presented_by_volunteer",
            "discussion_note",
            "result",
            "protocol_confirmed_at",
            "client__first_name",
            "client__last_name",
            "risk__severity",
            "risk__status",
            "risk__what_was_seen",
            "risk__category__name",
            "presenter_id",
            "protocol_id",
            "protocol_confirmed_by_id",
            *_names_of("risk__owner"),
        )
        .prefetch_related(*_presenters())
        .order_by("-presented_by_volunteer", "position", "pk")
    )


def _presenters() -> tuple[Prefetch, ...]:
    """Who presents an agenda item, the protocol checked and who checked it."""
    people = User.objects.only(*_NAME)
    return (
        Prefetch("presenter", queryset=people),
        Prefetch("protocol", queryset=LocalProtocol.objects.only("version")),
        Prefetch("protocol_confirmed_by", queryset=people),
    )


_ACTION_COLUMNS = ("meeting_id", "item_id", "what", "due_on", "done_at", "service__name", *_names_of("owner"))


def agenda_and_actions_of(meeting: Meeting) -> tuple[list[AgendaItem], list[Action]]:
    """The whole agenda and every action of the meeting, in a query each; each item's own
    actions are also in its `agreed_actions` (actions are agreed at their item's meeting)."""
    items, actions = list(agenda_of(meeting).prefetch_related(None)), list(actions_of(meeting))
    # Only for the items that have them: Django builds a query per relation even when no
    # item has one (most agendas have no volunteer presenting), a fifth of reading the agenda.
    prefetch_related_objects(
        [item for item in items if item.presenter_id or item.protocol_id or item.protocol_confirmed_by_id],
        *_presenters(),
    )
    by_item: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_item[action.item_id].append(action)
    for item in items:
        item.agreed_actions = by_item[item.pk]
    return items, actions


def own_items_of(meeting: Meeting, user) -> QuerySet[AgendaItem]:
    """A volunteer's own items and nothing else: at an MDT meeting, those they present; at
    a formal meeting or coffee morning, the concerns they raised."""
    items = agenda_of(meeting)
    if meeting.is_mdt:
        return items.filter(presenter=user, presented_by_volunteer=True)
    return items.filter(
        Q(presenter=user)
        | Q(risk__reported_by=user, risk__on_behalf_of__isnull=True)
        | Q(risk__on_behalf_of=user)
    )


def attendances_of(meeting: Meeting) -> QuerySet[Attendance]:
    return (
        meeting.attendances.select_related("person")
        .only("meeting_id", "role", "response", *_names_of("person"))
        .order_by("role", "person__last_name", "person__first_name")
    )


def actions_of(meeting: Meeting) -> QuerySet[Action]:
    return (
        meeting.actions.select_related("owner", "service", "item__client")
        .only(*_ACTION_COLUMNS, "item__client__first_name", "item__client__last_name")
        .order_by("due_on", "pk")
    )


def counts_by_kind(meetings: QuerySet[Meeting]) -> dict:
    return dict(meetings.values_list("kind").annotate(n=Count("pk")))


def next_meetings_of(user, limit: int = 3) -> list[Meeting]:
    """The next meetings this person chairs or is invited to, with how many items each has.

    Invitations are a condition (EXISTS) and the items a count per meeting shown, so that no
    join multiplies the rows: the DISTINCT and GROUP BY over whole rows that joins need took
    PostgreSQL longer to plan than the home page takes to render."""
    items = (
        AgendaItem.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    invited = Attendance.objects.filter(meeting=OuterRef("pk"), person=user)
    return list(
        meetings_visible_to(user)
        .filter(Q(chair=user) | Exists(invited), ends_at__gt=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("area", "practice")
        .only("kind", "starts_at", "agenda_published_at", "area__name", "practice__name")
        .annotate(item_count=Coalesce(Subquery(items), 0))
        .order_by("starts_at", "pk")[:limit]
    )
