"""Reads of risks, filtered by permission in the database."""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from clients.models import Consent, ConsentScope
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import staff_areas_of
from risks.models import OnCallShift, Outcome, RiskReport, Service, Severity

URGENT_FIRST = Case(
    When(severity=Severity.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def triage_queue(
    user, *, area=None, category=None, severity: str = "", status: str = "", route: str = "", volunteer=None
) -> QuerySet[RiskReport]:
    """Open concerns of the person's areas: urgent first, then by how far past (or near)
    their target time they are."""
    risks = (
        RiskReport.objects.open()
        .filter(area__in=staff_areas_of(user))
        .select_related("client", "category", "area", "reported_by", "on_behalf_of", "owner")
        .annotate(urgent_first=URGENT_FIRST)
    )
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
    return risks.order_by("urgent_first", "due_at", "pk")


def concerns_of_volunteer(user) -> QuerySet[RiskReport]:
    """ "My concerns": each with the latest outcome message, shown only where the client
    agreed that their volunteer may be told."""
    latest_outcome = Outcome.objects.filter(risk=OuterRef("pk")).order_by("-recorded_at", "-pk")
    may_tell = Consent.objects.active().filter(
        client=OuterRef("client"), scope=ConsentScope.OUTCOME_TO_VOLUNTEER
    )
    return (
        RiskReport.objects.reported_by_volunteer(user)
        .select_related("client", "category")
        .annotate(
            outcome_message=Subquery(latest_outcome.values("volunteer_message")[:1]),
            may_tell_volunteer=Exists(may_tell),
        )
        .order_by("-reported_at", "-pk")
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


def rota_for(user) -> QuerySet[OnCallShift]:
    """Shifts of the person's areas that have not ended yet."""
    return (
        OnCallShift.objects.filter(area__in=staff_areas_of(user), ends_at__gt=timezone.now())
        .select_related("area", "team_leader", "backup")
        .order_by("starts_at", "area__name")
    )
