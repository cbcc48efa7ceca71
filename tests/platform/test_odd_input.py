"""Never a server error for odd input: every page a person can reach by its address, sent
odd values in each of its boxes (in the query string and, for forms, posted), as each role."""

import re

import pytest
from django.urls import reverse

ODD = [
    "",
    "x" * 100_000,
    "\u200b",
    "\u0661\u0662\u0663",
    "9" * 40,
    "-1",
    "1e3",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "'; DROP TABLE clients_client; --",
    "a\x00b",
]
PAGES = [
    "home",
    "clients:list",
    "clients:create",
    "volunteers:list",
    "volunteers:create",
    "meetings:list",
    "meetings:new",
    "stories:feed",
    "stories:review",
    "stories:new",
    "risks:queue",
    "risks:mine",
    "risks:rota",
    "risks:shift_new",
    "risks:phone",
    "risks:new",
    "directory:list",
    "reports:dashboard",
    "reports:export_csv",
    "reports:extract",
    "reports:trials",
    "notifications:inbox",
]
LISTS = {"risks:queue", "clients:list", "volunteers:list", "meetings:list", "stories:feed", "directory:list"}


def rows() -> dict[str, int]:
    from clients.models import Client
    from meetings.models import Meeting
    from risks.models import OnCallShift, RiskReport
    from stories.models import SuccessStory
    from volunteers.models import Volunteer

    models = (Client, Meeting, OnCallShift, RiskReport, SuccessStory, Volunteer)
    return {model.__name__: model.objects.count() for model in models}


def box_names(response) -> set[str]:
    return set(re.findall(r'name="([a-z_0-9]+)"', response.content.decode())) - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize("who", ["coordinator", "team_leader", "volunteer", "manager", "mdt_chair"])
def test_no_page_gives_a_server_error_for_odd_values(world, login, who):
    browser = login(getattr(world, who))
    before = rows()
    errors = []
    for name in PAGES:
        url = reverse(name)
        first = browser.get(url)
        if first.status_code != 200 or first.streaming:
            continue
        names = box_names(first)
        for value in ODD:
            for box in names | {"page", "after", "start"}:
                if browser.get(url, {box: value}).status_code >= 500:
                    errors.append((url, "GET", box, value[:20]))
            if browser.get(url, {box: [value, "1"] for box in names}).status_code >= 500:
                errors.append((url, "GET twice", value[:20]))
            posted = name not in LISTS and names
            if posted and browser.post(url, dict.fromkeys(names, value)).status_code >= 500:
                errors.append((url, "POST", value[:20]))
    assert errors == []
    assert rows() == before, "a refused form changed nothing"
