"""What the reports add to the home page (registered in `ReportsConfig.ready()`)."""

from __future__ import annotations

from livingwell.accounts.models import Organisation
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import managed_organisations_of
from livingwell.reports.difference import your_difference
from livingwell.reports.periods import DEFAULT_PRESET, PRESETS, preset_period


def reports_panel(user) -> dict | None:
    """A manager's home page starts with their organisation's reports: running them is
    most of what a manager does here. (Coordinators and meeting chairs reach the reports
    from the navigation; their home pages are about the work waiting for them.) One query."""
    if not user.has_role(Role.MANAGER):
        return None
    names = list(
        Organisation.objects.filter(pk__in=managed_organisations_of(user)).values_list("name", flat=True)
    )
    if not names:
        return None
    return {
        "organisations": " and ".join(names),
        "period": preset_period(DEFAULT_PRESET),
        "period_name": PRESETS[DEFAULT_PRESET][0],
        "other_periods": [(key, label) for key, (label, _) in PRESETS.items() if key != DEFAULT_PRESET],
    }


def your_difference_panel(user) -> dict | None:
    """For a volunteer: what the concerns they raised this year led to. Always shown to
    them (with an encouraging word when there is nothing yet), to nobody else."""
    if not user.has_role(Role.VOLUNTEER):
        return None
    difference = your_difference(user)
    return {"difference": difference, "sentences": difference.sentences()}
