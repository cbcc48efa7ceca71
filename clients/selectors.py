"""Reads of client data, filtered by permission in the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from clients.models import Allocation, Client, is_nhs_number_shape, normalise_nhs_number
from livingwell.accounts.selectors import staff_area_ids_of
from livingwell.dates import A_YEAR
from livingwell.queries import count_of
from volunteers.models import Skill, Volunteer


class PagedByKeys:
    """A list for the paginator that reads one page in two steps: the page's keys by their
    OFFSET in the list's order (which an index gives without reading or sorting the rows),
    then those rows with what they show. A deep page then costs about what the first does:
    an OFFSET over the whole rows would build, annotate and sort every row before it."""

    def __init__(self, rows: QuerySet):
        self.rows = rows

    def count(self) -> int:
        return self.rows.values("pk").count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice):
            raise TypeError("Read a page of the list: a slice.")
        return list(self.rows.filter(pk__in=self.rows.values("pk")[index]))


def clients_for_staff(
    user, *, search: str = "", area=None, practice=None, status: str = ""
) -> QuerySet[Client]:
    """The clients of the areas where `user` is staff, in name order. The areas are read
    first, so that for one area PostgreSQL walks `client_area_order_idx` in order (it cannot
    know that a subquery of areas yields one)."""
    clients = (
        Client.objects.filter(area__in=staff_area_ids_of(user))
        .select_related("gp_practice", "area")
        .annotate(active_allocation_count=count_of(Allocation.objects.active().filter(client=OuterRef("pk"))))
    )
    if search:
        digits = normalise_nhs_number(search)
        query = (
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(preferred_name__icontains=search)
            | Q(postcode__icontains=search)
        )
        for word in search.split():
            query |= Q(first_name__iexact=word) | Q(last_name__iexact=word)
        if is_nhs_number_shape(digits):
            query |= Q(nhs_number=digits)
        if digits.isascii() and digits.isdigit():
            query |= Q(phone__contains=search)
        clients = clients.filter(query)
    if area:
        clients = clients.filter(area=area)
    if practice:
        clients = clients.filter(gp_practice=practice)
    if status:
        clients = clients.filter(status=status)
    return clients.order_by("last_name", "first_name", "pk")


def clients_of_volunteer(user) -> QuerySet[Client]:
    """The volunteer's own clients, for "My clients"."""
    return (
        Client.objects.allocated_to(user)
        .filter(status=Client.Status.ACTIVE)
        .select_related("gp_practice", "area")
        .order_by("last_name", "first_name")
    )


def client_record(client: Client) -> Client:
    """The client with what the full record page shows, in a fixed number of queries."""
    return (
        Client.objects.filter(pk=client.pk)
        .select_related("gp_practice", "area", "created_by")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("volunteer__user", "allocated_by", "ended_by"),
            ),
            Prefetch("consents", queryset=client.consents.select_related("recorded_by", "withdrawn_by")),
        )
        .get()
    )


def who_has_looked(client: Client, limit: int = 25) -> QuerySet[LogEntry]:
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Client),
            object_pk=str(client.pk),
            action=LogEntry.Action.ACCESS,
        )
        .select_related("actor")
        .order_by("-timestamp")[:limit]
    )


@dataclass
class Suggestion:
    volunteer: Volunteer
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def allocation_suggestions(client: Client, limit: int = 10) -> list[Suggestion]:
    """The area's active volunteers, best match first, each with the reasons.

    Ranked in SQL by: already visits clients of the same GP practice (one Multi-Disciplinary
    Team meeting, not three), has room for another client, skills that match the help the
    client wants, and willingness to attend meetings where the practice welcomes volunteers.
    """
    active = Allocation.objects.active().filter(volunteer=OuterRef("pk"))
    welcomes = client.gp_practice.mdt_welcomes_volunteers
    volunteers = (
        Volunteer.objects.active()
        .in_areas([client.area])
        .exclude(Exists(active.filter(client=client)))
        .select_related("user", "own_gp_practice")
        .annotate(
            active_clients=count_of(active),
            same_practice_clients=count_of(active.filter(client__gp_practice=client.gp_practice)),
            skill_matches=RawSQL(
                "cardinality(ARRAY(SELECT unnest(volunteers_volunteer.skills) "
                "INTERSECT SELECT unnest(%s::varchar[])))",
                (list(client.support_wanted),),
            ),
        )
        .annotate(
            has_room=Case(
                When(active_clients__lt=F("capacity"), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            shares_practice=Case(
                When(same_practice_clients__gt=0, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            mdt_fit=Value(1 if welcomes else 0)
            * Case(When(mdt_opt_in=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by(
            F("shares_practice").desc(),
            F("has_room").desc(),
            F("skill_matches").desc(),
            F("mdt_fit").desc(),
            "active_clients",
            "user__last_name",
        )[:limit]
    )
    return [_explain(volunteer, client) for volunteer in volunteers]


def _explain(volunteer: Volunteer, client: Client) -> Suggestion:
    suggestion = Suggestion(volunteer)
    practice = client.gp_practice
    if volunteer.same_practice_clients:
        count = volunteer.same_practice_clients
        suggestion.reasons.append(
            f"Already visits {count} client{'s' if count != 1 else ''} registered at {practice.name}, "
            "so one practice meeting covers them all"
        )
    if volunteer.has_room:
        room = volunteer.capacity - volunteer.active_clients
        suggestion.reasons.append(f"Has room for {room} more client{'s' if room != 1 else ''}")
    else:
        suggestion.warnings.append(f"Already visits {volunteer.active_clients}, their stated limit")
    if volunteer.skill_matches:
        matching = [Skill(skill).label for skill in volunteer.skills if skill in client.support_wanted]
        suggestion.reasons.append("Skills that match: " + ", ".join(matching))
    if volunteer.mdt_fit:
        suggestion.reasons.append(f"Willing to attend {practice.name}'s Multi-Disciplinary Team meeting")
    if volunteer.own_gp_practice_id == practice.pk:
        suggestion.warnings.append(
            f"Is registered as a patient at {practice.name}: a possible conflict of interest at its meetings"
        )
    return suggestion


def clients_for_saved_reports(user) -> QuerySet[Client]:
    """The clients a report kept on this volunteer's phone may be about: those with an
    allocation of theirs in effect at some point in the last year. Wider than the clients
    they visit today, so that a report about a client whose visits ended while the phone
    had no signal reaches `risks.services.risk_report`, which decides by the day it was seen."""
    since = timezone.localdate() - A_YEAR
    visited = Allocation.objects.filter(client=OuterRef("pk"), volunteer__user=user).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=since)
    )
    return Client.objects.filter(Exists(visited)).order_by("last_name", "first_name", "pk")
