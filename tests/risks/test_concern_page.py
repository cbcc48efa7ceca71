"""The staff page of one concern: the same forms for less work, and as many queries
however long the concern's history."""

import re

import pytest
from django.core.cache import cache
from django.template import engines
from django.test.html import parse_html
from django.urls import reverse

from risks import services
from risks.forms import CloseForm, EscalateForm, OutcomeForm, ReopenForm
from risks.models import Referral, RiskEvent, Status
from tests.risks.factories import ServiceFactory
from tests.support.queries import queries_for


def detail(risk) -> str:
    return reverse("risks:detail", args=[risk.pk])


def form_on(page: str, risk, action: str) -> str:
    """What the page's form for `action` holds between its security token and its button."""
    start = page.index(f'<form method="post" action="{reverse("risks:transition", args=[risk.pk, action])}">')
    form = page[start : page.index("</form>", start)]
    form = form[form.index(">") + 1 : form.rindex("<button")]
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", form)


def as_crispy_forms_writes_it(form) -> str:
    return (
        engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}").render({"form": form})
    )


def fresh_form(action: str, world, page: str, risk):
    if action == "escalate":
        # The one part that differs each time the form is shown: its one-time key.
        key = re.search(r'name="submission_key" value="([^"]+)"', form_on(page, risk, action)).group(1)
        return EscalateForm(area=world.west, initial={"submission_key": key})
    return {"record_outcome": OutcomeForm, "close": CloseForm, "reopen": ReopenForm}[action]()


@pytest.mark.parametrize(
    ("state", "actions"),
    [
        (Status.REPORTED, ["escalate", "close"]),
        (Status.ESCALATED, ["escalate", "record_outcome", "close"]),
        (Status.CLOSED, ["reopen"]),
    ],
)
def test_the_concern_pages_forms_are_the_html_crispy_forms_would_write(
    world, risk, advance, signed_in, state, actions
):
    ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    ServiceFactory(name="Age UK Cornwall", areas=[world.west, world.east])
    ServiceFactory(name="Closed Down Lunch Club", areas=[world.west], is_active=False)
    ServiceFactory(name="Bodmin Dial-a-Ride", areas=[world.east])
    advance(risk, state, world.coordinator)
    browser = signed_in(world.coordinator)
    cache.clear()

    first, kept = browser.get(detail(risk)).text, browser.get(detail(risk)).text  # drawn, then kept

    for page in (first, kept):
        assert sorted(set(re.findall(r"/risks/\d+/(\w+)/", page)) - {"triage"}) == sorted(actions)
        for action in actions:
            expected = as_crispy_forms_writes_it(fresh_form(action, world, page, risk))
            assert parse_html(form_on(page, risk, action)) == parse_html(expected), action
    if "escalate" in actions:
        services_offered = re.findall(
            r"<option value=\"\d+\">([^<]+)</option>", form_on(kept, risk, "escalate")
        )
        assert services_offered == ["Age UK Cornwall", "Penwith Community Transport"]
        assert form_on(first, risk, "escalate") != form_on(kept, risk, "escalate")  # a new key each time


def a_long_history(world, risk, advance, rounds: int):
    """`risk` passed on, given an outcome, closed and reopened `rounds` times, and passed on again."""
    advance(risk, Status.ESCALATED, world.coordinator)
    for number in range(rounds):
        services.risk_record_outcome(
            kind="support_arranged",
            risk=risk,
            by=world.coordinator,
            staff_summary=f"Round {number}: seen by the practice.",
            volunteer_message="All sorted.",
        )
        services.risk_close(risk=risk, by=world.coordinator, reason="Resolved")
        services.risk_reopen(risk=risk, by=world.team_leader, note=f"Round {number}: she fell again.")
        services.risk_escalate(risk=risk, by=world.team_leader, key_worker=f"Key Worker {number}")
    risk.refresh_from_db()
    assert risk.status == Status.ESCALATED
    return risk


def phoned_in(world, risk):
    """`risk` as if Tom had recorded it from Vera's phone call: the page names them both."""
    risk.reported_by, risk.on_behalf_of = world.team_leader, world.volunteer
    risk.save(update_fields=["reported_by", "on_behalf_of"])
    return risk


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_a_concerns_page_runs_the_same_queries_for_a_short_and_a_long_history(
    world, new_concern, advance, signed_in, who
):
    browser = signed_in(getattr(world, who))
    short = a_long_history(world, phoned_in(world, new_concern("Short")), advance, 0)
    browser.get(detail(short))  # the first request of a session writes it; measure the ones after
    with_short = queries_for(lambda: browser.get(detail(short)))

    long = a_long_history(world, phoned_in(world, new_concern("Long")), advance, 4)
    for number in range(10):
        ServiceFactory(name=f"Extra service {number}", areas=[world.west])
    responses = []
    with_long = queries_for(lambda: responses.append(browser.get(detail(long))))

    assert responses[0].status_code == 200
    assert RiskEvent.objects.filter(risk=long).count() > 15
    assert Referral.objects.filter(risk=long).count() == 5
    assert len(with_short) == len(with_long), "\n".join(with_long)


def test_the_staff_page_names_who_reported_recorded_and_owns_the_concern(world, risk, advance, signed_in):
    advance(phoned_in(world, risk), Status.TRIAGED, world.coordinator)

    page = signed_in(world.team_leader).get(detail(risk)).text

    volunteer, team_leader = world.volunteer.get_full_name(), world.team_leader.get_full_name()
    assert f"{volunteer} (by phone, recorded by {team_leader})" in page
    assert f"owned by {world.coordinator.get_full_name()}." in page
