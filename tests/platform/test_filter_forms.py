"""List pages' filters, read from the address: a value that is not one of a list's choices
(a mistyped or old link, or tampering) is said in plain words and left out, and the other
filters still apply; never Django's "Select a valid choice. X is not one of the available
choices", and never everything shown because one value was wrong."""

import re

import pytest
from django.urls import reverse

from livingwell.form_fields import NOT_A_CHOICE
from risks import services
from tests.risks.factories import RiskReportFactory, ServiceFactory
from tests.support.access_table import signed_in

DJANGOS_WORDS = "Select a valid choice"


def shown(response) -> list:
    return list(response.context["page_obj"].object_list)


@pytest.mark.parametrize(
    "bad", ["severity=bogus", "area=99999999999999999999", "category=abc", "route=\u0661"]
)
def test_the_queue_keeps_the_other_filters_when_one_is_wrong(world, bad):
    reported = RiskReportFactory(client=world.elsie, reported_by=world.volunteer, category=world.falls)
    taken = RiskReportFactory(client=world.elsie, reported_by=world.volunteer, category=world.falls)
    services.risk_triage(risk=taken, by=world.coordinator)

    response = signed_in(world.coordinator).get(f"{reverse('risks:queue')}?status=reported&{bad}")

    assert response.status_code == 200
    assert [risk.pk for risk in shown(response)] == [reported.pk]
    assert NOT_A_CHOICE in response.text
    assert DJANGOS_WORDS not in response.text


def test_the_client_list_keeps_the_search_when_the_status_is_wrong(world):
    response = signed_in(world.coordinator).get(reverse("clients:list"), {"q": "Trewin", "status": "zzz"})

    assert [client.last_name for client in shown(response)] == ["Trewin"]
    assert NOT_A_CHOICE in response.text
    assert DJANGOS_WORDS not in response.text


@pytest.mark.parametrize(
    "bad", {"status": "zzz", "area": "x", "skill": "\u200b", "mdt_opt_in": "maybe"}.items()
)
def test_the_volunteer_list_keeps_the_search_when_another_filter_is_wrong(world, bad):
    name, value = bad
    response = signed_in(world.coordinator).get(reverse("volunteers:list"), {"q": "Pascoe", name: value})

    assert [volunteer.user.last_name for volunteer in shown(response)] == ["Pascoe"]
    assert NOT_A_CHOICE in response.text
    assert DJANGOS_WORDS not in response.text


@pytest.mark.parametrize("bad", [{"area": "zz"}, {"medical": "zz"}])
def test_the_directory_keeps_the_search_when_another_filter_is_wrong(world, bad):
    ServiceFactory(name="Warm Homes", helps_with="Heating grants.", areas=[world.west])
    ServiceFactory(name="Penwith Community Transport", areas=[world.west])

    response = signed_in(world.volunteer).get(reverse("directory:list"), {"q": "heating", **bad})

    assert [service.name for service in shown(response)] == ["Warm Homes"]
    assert NOT_A_CHOICE in response.text
    assert DJANGOS_WORDS not in response.text


def test_the_reports_keep_the_period_when_an_area_is_wrong(world):
    response = signed_in(world.manager).get(
        reverse("reports:dashboard"), {"period": "last_12_months", "area": "abc"}
    )

    assert response.status_code == 200
    assert re.search(r'<option value="last_12_months"[^>]*selected', response.text)
    assert NOT_A_CHOICE in response.text
    assert DJANGOS_WORDS not in response.text
