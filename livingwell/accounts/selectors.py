"""Reads about people and places."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from livingwell.accounts.models import Area, AreaMembership, GPPractice, Organisation, User
from livingwell.accounts.roles import STAFF_ROLES, Role


def areas_of(user: User) -> QuerySet[Area]:
    """The areas a person works in today."""
    # IN a subquery of the memberships rather than a join to them, which needs a DISTINCT
    # over whole rows (a person may have worked in an area twice).
    return Area.objects.filter(pk__in=user.area_memberships.current().values("area")).select_related(
        "organisation"
    )


def practices_of(user: User) -> QuerySet[GPPractice]:
    """The GP practices a clinician or meeting chair works at today."""
    return GPPractice.objects.filter(
        pk__in=user.practice_memberships.current().values("practice")
    ).select_related("area")


def staff_areas_of(user: User, *, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[AreaMembership]:
    """The areas where `user` works today as staff (a coordinator or team leader; `roles`
    narrows it, e.g. to coordinators only), as a subquery of area ids for filtering other
    tables in SQL. This is the one place that says who is staff of an area."""
    if not user.is_authenticated or not user.has_role(*roles):
        return AreaMembership.objects.none().values("area")
    return AreaMembership.objects.current().filter(user=user).values("area")


def staff_areas_today(user: User, *, roles: Iterable[str] = STAFF_ROLES) -> list[Area]:
    """The areas where `user` works today as staff, by name, as `staff_areas_of` says, read
    once per request (`User.areas_today`): for a page that shows them, or reads what is in
    them by their ids."""
    if not user.is_authenticated or not user.has_role(*roles):
        return []
    return user.areas_today


def is_staff_of(user: User, area: Area | int, *, roles: Iterable[str] = STAFF_ROLES) -> bool:
    """Whether `user` works today in `area` (an area or its id) as a coordinator or team
    leader (or, with `roles`, in one of those roles)."""
    return staff_areas_of(user, roles=roles).filter(area=area).exists()


def staff_area_ids_of(user: User, *, roles: Iterable[str] = STAFF_ROLES) -> set[int]:
    """The ids of the areas where `user` works today as staff, for checks made in Python."""
    return set(staff_areas_of(user, roles=roles).values_list("area", flat=True))


def people_with_role_in(role: str, areas) -> QuerySet[User]:
    """Active people holding `role` who work today in any of `areas` (areas or area ids).

    Both conditions are EXISTS rather than joins: each person is one row with no DISTINCT
    (the join through every membership of the area cost milliseconds on each concern
    reported), and two of these combined with `|` still list each person once."""
    return User.objects.filter(
        Exists(User.groups.through.objects.filter(user=OuterRef("pk"), group__name=role)),
        Exists(AreaMembership.objects.current().filter(user=OuterRef("pk"), area__in=areas)),
        is_active=True,
    )


def organisations_of(user: User) -> QuerySet[Organisation]:
    """The organisations a person belongs to: those of the areas where they work today, and
    for a manager also the organisation they work for (managers need not work in an area).
    As a subquery of ids."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none().values("pk")
    where = Q(areas__memberships__in=AreaMembership.objects.current().filter(user=user))
    if user.has_role(Role.MANAGER) and user.organisation_id:
        where |= Q(pk=user.organisation_id)
    return Organisation.objects.filter(where).values("pk")


def managed_organisations_of(user: User) -> QuerySet[Organisation]:
    """The organisations this person is a manager of, as a subquery of ids."""
    if not user.is_authenticated or not user.has_role(Role.MANAGER):
        return Organisation.objects.none().values("pk")
    return organisations_of(user)
