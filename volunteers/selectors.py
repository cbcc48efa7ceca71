"""Reads of volunteer data, filtered by permission in the database."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from livingwell.accounts.models import AreaMembership, in_effect_on
from livingwell.accounts.selectors import staff_areas_of
from livingwell.queries import count_of
from volunteers.access import volunteers_visible_to
from volunteers.models import DBSCheck, Volunteer

DBS_RENEWAL_WARNING_DAYS = 60


def _allocations() -> QuerySet:
    """Every allocation, reached through the relation: the clients app builds on this one,
    not the other way round."""
    return Volunteer.allocations.rel.related_model.objects.all()


def with_summary(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Annotate what list pages show: clients visited now and the latest DBS renewal date."""
    latest_dbs = DBSCheck.objects.filter(volunteer=OuterRef("pk")).order_by("-checked_on")
    return (
        volunteers.select_related("user")
        .annotate(
            active_clients=count_of(_allocations().filter(in_effect_on(), volunteer=OuterRef("pk"))),
            dbs_renewal_due_on=Subquery(latest_dbs.values("renewal_due_on")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "user__area_memberships",
                # One person's areas by name: the model's own order adds their username, a
                # join with every user's row that changes nothing here.
                queryset=AreaMembership.objects.current().select_related("area").order_by("area__name"),
                to_attr="current_area_memberships",
            )
        )
    )


def volunteers_for_staff(
    user,
    *,
    area=None,
    skill: str = "",
    status: str = "",
    mdt_opt_in: bool | None = None,
    dbs_renewal_due: bool = False,
    search: str = "",
) -> QuerySet[Volunteer]:
    volunteers = with_summary(volunteers_visible_to(user))
    if area:
        volunteers = volunteers.in_areas([area])
    if skill:
        volunteers = volunteers.filter(skills__contains=[skill])
    if status:
        volunteers = volunteers.filter(status=status)
    if mdt_opt_in is not None:
        volunteers = volunteers.filter(mdt_opt_in=mdt_opt_in)
    if dbs_renewal_due:
        cutoff = timezone.localdate() + datetime.timedelta(days=DBS_RENEWAL_WARNING_DAYS)
        volunteers = volunteers.filter(Q(dbs_renewal_due_on__isnull=True) | Q(dbs_renewal_due_on__lte=cutoff))
    if search:
        volunteers = volunteers.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__username__icontains=search)
        )
    return volunteers.order_by("user__last_name", "user__first_name", "pk")


def volunteer_record(volunteer: Volunteer, viewer) -> Volunteer:
    """The volunteer with what their page shows; their clients only where `viewer` works."""
    return (
        with_summary(Volunteer.objects.filter(pk=volunteer.pk))
        .select_related("own_gp_practice")
        .prefetch_related(
            "dbs_checks",
            Prefetch("training", queryset=volunteer.training.select_related("module")),
            "agreements",
            Prefetch(
                "allocations",
                queryset=volunteer.allocations.filter(
                    in_effect_on(), client__area__in=staff_areas_of(viewer)
                ).select_related("client__gp_practice"),
                to_attr="active_allocations",
            ),
        )
        .get()
    )
