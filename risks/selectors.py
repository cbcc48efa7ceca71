"""Reads of risks, filtered by permission in the database."""

from __future__ import annotations

import datetime

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clients.models import Consent, ConsentScope
from livingwell.accounts.models import Area, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import people_with_role_in, staff_areas_of, staff_areas_today
from livingwell.notifications.models import Notification
from risks.models import OnCallShift, Outcome, Referral, RiskCategory, RiskReport, Service, Status

# `RiskReport.queue_band` of urgent concerns.
URGENT_BAND = 0

# Statuses in which a concern waits for us (not yet passed on): only these can be overdue.
WAITING_FOR_US = (Status.REPORTED, Status.TRIAGED)


def overdue_q(now: datetime.datetime | None = None) -> Q:
    """Concerns past their target time that nobody has passed on yet (as `is_overdue`)."""
    return Q(status__in=WAITING_FOR_US, due_at__lt=now or timezone.now())


def with_latest_referral(risks: QuerySet[RiskReport]) -> QuerySet[RiskReport]:
    """Annotate each concern with its latest referral, in the same query: `waiting_for`
    (the service's name, or the key worker's, as `Referral.target`) and `reply_expected_on`.
    Both are None for a concern that was never passed on."""
    latest = Referral.objects.filter(risk=OuterRef("pk")).order_by("-made_at", "-pk")
    return risks.annotate(
        waiting_for=Coalesce(
            Subquery(latest.values("service__name")[:1]), Subquery(latest.values("key_worker")[:1])
        ),
        reply_expected_on=Subquery(latest.values("expected_response_on")[:1]),
    )


def attach_queue_details(
    risks: list[RiskReport], *, areas: list[Area], categories: list[RiskCategory]
) -> list[RiskReport]:
    """Complete a page of the queue already read: each concern's area and category from
    those the page has read for its filters (a handful each), and `waiting_for` and
    `reply_expected_on` from its latest referral, as `with_latest_referral` gives them, read
    for the whole page in one query rather than by three subqueries per row."""
    areas_by_pk = {area.pk: area for area in areas}
    categories_by_pk = {category.pk: category for category in categories}
    latest = {
        referral["risk"]: referral
        for referral in Referral.objects.filter(risk__in=[risk.pk for risk in risks])
        .order_by("risk", "-made_at", "-pk")
        .distinct("risk")
        .values("risk", "service__name", "key_worker", "expected_response_on")
    }
    for risk in risks:
        # One missing from those lists (none should be) is read when the page shows it.
        if risk.area_id in areas_by_pk:
            risk.area = areas_by_pk[risk.area_id]
        if risk.category_id in categories_by_pk:
            risk.category = categories_by_pk[risk.category_id]
        referral = latest.get(risk.pk)
        risk.waiting_for = (referral["service__name"] or referral["key_worker"]) if referral else None
        risk.reply_expected_on = referral["expected_response_on"] if referral else None
    return risks


def triage_queue(
    user,
    *,
    area=None,
    category=None,
    severity: str = "",
    status: str = "",
    route: str = "",
    volunteer=None,
    volunteer_name: str = "",
    overdue: bool = False,
) -> QuerySet[RiskReport]:
    """Open concerns of the person's areas: urgent first, then by how far past (or near)
    their target time they are. `overdue` keeps only those past their target time;
    `volunteer` those of one volunteer, `volunteer_name` those of the volunteers whose name
    holds every word of it."""
    # The area ids as values, not a subquery: with one area (most staff work in one) the
    # planner reads the queue straight from `risk_open_queue_idx` in its order.
    areas = [area.pk for area in staff_areas_today(user)]
    # Planning a join of seven tables took PostgreSQL 30-40 ms at scale, many times the
    # cost of running it. The page's area and category (a handful of rows each, which its
    # filter form reads anyway) and the latest referral of each concern shown are added to
    # the page afterwards (`attach_queue_details`) rather than joined or subqueried here.
    risks = (
        RiskReport.objects.open()
        .filter(area__in=areas)
        .select_related("client", "reported_by", "on_behalf_of", "owner")
    )
    if overdue:
        risks = risks.filter(overdue_q())
    if area:
        risks = risks.filter(area=area)
    if category:
        risks = risks.filter(category=category)
    if severity:
        risks = risks.filter(severity=severity)
    if status:
        risks = risks.filter(status=status)
    if route:
        risks = risks.filter(route=route)
    if volunteer:
        risks = risks.filter(Q(reported_by=volunteer) | Q(on_behalf_of=volunteer))
    if volunteer_name:
        # The ids first, as values: against a subquery the planner reads every concern of
        # the areas, against a list it looks each person's concerns up by index.
        named = list(
            people_named(volunteer_name, among=people_with_role_in(Role.VOLUNTEER, areas)).values_list(
                "pk", flat=True
            )
        )
        risks = risks.filter(Q(reported_by__in=named, on_behalf_of=None) | Q(on_behalf_of__in=named))
    return risks.order_by(*QUEUE_ORDER)


