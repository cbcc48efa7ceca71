"""The sections of the product each role works in: the navigation and the home page.

A section appears once its page exists (its URL name resolves), so each app adds its
entries here as it is built.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from livingwell.accounts.roles import Role


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
        title="Notifications",
        url_name="notifications:inbox",
        description="Messages for you, including news of concerns you raised.",
    ),
]

STAFF_ROLES = frozenset({Role.COORDINATOR, Role.TEAM_LEADER})


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
