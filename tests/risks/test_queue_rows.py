# The reference template is the page's own, long lines included.
# ruff: noqa: E501
"""`queue_row` writes what the triage queue's template (and its `waiting_for.html` include)
wrote for each concern, character for character, for every shape of row: the template it
replaced is kept here as the reference."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.template import Context, Template
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import Area, Route, User
from risks.models import RiskCategory, RiskReport, Severity, Status

REFERENCE = Template(
    """{% load queue_rows %}<li class="card mb-2{% if risk.is_overdue %} border-danger{% endif %}">
        <article class="card-body" aria-labelledby="risk-{{ risk.pk }}">
          <h2 id="risk-{{ risk.pk }}" class="h5 mb-1">
            <a href="{% url 'risks:detail' risk.pk %}">{{ risk.category.name }}: {{ risk.client.full_name }}</a>
          </h2>
          <p class="mb-1">
            <span class="badge {% if risk.severity == 'urgent' %}text-bg-danger{% elif risk.severity == 'high' %}text-bg-warning{% else %}text-bg-secondary{% endif %}">{{ risk.get_severity_display }}</span>
            {% if risk.too_late_for_meeting_at and risk.status == "reported" %}<span class="badge text-bg-warning">Cannot wait for the meeting</span>{% endif %}
            {{ risk.get_status_display }}{% if risk.owner %} ({{ risk.owner.get_full_name }}){% endif %} · {{ risk.area.name }} · {{ risk.get_route_display }}
          </p>
          <p class="mb-0 text-secondary">
            From {{ risk.volunteer.get_full_name }}, {{ risk.reported_at|timesince }} ago.
            {% include "risks/includes/waiting_for.html" with waiting_for=risk.waiting_for reply_expected_on=risk.reply_expected_on date_format="j M, H:i" %}
          </p>
        </article>
      </li>|{% queue_row risk %}"""
)

NAMES = [("Vera", "Pascoe"), ("Tre'gear & <b>Sons</b>", 'O"Brien'), ("Zoë Ωμέγα", "李 Приветов"), ("", "")]
PLACES = ["West Cornwall", "East <Cornwall> & 'Mid'"]
# Each side of the change to summer time, so that dates show in the local time zone.
WHEN = [
    datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 24, 23, 59, tzinfo=datetime.UTC),
]
AGO = [
    datetime.timedelta(minutes=5, seconds=30),
    datetime.timedelta(days=3, hours=4, seconds=30),
    -datetime.timedelta(hours=2),
]


def person(pk: int, name: tuple[str, str]) -> User:
    return User(pk=pk, username=f"person{pk}", first_name=name[0], last_name=name[1])


def concern(
    *,
    status,
    severity,
    overdue,
    waiting_for,
    reply_on,
    outcome_at,
    on_behalf,
    owner,
    too_late,
    names,
    place,
    ago,
    route,
) -> RiskReport:
    now = timezone.now()
    risk = RiskReport(
        pk=4321,
        client=Client(pk=5, first_name=names[0], last_name=names[1]),
        area=Area(pk=1, name=place),
        category=RiskCategory(pk=2, name=f"{place} & falls"),
        severity=severity,
        route=route,
        status=status,
        reported_by=person(10, names),
        on_behalf_of=person(11, names[::-1]) if on_behalf else None,
        owner=person(12, names[::-1]) if owner else None,
        reported_at=now - ago,
        due_at=WHEN[0] if overdue else now + datetime.timedelta(days=2, minutes=7),
        outcome_at=outcome_at,
        too_late_for_meeting_at=too_late,
    )
    risk.waiting_for, risk.reply_expected_on = waiting_for, reply_on
    return risk


def assert_same(risk: RiskReport) -> None:
    expected, written = REFERENCE.render(Context({"risk": risk})).split("|")
    assert written == expected


@pytest.mark.parametrize(
    ("status", "severity", "overdue", "waiting_for", "reply_on", "outcome_at"),
    list(
        itertools.product(
            [*Status.values, "withdrawn"],
            [*Severity.values, "unknown"],
            [True, False],
            [None, "", "Truro <GP> & \"Partners\" 'surgery'"],
            [None, datetime.date(2026, 12, 1)],
            [None, *WHEN],
        )
    ),
)
def test_the_queue_row_tag_writes_what_the_template_wrote(
    status, severity, overdue, waiting_for, reply_on, outcome_at
):
    assert_same(
        concern(
            status=status,
            severity=severity,
            overdue=overdue,
            waiting_for=waiting_for,
            reply_on=reply_on,
            outcome_at=outcome_at,
            on_behalf=overdue,
            owner=not overdue,
            too_late=outcome_at,
            names=NAMES[1],
            place=PLACES[1],
            ago=AGO[1],
            route=Route.FORMAL_MEETING,
        )
    )


@pytest.mark.parametrize(
    ("names", "place", "ago", "on_behalf", "owner", "too_late", "route"),
    list(
        itertools.product(
            NAMES, PLACES, AGO, [True, False], [True, False], [None, WHEN[1]], [*Route.values, "by_pigeon"]
        )
    ),
)
def test_the_queue_row_tag_writes_each_name_and_time_as_the_template_did(
    names, place, ago, on_behalf, owner, too_late, route
):
    for status in (Status.REPORTED, Status.ESCALATED):
        assert_same(
            concern(
                status=status,
                severity=Severity.HIGH,
                overdue=False,
                waiting_for=names[0],
                reply_on=None,
                outcome_at=None,
                on_behalf=on_behalf,
                owner=owner,
                too_late=too_late,
                names=names,
                place=place,
                ago=ago,
                route=route,
            )
        )