# The queue's order, the key of `risk_open_queue_idx` after the area: urgent first, then by
# target time.
QUEUE_ORDER = ("queue_band", "due_at", "pk")


def people_named(text: str, *, among: QuerySet[User]) -> QuerySet[User]:
    """Those of `among` whose first or last name holds each word of `text` (any case)."""
    people = among
    for word in text.split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return people


def concerns_of_volunteer(user) -> QuerySet[RiskReport]:
    """ "My concerns": each with the latest outcome message, shown only where the client
    agreed that their volunteer may be told."""
    latest_outcome = Outcome.objects.filter(risk=OuterRef("pk")).order_by("-recorded_at", "-pk")
    may_tell = Consent.objects.active().filter(
        client=OuterRef("client"), scope=ConsentScope.OUTCOME_TO_VOLUNTEER
    )
    # The clients by a second query for the page's rows rather than a join: a volunteer of
    # some years has raised hundreds of concerns, and PostgreSQL joined every one of them
    # by hashing all 50,000 clients (30 ms at scale) before it kept the 20 shown.
    return with_latest_referral(
        RiskReport.objects.reported_by_volunteer(user)
        .select_related("category")
        .prefetch_related("client")
        .annotate(
            outcome_message=Subquery(latest_outcome.values("volunteer_message")[:1]),
            # A scalar subquery with LIMIT 1 rather than EXISTS: PostgreSQL may answer an
            # EXISTS by hashing every such consent of the programme (30,000 at scale) for
            # one page of 20 concerns; this looks up each shown client's consent by index.
            may_tell_volunteer=Coalesce(
                Subquery(may_tell.annotate(yes=Value(True)).values("yes")[:1]), Value(False)
            ),
        )
        .order_by("-reported_at", "-pk")
    )


def waiting_counts_for(user) -> dict[str, int]:
    """What waits for a coordinator or team leader in their areas, counted in one query:
    `new` (reported, nobody has taken it), `urgent` (open and urgent) and `overdue` (past
    its target time and not yet passed on). Each matches a filter of the queue. A count
    stops at WAITING_COUNT_CAP + 1: the home page says "more than 1,000" rather than have
    PostgreSQL walk the ~20,000 index entries of a big area's backlog on every visit."""
    # Three counts of their own rather than one pass with three filters: each is a range of
    # an index (`risk_queue_idx` by status and target time, `risk_open_queue_idx` by band)
    # read without the rows, so PostgreSQL visits only the concerns it counts, about half
    # of the ~40,000 open ones of an area at scale, rather than every open one.
    # The area ids as values (the home page reads the areas anyway), not a subquery: three
    # subqueries of memberships cost more to build and plan than the counts take to run.
    areas = [area.pk for area in staff_areas_today(user)]
    if not areas:
        return {"new": 0, "urgent": 0, "overdue": 0}
    of_areas = RiskReport.objects.filter(area__in=areas)
    counts = {
        "new": of_areas.filter(status=Status.REPORTED),
        "urgent": of_areas.open().filter(queue_band=URGENT_BAND),
        "overdue": of_areas.filter(overdue_q()),
    }
    # One row to hang the three counts on: the person's own.
    return (
        User.objects.filter(pk=user.pk)
        .values(**{name: _CountedUpTo(concerns, WAITING_COUNT_CAP + 1) for name, concerns in counts.items()})
        .get()
    )


WAITING_COUNT_CAP = 1000


