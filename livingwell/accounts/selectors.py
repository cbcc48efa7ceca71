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
