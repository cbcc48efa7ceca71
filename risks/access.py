"""Who may see which risk.

- The volunteer who raised a concern (or for whom a team leader recorded it) sees it and
  its outcome, in plain words; never the staff summary.
- Coordinators and team leaders see the concerns of the areas where they work today.
- Meeting chairs, clinicians and managers have no access to these pages.
"""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404

from risks.models import RiskReport


class RiskPage(StrEnum):
    STAFF = "staff"
    VOLUNTEER = "volunteer"


def get_risk_for(user, pk: int) -> tuple[RiskReport, RiskPage]:
    """The risk and the page this person may see of it, or 404."""
    risks = RiskReport.objects.select_related(
        "client__gp_practice", "area", "category", "reported_by", "on_behalf_of", "owner"
    ).filter(pk=pk)
    risk = risks.in_staff_areas_of(user).first()
    if risk is not None:
        return risk, RiskPage.STAFF
    risk = risks.reported_by_volunteer(user).first() if user.is_authenticated else None
    if risk is not None:
        return risk, RiskPage.VOLUNTEER
    raise Http404("No concern found")
