"""Who may see which volunteer.

Coordinators and team leaders see the volunteers of the areas where they work today; a
volunteer sees only their own profile. Like client access for staff, this follows area
membership directly, so leaving an area ends it at once.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import staff_areas_of
from volunteers.models import Volunteer


def volunteers_visible_to(user):
    return Volunteer.objects.in_areas(staff_areas_of(user))


def get_volunteer_for(user, pk: int) -> Volunteer:
    """A volunteer of one of the person's areas, or 404."""
    return get_object_or_404(volunteers_visible_to(user).select_related("user", "own_gp_practice"), pk=pk)


def get_own_volunteer_profile(user) -> Volunteer:
    if not user.has_role(Role.VOLUNTEER):
        raise Http404("No volunteer profile")
    return get_object_or_404(Volunteer.objects.select_related("user", "own_gp_practice"), user=user)
