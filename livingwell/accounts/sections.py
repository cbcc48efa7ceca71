"""The sections of the product each role works in: the navigation and the home page.

A section appears once its page exists (its URL name resolves), so each app adds its
entries here as it is built.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from livingwell.accounts.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class Section:
    title: str
    url_name: str
    description: str
    # Empty means everybody who is signed in.
    roles: frozenset[str] = frozenset()

    def visible_to(self, user) -> bool:
        return not self.roles or user.has_role(*self.roles)

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


SECTIONS: list[Section] = [
    Section(
        title="My clients",
        url_name="clients:list",
        description="The people you visit: what you need to know before each visit.",
        roles=frozenset({Role.VOLUNTEER}),
    ),
    Section(
        title="Report a concern",
        url_name="risks:new",
        description="Tell us about something that worries you after a visit. Urgent? Call 999 first.",
        roles=frozenset({Role.VOLUNTEER}),
    ),
    Section(
        title="My concerns",
        url_name="risks:mine",
        description="What you have told us about, and what came of it.",
        roles=frozenset({Role.VOLUNTEER}),
    ),
    Section(
        title="My profile",
        url_name="volunteers:me",
        description="Your skills, when you are free, and whether you would attend practice meetings.",
        roles=frozenset({Role.VOLUNTEER}),
    ),
    Section(
        title="Concerns",
        url_name="risks:queue",
        description="Concerns raised in your areas: take them, pass them on, record what happened.",
        roles=STAFF_ROLES,
    ),
    Section(
        title="Clients",
        url_name="clients:list",
        description="Clients of your areas: their records, consent, and the volunteers who visit them.",
        roles=STAFF_ROLES,
    ),
    Section(
        title="Volunteers",
        url_name="volunteers:list",
        description="Volunteers of your areas: skills, checks, training and who they visit.",
        roles=STAFF_ROLES,
    ),
    Section(
        title="On-call rota",
        url_name="risks:rota",
        description="Who answers the volunteers' phone line, now and next.",
        roles=STAFF_ROLES,
    ),
    Section(
        title="Who to call",
        url_name="directory:list",
        description="Local services, medical and non-medical, and how to reach them.",
        roles=frozenset({Role.VOLUNTEER}) | STAFF_ROLES,
    ),
    Section(
        title="Meetings",
        url_name="meetings:list",
        description="Formal meetings, coffee mornings and GP practice Multi-Disciplinary Team "
        "meetings: when, where, and what is on them for you.",
        roles=frozenset({Role.VOLUNTEER, Role.MDT_CHAIR, Role.CLINICIAN}) | STAFF_ROLES,
    ),
    Section(
        title="Good news",
        url_name="stories:feed",
        description="Success stories: what came of concerns volunteers noticed, told without names.",
        roles=frozenset({Role.VOLUNTEER, Role.MANAGER}) | STAFF_ROLES,
    ),
    Section(
        title="Reports",
        url_name="reports:dashboard",
        description="Figures without names, for a board paper or a review: how quickly concerns "
        "were acted on by each route and area, what came of them, and volunteers and meetings.",
        roles=frozenset({Role.MANAGER, Role.COORDINATOR, Role.MDT_CHAIR}),
    ),
    Section(
        title="Notifications",
        url_name="notifications:inbox",
        description="Messages for you, including news of concerns you raised.",
    ),
]


def sections_for(user) -> list[tuple[Section, str]]:
    """The sections this person may open, each with its address."""
    if not user.is_authenticated:
        return []
    found = []
    for section in SECTIONS:
        if section.visible_to(user):
            url = section.url
            if url is not None:
                found.append((section, url))
    return found
