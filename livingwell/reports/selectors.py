"""Every figure in the reports, computed in PostgreSQL: one statement per table, whatever
the number of concerns. Nothing here loops over concerns in Python.

The journey of a concern is counted over the concerns *reported* in the period, and only
what happened to them up to the period's cutoff (its end, or now) counts, so a past period
gives the same figures whenever it is run. Each step is timed to the first time it was
reached: a concern that was reopened keeps its first outcome.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from livingwell.accounts.models import AreaMembership, Route
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.scope import ReportScope
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceResponse,
    AttendanceRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from risks.models import Outcome, OutcomeKind, Referral, RiskCategory, RiskReport, Service, Severity
from volunteers.models import Volunteer

COFFEE_MORNING_OWNER_WITHIN = datetime.timedelta(days=2)


@dataclass(frozen=True)
class ConcernFilter:
    """Which concerns a report counts: those of `area_ids`; with `practice_ids`, only
    those of clients registered at those practices; with `routes`, only those routes."""

    area_ids: tuple[int, ...]
    practice_ids: tuple[int, ...] = ()
    routes: tuple[str, ...] = ()

    @classmethod
    def of_scope(cls, scope: ReportScope) -> ConcernFilter:
        if scope.mdt_only:
            return cls(tuple(scope.area_ids), tuple(scope.practice_ids), (Route.MDT,))
        return cls(tuple(scope.area_ids))

    def concerns(self):
        """The concerns, as a queryset (any period)."""
        concerns = RiskReport.objects.filter(area_id__in=self.area_ids)
        if self.practice_ids:
            concerns = concerns.filter(client__gp_practice_id__in=self.practice_ids)
        if self.routes:
            concerns = concerns.filter(route__in=self.routes)
        return concerns

    def meetings(self):
        """Meetings of the areas; with practices, only those practices' MDT meetings."""
        meetings = Meeting.objects.filter(area_id__in=self.area_ids)
        if self.practice_ids:
            meetings = meetings.filter(kind=MeetingKind.MDT, practice_id__in=self.practice_ids)
        return meetings

    def client_join(self) -> str:
        """The join `sql()` needs: the clients, when their practice decides (only then, so that
        a programme's figures are not held up joining every concern to its client)."""
        return "JOIN clients_client AS c ON c.id = r.client_id" if self.practice_ids else ""

    def sql(self, alias: str = "r") -> tuple[str, dict]:
        """The same filter as SQL over `risks_riskreport` (and `clients_client` as `c`)."""
        conditions = [f"{alias}.area_id = ANY(%(area_ids)s)"]
        params: dict = {"area_ids": list(self.area_ids)}
        if self.practice_ids:
            conditions.append("c.gp_practice_id = ANY(%(practice_ids)s)")
            params["practice_ids"] = list(self.practice_ids)
        if self.routes:
            conditions.append(f"{alias}.route = ANY(%(routes)s)")
            params["routes"] = list(self.routes)
        return " AND ".join(conditions), params


# --- The journey of a concern ----------------------------------------------------------------


@dataclass
class Journey:
    """The journey figures of one group of concerns. Durations are in hours; None where no
    concern of the group reached that step."""

    concerns: int = 0
    seen_to_reported: tuple[float | None, float | None] = (None, None)
    to_first_action: tuple[float | None, float | None] = (None, None)
    to_escalation: tuple[float | None, float | None] = (None, None)
    to_outcome: tuple[float | None, float | None] = (None, None)
    acted_on: int = 0
    escalated: int = 0
    with_outcome: int = 0
    # Concerns that can be judged against their target: acted on, or due by the cutoff.
    judged: int = 0
    within_target: int = 0
    open_at_end: int = 0
    reopened: int = 0
    overdue_now: int = 0


@dataclass
class JourneyFigures:
    total: Journey
    by_route: dict[str, Journey] = field(default_factory=dict)
    by_area: dict[int, Journey] = field(default_factory=dict)


