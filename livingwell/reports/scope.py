"""Whose figures a person may see in the reports, decided once per request.

- A manager: every area of their organisations (those they work for, and those of the
  areas where they work).
- A coordinator: the areas they coordinate today.
- A Multi-Disciplinary Team meeting chair: their practices' meeting figures only.
Volunteers, clinicians and team leaders have no reports (volunteers see "Your difference"
on their home page instead). Managers and meeting chairs see small numbers suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from livingwell.accounts.models import Area, GPPractice, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import managed_organisations_of, practices_of, staff_areas_of


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: `areas` (all a person may see, or the ones they chose of those),
    and for a meeting chair `practices`, which narrows it to Multi-Disciplinary Team figures
    of clients registered there."""

    areas: tuple[Area, ...]
    practices: tuple[GPPractice, ...] = ()
    suppress_small_numbers: bool = True

    @property
    def area_ids(self) -> list[int]:
        return [area.pk for area in self.areas]

    @property
    def practice_ids(self) -> list[int]:
        return [practice.pk for practice in self.practices]

    @property
    def mdt_only(self) -> bool:
        return bool(self.practices)

    def narrowed_to(self, area_ids) -> ReportScope:
        """The same scope over some of its areas. Ids not in scope (or not ids at all) are
        ignored: when none is left, the scope stays whole."""
        wanted = {str(pk) for pk in area_ids}
        areas = tuple(area for area in self.areas if str(area.pk) in wanted) or self.areas
        practices = tuple(p for p in self.practices if p.area_id in {a.pk for a in areas})
        return ReportScope(areas, practices, suppress_small_numbers=self.suppress_small_numbers)


def may_see_reports(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.MANAGER, Role.COORDINATOR, Role.MDT_CHAIR)


def suppresses_small_numbers(user: User) -> bool:
    """Whether small numbers are suppressed in what `user` sees and exports: for managers
    and meeting chairs (if any of their roles needs it)."""
    return user.has_role(Role.MANAGER, Role.MDT_CHAIR)


def report_scope_for(user: User) -> ReportScope | None:
    """The widest scope `user` may see, or None if they have no reports. Someone with
    several roles sees the union; suppression applies if any of their roles needs it."""
    if not may_see_reports(user):
        return None
    area_ids: set[int] = set()
    if user.has_role(Role.MANAGER):
        organisation_areas = Area.objects.filter(organisation__in=managed_organisations_of(user))
        area_ids |= set(organisation_areas.values_list("pk", flat=True))
    if user.has_role(Role.COORDINATOR):
        area_ids |= set(staff_areas_of(user, roles=[Role.COORDINATOR]).values_list("area", flat=True))
    practices: tuple[GPPractice, ...] = ()
    if not area_ids and user.has_role(Role.MDT_CHAIR):
        practices = tuple(practices_of(user))
        area_ids = {practice.area_id for practice in practices}
    if not area_ids:
        return None
    areas = tuple(Area.objects.filter(pk__in=area_ids).select_related("organisation").order_by("name"))
    suppress = suppresses_small_numbers(user)
    return ReportScope(areas=areas, practices=practices, suppress_small_numbers=suppress)
