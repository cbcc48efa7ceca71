"""Pages load nothing from another host: every script, style, image and font is ours."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from livingwell.accounts.roles import Role
from tests.factories import NotificationFactory

RESOURCE_ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src"}


class ResourceCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attribute = RESOURCE_ATTRIBUTES.get(tag)
        values = dict(attrs)
        if attribute and values.get(attribute):
            self.resources.append(values[attribute])


def resources_of(html: str) -> list[str]:
    collector = ResourceCollector()
    collector.feed(html)
    return collector.resources


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/"])
def test_public_pages_load_only_our_own_files(client, db, path):
    assert_loads_only_our_own_files(client.get(path))


@pytest.mark.parametrize("path", ["/", "/notifications/", "/accounts/password_change/"])
def test_signed_in_pages_load_only_our_own_files(login, make_person, west, path):
    person = make_person(Role.COORDINATOR, areas=[west])
    NotificationFactory(recipient=person)
    assert_loads_only_our_own_files(login(person).get(path))


def assert_loads_only_our_own_files(response):
    assert response.status_code == 200
    resources = resources_of(response.text)
    assert resources, "the page should load its styles and scripts"
    for url in resources:
        assert not re.match(r"^(https?:)?//", url), f"{url} is on another host"
        if url == reverse("manifest"):
            continue  # The installable app's manifest, drawn by the app itself.
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a file we ship"


def test_the_content_security_policy_allows_only_this_host(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy


def test_vendored_libraries_carry_their_version_and_licence():
    assert finders.find("vendor/bootstrap-5.3.9/LICENSE")
    readme = finders.find("vendor/README.md")
    with open(readme) as handle:
        text = handle.read()
    assert "| Bootstrap | 5.3.9 | MIT" in text
