"""What the reports add to the home page (registered in `ReportsConfig.ready()`)."""

from __future__ import annotations

from livingwell.accounts.roles import Role
from livingwell.reports.periods import DEFAULT_PRESET, PRESETS, preset_period


def reports_panel(user) -> dict | None:
    """A manager's home page starts with their organisation's reports: running them is
    most of what a manager does here. (Coordinators and meeting chairs reach the reports
    from the navigation; their home pages are about the work waiting for them.)"""
    if not user.has_role(Role.MANAGER) or not user.organisation_id:
        return None
    return {
        "organisation": user.organisation.name,
        "period": preset_period(DEFAULT_PRESET),
        "period_name": PRESETS[DEFAULT_PRESET][0],
        "other_periods": [(key, label) for key, (label, _) in PRESETS.items() if key != DEFAULT_PRESET],
    }
