"""The shared shape of the authorisation tables: one row per view, one column per person."""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse

LOGIN = "login"  # expected answer: sent to the sign-in page
# The columns: each is a fixture of tests/conftest.py (the same person in every test
# folder) and an attribute of `world`; "anonymous" is nobody signed in.
ACTORS = (
    "anonymous",
    "volunteer",
    "other_volunteer",
    "coordinator",
    "other_coordinator",
    "team_leader",
    "other_team_leader",
    "mdt_chair",
    "clinician",
    "manager",
    "no_role",
)


def cases(table: dict) -> list:
    """One test case per view and person, named view-person."""
    return [
        pytest.param(view, actor, expected, id=f"{view}-{actor}")
        for view, row in table.items()
        for actor, expected in zip(ACTORS, row, strict=True)
    ]


def signed_in(person) -> Browser:
    """A new test browser signed in as person (None: anonymous)."""
    browser = Browser()
    if person is not None:
        browser.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return browser


def assert_answer(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('login')}?next=")
    else:
        assert response.status_code == expected