class _CountedUpTo(Subquery):
    """How many rows `rows` has, counting no further than `limit`."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"

    def __init__(self, rows: QuerySet, limit: int):
        super().__init__(rows.order_by().values("pk")[:limit], output_field=IntegerField())


def shifts_on_call_now(user) -> QuerySet[OnCallShift]:
    """The shifts this person is on call for now, as team leader or as back-up."""
    return (
        OnCallShift.objects.at(timezone.now())
        .filter(Q(team_leader=user) | Q(backup=user))
        .select_related("area", "team_leader", "backup")
        .order_by("ends_at", "area__name")
    )


def unread_urgent_alerts_for(user) -> QuerySet[Notification]:
    """Alerts about urgent concerns this person has not read yet, newest first."""
    return (
        Notification.objects.filter(recipient=user, kind=Notification.Kind.URGENT_CONCERN)
        .unread()
        .order_by("-created_at", "-pk")
    )


def risk_timeline(risk: RiskReport):
    return risk.events.select_related("actor").order_by("at", "pk")


def directory_areas_of(user) -> QuerySet:
    """The areas whose directory entries `user` keeps: where they work as a coordinator
    (team leaders read the directory but do not change it), as a subquery of area ids."""
    return staff_areas_of(user, roles={Role.COORDINATOR})


def _covers_an_area_of(user) -> Exists:
    return Exists(
        Service.areas.through.objects.filter(service=OuterRef("pk"), area__in=directory_areas_of(user))
    )


def services_editable_by(user) -> QuerySet[Service]:
    """Services this person may change: those covering at least one area where they are a
    coordinator. A subquery rather than a join, so the rows can be locked."""
    return Service.objects.filter(_covers_an_area_of(user))


def services_for(
    *, area=None, search: str = "", category=None, medical: str = "", viewer=None
) -> QuerySet[Service]:
    """Active services, each marked `may_edit` when `viewer` may change it (in the same query)."""
    services = Service.objects.filter(is_active=True).prefetch_related("areas")
    if area:
        services = services.filter(areas=area)
    if category:
        services = services.filter(categories=category)
    if medical in ("yes", "no"):
        services = services.filter(is_medical=(medical == "yes"))
    if search:
        services = services.filter(
            Q(name__icontains=search) | Q(helps_with__icontains=search) | Q(kind__icontains=search)
        )
    if viewer is not None:
        services = services.annotate(may_edit=_covers_an_area_of(viewer))
    else:
        services = services.annotate(may_edit=Value(False))
    return services.distinct().order_by("name")


def on_call_for_areas(areas) -> QuerySet[OnCallShift]:
    """Who is on call now in each of `areas`."""
    return (
        OnCallShift.objects.at(timezone.now())
        .filter(area__in=areas)
        .select_related("area", "team_leader", "backup")
    )


def rota_for(user, *, starting_before=None, starting_from=None) -> QuerySet[OnCallShift]:
    """Shifts of the person's areas that have not ended yet (and start before or from the
    times given), with the names and phone numbers the rota shows."""
    shifts = OnCallShift.objects.filter(area__in=staff_areas_of(user), ends_at__gt=timezone.now())
    if starting_before is not None:
        shifts = shifts.filter(starts_at__lt=starting_before)
    if starting_from is not None:
        shifts = shifts.filter(starts_at__gte=starting_from)
    return (
        shifts.select_related("area", "team_leader", "backup")
        .only(
            "starts_at",
            "ends_at",
            "area__name",
            *(f"{person}__{field}" for person in ("team_leader", "backup") for field in _SHIFT_PERSON),
        )
        .order_by("starts_at", "area__name")
    )


# What the rota shows of a team leader and a back-up.
_SHIFT_PERSON = ("first_name", "last_name", "username", "phone")


def phone_volunteers_of(user: User) -> QuerySet[User]:
    """The volunteers a team leader may record a phone call for: those of their areas."""
    return people_with_role_in(Role.VOLUNTEER, staff_areas_of(user))


def volunteers_to_offer(user: User, search: str, *, limit: int) -> tuple[list[User], bool]:
    """The phone form's first step: the volunteers whose name matches the search (all, with
    none), up to `limit`, and whether there are more. An area's volunteers can run to
    thousands, so they are never all listed."""
    volunteers = phone_volunteers_of(user).order_by("first_name", "last_name", "pk")
    search = search.strip()
    found = list((people_named(search, among=volunteers) if search else volunteers)[: limit + 1])
    return found[:limit], len(found) > limit
