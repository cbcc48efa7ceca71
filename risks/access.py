"""Who may see which risk.

- The volunteer who raised a concern (or for whom a team leader recorded it) sees it and
  its outcome, in plain words; never the staff summary.
- Coordinators and team leaders see the concerns of the areas where they work today.
- Meeting chairs, clinicians and managers have no access to these pages. The chair of a
  Multi-Disciplinary Team meeting discussing a client may pass that client's concerns on
  and record their outcomes (from the meeting's pages), while they hold the client's summary.
- The directory is read by volunteers and staff; a coordinator changes the services that
  cover one of the areas where they work, and only those areas of each service.
- The on-call rota of an area is read by its coordinators and team leaders; its
  coordinators change it.

Views never check these rules themselves: they call the getter of the object they take
an id for. Each answers 404 to anybody who may not have it, never revealing whether it exists.
"""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404

from clients.access import holds_mdt_summary
from livingwell.accounts.models import User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import is_staff_of, staff_areas_of
from risks.models import OnCallShift, RiskReport, Service
from risks.selectors import services_editable_by


class RiskPage(StrEnum):
    STAFF = "staff"
    VOLUNTEER = "volunteer"


def get_risk_for(user, pk: int) -> tuple[RiskReport, RiskPage]:
    """The risk and the page this person may see of it, or 404."""
    # The people are read apart, by primary key: joining the user table three more times
    # makes PostgreSQL spend far longer planning the query (tens of milliseconds, with the
    # access check's subquery) than running it.
    risks = RiskReport.objects.select_related("client__gp_practice", "area", "category").filter(pk=pk)
    if risk := list(risks.in_staff_areas_of(user).order_by()[:1]):
        return _with_people(risk[0]), RiskPage.STAFF
    if user.is_authenticated and (risk := list(risks.reported_by_volunteer(user).order_by()[:1])):
        return _with_people(risk[0]), RiskPage.VOLUNTEER
    raise Http404("No concern found")


def _with_people(risk: RiskReport) -> RiskReport:
    """`risk` with whoever reported it, recorded it for them and owns it, in one query."""
    people = User.objects.in_bulk({risk.reported_by_id, risk.on_behalf_of_id, risk.owner_id} - {None})
    risk.reported_by = people[risk.reported_by_id]
    risk.on_behalf_of = people.get(risk.on_behalf_of_id)
    risk.owner = people.get(risk.owner_id)
    return risk


def may_act_on(user, risk: RiskReport) -> bool:
    """Whether `user` may pass `risk` on or record its outcome: staff of its area, or a
    Multi-Disciplinary Team meeting chair who holds the summary of its client now (granted
    while the client is on an agenda they chair, with the client's consent)."""
    if is_staff_of(user, risk.area_id):
        return True
    return user.has_role(Role.MDT_CHAIR) and holds_mdt_summary(user, risk.client_id)


def get_service_for_edit(user, pk: int) -> Service:
    """A directory service this person may change (it covers one of the areas where they
    are a coordinator), or 404."""
    service = services_editable_by(user).filter(pk=pk).first()
    if service is None:
        raise Http404("No service found")
    return service


def get_shift_for(user, pk: int) -> OnCallShift:
    """An on-call shift of an area where this person is a coordinator or team leader, or 404."""
    shift = (
        OnCallShift.objects.filter(pk=pk, area__in=staff_areas_of(user))
        .select_related("area", "team_leader", "backup")
        .first()
    )
    if shift is None:
        raise Http404("No shift found")
    return shift