_JOURNEY_SQL = """
WITH scoped AS (
    SELECT r.id, r.area_id, r.route, r.observed_at, r.reported_at, r.due_at
    FROM risks_riskreport AS r
    {client_join}
    WHERE {where} AND r.reported_at >= %(starts_at)s AND r.reported_at < %(ends_at)s
),
journeys AS (
    SELECT s.area_id, s.route, st.first_action_at, st.status_at_cutoff, st.reopenings,
           s.reported_at + (s.due_at - coalesce(st.last_reopened_at, s.reported_at)) AS due_at,
           -- A phone's clock a few minutes fast can put the sighting just after the report.
           greatest(extract(epoch FROM s.reported_at - s.observed_at) / 3600, 0) AS seen_hours,
           extract(epoch FROM st.first_action_at - s.reported_at) / 3600 AS action_hours,
           extract(epoch FROM st.escalated_at - s.reported_at) / 3600 AS escalation_hours,
           extract(epoch FROM st.outcome_at - s.reported_at) / 3600 AS outcome_hours
    FROM scoped AS s
    -- Each concern's own few events, read through the index on their concern: cheaper than
    -- grouping every event of the period's concerns when a period holds tens of thousands.
    LEFT JOIN LATERAL (
        SELECT min(e.at) FILTER (WHERE e.from_status <> '' AND e.at < %(cutoff)s) AS first_action_at,
               min(e.at) FILTER (WHERE e.to_status = 'escalated' AND e.at < %(cutoff)s) AS escalated_at,
               min(e.at) FILTER (WHERE e.to_status = 'outcome_recorded' AND e.at < %(cutoff)s) AS outcome_at,
               (array_agg(e.to_status ORDER BY e.at DESC, e.id DESC) FILTER (WHERE e.at < %(cutoff)s))[1]
                   AS status_at_cutoff,
               count(*) FILTER (WHERE e.at < %(cutoff)s AND {reopening}) AS reopenings,
               -- Reopening a concern makes it due again from then (its target counted from
               -- the reopening): its first due time is the report plus that same target.
               max(e.at) FILTER (WHERE {reopening}) AS last_reopened_at
        FROM risks_riskevent AS e
        WHERE e.risk_id = s.id
    ) AS st ON true
)
SELECT GROUPING(route, area_id) AS grouping, route, area_id,
       count(*) AS concerns,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seen_hours),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY seen_hours),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY action_hours),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY action_hours),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY escalation_hours),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY escalation_hours),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY outcome_hours),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY outcome_hours),
       count(action_hours), count(escalation_hours), count(outcome_hours),
       count(*) FILTER (WHERE first_action_at IS NOT NULL OR due_at <= %(cutoff)s),
       count(*) FILTER (WHERE first_action_at <= due_at),
       count(*) FILTER (WHERE status_at_cutoff NOT IN ('outcome_recorded', 'closed')),
       count(*) FILTER (WHERE reopenings > 0)
FROM journeys
GROUP BY GROUPING SETS ((route), (area_id), ())
"""

_REOPENING = (
    "e.from_status IN ('outcome_recorded', 'closed') AND e.to_status NOT IN ('outcome_recorded', 'closed')"
)

# Concerns waiting past their due time, per area and route. Each (area, route) is one range
# of the index of waiting concerns (`risk_waiting_due_idx`), counted from the index alone:
# tens of thousands of entries, not a visit to each concern's row.
_OVERDUE_SQL = """
SELECT a.id, rt.route,
       (SELECT count(*) FROM risks_riskreport AS r
        WHERE r.area_id = a.id AND r.route = rt.route
              AND r.status IN ('reported', 'triaged') AND r.due_at < %(now)s)
FROM unnest(%(area_ids)s::bigint[]) AS a(id) CROSS JOIN unnest(%(routes)s::text[]) AS rt(route)
"""

# With practices, the client's practice decides too.
_OVERDUE_AT_PRACTICES_SQL = """
SELECT r.area_id, r.route, count(*)
FROM risks_riskreport AS r
JOIN clients_client AS c ON c.id = r.client_id
WHERE {where} AND r.status IN ('reported', 'triaged') AND r.due_at < %(now)s
GROUP BY r.area_id, r.route
"""

# GROUPING(route, area_id): 1 when grouped by route, 2 by area, 3 over everything.
_BY_ROUTE, _BY_AREA, _TOTAL = 1, 2, 3


def journey_figures(concerns: ConcernFilter, period: ReportPeriod, *, now=None) -> JourneyFigures:
    """How many concerns, how long each step took (median and 90th percentile), how many
    were acted on within the target for their severity, how many were still open at the
    period's end, and how many are overdue now; per route, per area and in all. Two
    statements."""
    now = now or timezone.now()
    return count_overdue_now(journey_through_period(concerns, period, now=now), concerns, now=now)


def journey_through_period(concerns: ConcernFilter, period: ReportPeriod, *, now=None) -> JourneyFigures:
    """The journey figures that only what happened up to the period's cutoff decides (all
    but "overdue now"). One statement."""
    now = now or timezone.now()
    where, params = concerns.sql()
    params |= {"starts_at": period.starts_at, "ends_at": period.ends_at, "cutoff": period.cutoff(now)}
    figures = JourneyFigures(total=Journey())
    with connection.cursor() as cursor:
        cursor.execute(
            _JOURNEY_SQL.format(where=where, client_join=concerns.client_join(), reopening=_REOPENING), params
        )
        for grouping, route, area_id, count, *rest in cursor.fetchall():
            journey = Journey(
                concerns=count,
                seen_to_reported=(rest[0], rest[1]),
                to_first_action=(rest[2], rest[3]),
                to_escalation=(rest[4], rest[5]),
                to_outcome=(rest[6], rest[7]),
                acted_on=rest[8],
                escalated=rest[9],
                with_outcome=rest[10],
                judged=rest[11],
                within_target=rest[12],
                open_at_end=rest[13],
                reopened=rest[14],
            )
            _place(figures, grouping, route, area_id, journey)
    return figures


