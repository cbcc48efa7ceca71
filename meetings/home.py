"""What the meetings app adds to the home page (registered in `MeetingsConfig.ready()`)."""

from __future__ import annotations

from livingwell.accounts.roles import Role
from meetings import selectors


def next_meetings_panel(user) -> dict | None:
    """The next meetings a chair, clinician, coordinator or volunteer is at. Chairs and
    clinicians always get the panel (their home page is about their meetings)."""
    if not user.has_role(Role.MDT_CHAIR, Role.CLINICIAN, Role.COORDINATOR, Role.TEAM_LEADER, Role.VOLUNTEER):
        return None
    meetings = selectors.next_meetings_of(user)
    always = user.has_role(Role.MDT_CHAIR, Role.CLINICIAN)
    if not meetings and not always:
        return None
    return {"meetings": meetings, "is_volunteer": user.has_role(Role.VOLUNTEER) and not always}
