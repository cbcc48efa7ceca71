"""What the stories app adds to the home page (registered in `StoriesConfig.ready()`)."""

from __future__ import annotations

from stories import selectors


def to_approve_panel(user) -> dict | None:
    """Coordinators and managers: the stories waiting for them to approve (not their own)."""
    if not user.has_role(*selectors.APPROVER_ROLES):
        return None
    count = selectors.stories_to_approve(user).filter(is_mine=False).count()
    return {"count": count} if count else None