def count_overdue_now(figures: JourneyFigures, concerns: ConcernFilter, *, now=None) -> JourneyFigures:
    """Adds to `figures` the concerns waiting past their due time now, whenever they were
    reported: per route, per area and in all. One statement."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        if concerns.practice_ids:
            where, params = concerns.sql()
            cursor.execute(_OVERDUE_AT_PRACTICES_SQL.format(where=where), params | {"now": now})
        else:
            routes = list(concerns.routes or Route.values)
            cursor.execute(_OVERDUE_SQL, {"area_ids": list(concerns.area_ids), "routes": routes, "now": now})
        counts = [(area_id, route, overdue) for area_id, route, overdue in cursor.fetchall() if overdue]
    by_route: Counter[str] = Counter()
    by_area: Counter[int] = Counter()
    for area_id, route, overdue in counts:
        by_route[route] += overdue
        by_area[area_id] += overdue
    # As when grouped in the database: a route or area gets figures of its own only when
    # something of it is overdue, so none is listed just to say 0.
    for route, overdue in by_route.items():
        _journey_at(figures, _BY_ROUTE, route, None).overdue_now = overdue
    for area_id, overdue in by_area.items():
        _journey_at(figures, _BY_AREA, None, area_id).overdue_now = overdue
    figures.total.overdue_now = by_route.total()
    return figures


def _place(figures: JourneyFigures, grouping: int, route, area_id, journey: Journey) -> None:
    if grouping == _BY_ROUTE:
        figures.by_route[route] = journey
    elif grouping == _BY_AREA:
        figures.by_area[area_id] = journey
    else:
        figures.total = journey


def _journey_at(figures: JourneyFigures, grouping: int, route, area_id) -> Journey:
    if grouping == _BY_ROUTE:
        return figures.by_route.setdefault(route, Journey())
    if grouping == _BY_AREA:
        return figures.by_area.setdefault(area_id, Journey())
    return figures.total


# --- What the concerns were about, and what came of them --------------------------------------


def concerns_by_category(concerns: ConcernFilter, period: ReportPeriod) -> list[dict]:
    """Per category: its name and group, and the number of concerns of each severity."""
    by_severity = {severity: Count("pk", filter=Q(severity=severity)) for severity in Severity.values}
    return list(
        concerns.concerns()
        .filter(reported_at__gte=period.starts_at, reported_at__lt=period.ends_at)
        .values("category_id", "category__name", "category__group", "category__position")
        .annotate(total=Count("pk"), **by_severity)
        .order_by("category__group", "category__position", "category__name")
    )


def outcomes_by_kind(concerns: ConcernFilter, period: ReportPeriod) -> dict[str, int]:
    """Outcomes recorded in the period, per kind (every kind present, zeros included)."""
    counts = dict(
        Outcome.objects.filter(
            risk__in=concerns.concerns(), recorded_at__gte=period.starts_at, recorded_at__lt=period.ends_at
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in OutcomeKind.values}


def referrals_by_service_kind(concerns: ConcernFilter, period: ReportPeriod) -> list[dict]:
    """Referrals made in the period, per kind of service, medical and non-medical; referrals
    to a named key worker with no service are their own row (`service__kind` None)."""
    return list(
        Referral.objects.filter(
            risk__in=concerns.concerns(), made_at__gte=period.starts_at, made_at__lt=period.ends_at
        )
        .values("service__kind", "service__is_medical")
        .annotate(referrals=Count("pk"))
        .order_by(F("service__is_medical").desc(nulls_last=True), "service__kind")
    )


# --- Volunteers and meetings -----------------------------------------------------------------


@dataclass
class VolunteerFigures:
    active: int
    reporting: int
    concerns: int
    good_news_with_detail: int
    good_news_thanks_only: int
    mdt_opted_in: int


def volunteer_figures(concerns: ConcernFilter, period: ReportPeriod) -> VolunteerFigures:
    """Volunteers working in the areas at any time in the period and still active; how
    many raised a concern; the good news they were sent (with the detail, or thanks only
    because the client had not agreed)."""
    memberships = AreaMembership.objects.filter(
        area_id__in=concerns.area_ids, started_on__lte=period.end
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=period.start))
    volunteers = Volunteer.objects.active().filter(user__area_memberships__in=memberships)
    active = volunteers.aggregate(
        active=Count("pk", distinct=True),
        mdt_opted_in=Count("pk", distinct=True, filter=Q(mdt_opt_in=True)),
    )
    in_period = concerns.concerns().filter(reported_at__gte=period.starts_at, reported_at__lt=period.ends_at)
    raised = in_period.aggregate(
        concerns=Count("pk"),
        # The volunteer is the person a team leader reported for, or else the reporter.
        reporting=Count(Coalesce("on_behalf_of", "reported_by"), distinct=True),
    )
    news = Outcome.objects.filter(
        risk__in=concerns.concerns(), recorded_at__gte=period.starts_at, recorded_at__lt=period.ends_at
    ).aggregate(
        with_detail=Count("pk", filter=Q(volunteer_told_detail=True)),
        thanks_only=Count("pk", filter=Q(volunteer_told_detail=False)),
    )
    return VolunteerFigures(
        active=active["active"],
        reporting=raised["reporting"],
        concerns=raised["concerns"],
        good_news_with_detail=news["with_detail"],
        good_news_thanks_only=news["thanks_only"],
        mdt_opted_in=active["mdt_opted_in"],
    )


@dataclass
class MeetingFigures:
    """Per meeting kind: meetings held, cancelled, items discussed (a concern, or at a
    Multi-Disciplinary Team meeting a client with no concern), and attendances by
    volunteers and clinicians, with how many meetings a clinician came to."""

    held: int = 0
    cancelled: int = 0
    items: int = 0
    items_presented_by_volunteers: int = 0
    volunteer_attendances: int = 0
    clinician_attendances: int = 0
    held_with_a_clinician: int = 0


def meeting_figures(concerns: ConcernFilter, period: ReportPeriod) -> dict[str, MeetingFigures]:
    """Meetings that started in the period, per kind (every kind present)."""
    attended = Q(attendances__response=AttendanceResponse.ATTENDED)
    held = Q(status__in=[MeetingStatus.HELD, MeetingStatus.FINALISED])
    clinician_came = Attendance.objects.filter(
        meeting=OuterRef("pk"), role=AttendanceRole.CLINICIAN, response=AttendanceResponse.ATTENDED
    )
    meetings = concerns.meetings().filter(starts_at__gte=period.starts_at, starts_at__lt=period.ends_at)
    rows = (
        meetings.annotate(clinician_came=Exists(clinician_came))
        .values("kind")
        .annotate(
            held=Count("pk", filter=held, distinct=True),
            cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED), distinct=True),
            held_with_a_clinician=Count("pk", filter=held & Q(clinician_came=True), distinct=True),
            volunteer_attendances=Count(
                "attendances", filter=attended & Q(attendances__role=AttendanceRole.VOLUNTEER), distinct=True
            ),
            clinician_attendances=Count(
                "attendances", filter=attended & Q(attendances__role=AttendanceRole.CLINICIAN), distinct=True
            ),
        )
        .order_by()
    )
    figures = {kind: MeetingFigures() for kind in MeetingKind.values}
    for row in rows:
        kind = row.pop("kind")
        figures[kind] = MeetingFigures(**row)
    items = (
        AgendaItem.objects.filter(meeting__in=meetings.filter(held))
        .values("meeting__kind")
        .annotate(items=Count("pk"), by_volunteers=Count("pk", filter=Q(presented_by_volunteer=True)))
        .order_by()
    )
    for row in items:
        figures[row["meeting__kind"]].items = row["items"]
        figures[row["meeting__kind"]].items_presented_by_volunteers = row["by_volunteers"]
    return figures


@dataclass
class CoffeeMorningFigures:
    concerns: int
    owned_within_two_days: int


def coffee_morning_figures(concerns: ConcernFilter, period: ReportPeriod) -> CoffeeMorningFigures:
    """Concerns raised at coffee mornings in the period, and how many had an action with an
    owner agreed within two days of being raised."""
    owned_in_time = Action.objects.filter(
        item__risk=OuterRef("pk"), created_at__lte=OuterRef("reported_at") + COFFEE_MORNING_OWNER_WITHIN
    )
    figures = (
        concerns.concerns()
        .filter(route=Route.COFFEE_MORNING, reported_at__gte=period.starts_at, reported_at__lt=period.ends_at)
        .annotate(owned_in_time=Exists(owned_in_time))
        .aggregate(concerns=Count("pk"), owned=Count("pk", filter=Q(owned_in_time=True)))
    )
    return CoffeeMorningFigures(concerns=figures["concerns"], owned_within_two_days=figures["owned"])


# Names for the labels of rows, read once per report.
def category_names() -> dict[int, str]:
    return dict(RiskCategory.objects.values_list("pk", "name"))


SERVICE_KIND_LABELS = dict(Service.Kind.choices)
