"""Signed-in pages are never kept in a browser's or a proxy's cache: these are shared
devices in people's homes."""

import pytest
from django.urls import reverse

from tests.risks.factories import RiskReportFactory
from tests.support.access_table import signed_in


def assert_not_stored(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, response["Cache-Control"]


@pytest.fixture
def concern(cast):
    return RiskReportFactory(client=cast.elsie, reported_by=cast.people["volunteer"])


@pytest.mark.parametrize(
    ("person", "url"),
    [
        ("coordinator", lambda cast, risk: reverse("clients:detail", args=[cast.elsie.pk])),
        ("volunteer", lambda cast, risk: reverse("clients:detail", args=[cast.elsie.pk])),
        ("coordinator", lambda cast, risk: reverse("risks:detail", args=[risk.pk])),
        ("volunteer", lambda cast, risk: reverse("risks:detail", args=[risk.pk])),
        ("coordinator", lambda cast, risk: reverse("volunteers:detail", args=[cast.visiting.pk])),
        ("volunteer", lambda cast, risk: reverse("volunteers:me")),
        ("volunteer", lambda cast, risk: reverse("notifications:inbox")),
        ("coordinator", lambda cast, risk: reverse("risks:queue")),
        ("manager", lambda cast, risk: reverse("home")),
        # A refusal or a missing page is still a page seen while signed in.
        ("other_coordinator", lambda cast, risk: reverse("clients:detail", args=[cast.elsie.pk])),
    ],
    ids=[
        "record",
        "visit",
        "risk-staff",
        "risk-volunteer",
        "volunteer",
        "profile",
        "inbox",
        "queue",
        "home",
        "404",
    ],
)
def test_every_signed_in_page_tells_browsers_not_to_keep_it(cast, concern, person, url):
    response = signed_in(cast.people[person]).get(url(cast, concern))

    assert response.status_code in (200, 404)
    assert_not_stored(response)


def test_the_sign_out_answer_is_not_kept_either(cast):
    response = signed_in(cast.people["volunteer"]).post(reverse("logout"))

    assert response.status_code == 302
    assert_not_stored(response)
