"""What the risks app adds to the home page (registered in `RisksConfig.ready()`).

Each function takes the person opening the home page and returns what its template reads
as `panel`, or None when it has nothing to say to them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from livingwell.accounts.roles import STAFF_ROLES, Role
from livingwell.accounts.selectors import areas_of
from risks import selectors
from risks.models import Severity, Status


def _queue_url(**filters) -> str:
    return f"{reverse('risks:queue')}?{urlencode(filters)}"


def on_call_panel(user) -> dict | None:
    """A team leader (or back-up) on call now: until when, and for which areas."""
    if not user.has_role(Role.TEAM_LEADER):
        return None
    shifts = list(selectors.shifts_on_call_now(user))
    return {"shifts": shifts} if shifts else None


def urgent_alerts_panel(user) -> dict | None:
    """Alerts about urgent concerns this person has not read, each a link to the concern."""
    if not user.has_role(*STAFF_ROLES):
        return None
    alerts = list(selectors.unread_urgent_alerts_for(user)[:10])
    return {"alerts": alerts} if alerts else None


def waiting_panel(user) -> dict | None:
    """Counts of what waits for a coordinator or team leader, each linking to the queue
    filtered to exactly those concerns."""
    if not user.has_role(*STAFF_ROLES):
        return None
    counts = selectors.waiting_counts_for(user)
    new, urgent, overdue = counts["new"], counts["urgent"], counts["overdue"]
    return {
        "items": [
            {
                "count": _shown(new),
                "label": f"new concern{_s(new)} that nobody has taken yet",
                "url": _queue_url(status=Status.REPORTED),
            },
            {
                "count": _shown(urgent),
                "label": f"urgent concern{_s(urgent)} still open",
                "url": _queue_url(severity=Severity.URGENT),
            },
            {
                "count": _shown(overdue),
                "label": f"concern{_s(overdue)} past {'its' if overdue == 1 else 'their'} target time",
                "url": _queue_url(overdue=1),
            },
        ],
        "nothing_waits": not any(counts.values()),
    }


def _shown(count: int) -> str:
    if count > selectors.WAITING_COUNT_CAP:
        return f"more than {selectors.WAITING_COUNT_CAP:,}"
    return str(count)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def need_to_talk_panel(user) -> dict | None:
    """For a volunteer: who is on call in their areas now, and how to reach them."""
    if not user.has_role(Role.VOLUNTEER):
        return None
    shifts = list(selectors.on_call_for_areas(areas_of(user)))
    return {"shifts": shifts} if shifts else None
