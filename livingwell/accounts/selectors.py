"""Reads about people and places."""

from django.db.models import QuerySet

from livingwell.accounts.models import Area, GPPractice, User


def areas_of(user: User) -> QuerySet[Area]:
    """The areas a person works in today."""
    return (
        Area.objects.filter(memberships__in=user.area_memberships.current())
        .select_related("organisation")
        .distinct()
    )


def practices_of(user: User) -> QuerySet[GPPractice]:
    """The GP practices a clinician or meeting chair works at today."""
    return (
        GPPractice.objects.filter(memberships__in=user.practice_memberships.current())
        .select_related("area")
        .distinct()
    )


def staff_areas_of(user: User):
    """The areas where `user` works today as a coordinator or team leader, as a subquery
    of area ids for filtering other tables in SQL."""
    from livingwell.accounts.models import AreaMembership
    from livingwell.accounts.roles import Role

    if not user.is_authenticated or not user.has_role(Role.COORDINATOR, Role.TEAM_LEADER):
        return AreaMembership.objects.none().values("area")
    return AreaMembership.objects.current().filter(user=user).values("area")


def people_with_role_in(role: str, areas) -> QuerySet[User]:
    """Active people holding `role` who work today in any of `areas` (areas or area ids)."""
    from livingwell.accounts.models import AreaMembership

    return User.objects.filter(
        is_active=True,
        groups__name=role,
        area_memberships__in=AreaMembership.objects.current().filter(area__in=areas),
    ).distinct()
