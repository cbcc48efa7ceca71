# The reference template is the page's own, long lines and en dashes included.
# ruff: noqa: E501, RUF001
"""`agenda_item_summary` writes what the meeting page's template wrote for each agenda item,
character for character, for every shape of item: the template it replaced is kept here as
the reference."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.template import Context, Template
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import User
from meetings.models import Action, AgendaItem, AgendaItemResult, LocalProtocol
from meetings.services.agenda import Slot
from meetings.templatetags.agenda import agenda_item_summary
from risks.models import RiskCategory, RiskReport, Service, Severity, Status

REFERENCE = Template(
    """{% load agenda %}<h3 id="item-{{ item.pk }}" class="h5 mb-1">{{ slot.starts_at|date:"H:i" }}–{{ slot.ends_at|date:"H:i" }} · {{ item.client.full_name }}{% if risk %}: {{ risk.category.name }}{% endif %}</h3>
          <p class="mb-1">
            {% if item.presented_by_volunteer %}<span class="badge text-bg-info">Presented by {{ item.presenter.get_full_name }}, volunteer</span> Protocol version {{ item.protocol.version }} checked by {{ item.protocol_confirmed_by.get_full_name }}, {{ item.protocol_confirmed_at|date:"j M Y, H:i" }}.{% endif %}
            {% if risk %}<span class="badge {% if risk.severity == 'urgent' %}text-bg-danger{% elif risk.severity == 'high' %}text-bg-warning{% else %}text-bg-secondary{% endif %}">{{ risk.get_severity_display }}</span> {{ risk.get_status_display }}{% if risk.owner %} ({{ risk.owner.get_full_name }}){% endif %}{% endif %}
            {% if item.result %}· <strong>{{ item.get_result_display }}</strong>{% endif %}
          </p>
          {% if risk and agenda.shows_what_was_seen %}<p class="mb-1">{{ risk.what_was_seen|truncatewords:40 }} <a class="no-print" href="{% url 'risks:detail' risk.pk %}">Open the concern</a></p>{% endif %}
          {% if item.discussion_note %}<p class="mb-1"><strong>Discussed:</strong> {{ item.discussion_note }}</p>{% endif %}
          {% if actions %}<ul class="mb-1">{% for action in actions %}<li>{{ action.what }}: {{ action.owner_name }}, due {{ action.due_on|date:"j M Y" }}{% if action.is_done %} (done){% endif %}</li>{% endfor %}</ul>{% endif %}|{% agenda_item_summary slot agenda actions %}"""
)

# A summer time (British Summer Time, an hour ahead of UTC) and a winter one.
STARTS = [
    datetime.datetime(2026, 7, 1, 9, 5, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 1, 23, 55, tzinfo=datetime.UTC),
]


def person(pk: int, first: str, last: str) -> User:
    return User(pk=pk, username=f"person{pk}", first_name=first, last_name=last)


def concern(severity: str, status: str, owner: User | None) -> RiskReport:
    words = " ".join(f"word{n}" for n in range(60))
    return RiskReport(
        pk=4321,
        severity=severity,
        status=status,
        owner=owner,
        category=RiskCategory(pk=2, name="Falls & <trips>"),
        what_was_seen=f'She said "I fell" & <b>hurt</b> her hip. {words}',
    )


def actions_of(shape: str) -> list[Action]:
    due = datetime.date(2026, 8, 3)
    if shape == "none":
        return []
    return [
        Action(pk=1, what="Ring the GP & <ask>", owner=person(9, "Nurse", "O'Neil"), due_on=due),
        Action(
            pk=2,
            what="Refer",
            service=Service(pk=5, name="Falls <Service>"),
            due_on=due,
            done_at=timezone.now(),
        ),
        Action(pk=3, what="Visit", owner=User(pk=10, username="only-a-username"), due_on=due),
    ]


SHAPES = list(
    itertools.product(
        [None, *Severity.values],  # no concern, or one of each severity
        [False, True],  # presented by a volunteer
        ["", AgendaItemResult.TAKEN],
        ["", "Talked it through & agreed <next steps>."],
        ["none", "several"],
        [False, True],  # shows what was seen
    )
)


@pytest.mark.parametrize(("severity", "volunteer", "result", "note", "actions", "shows"), SHAPES)
@pytest.mark.parametrize("starts_at", STARTS, ids=["summer", "winter"])
def test_the_agenda_item_summary_writes_what_the_template_wrote(
    severity, volunteer, result, note, actions, shows, starts_at
):
    owner = person(3, "Cora", "O'Brien <Co-ordinator>") if severity in (Severity.HIGH, Severity.LOW) else None
    risk = (
        concern(severity, Status.ESCALATED if severity == Severity.URGENT else Status.TRIAGED, owner)
        if severity
        else None
    )
    item = AgendaItem(
        pk=77,
        client=Client(pk=8, first_name="Elsie & <Bert>", last_name='"Smith"'),
        risk=risk,
        minutes=10,
        presented_by_volunteer=volunteer,
        presenter=person(4, "Vera", "Volunteer") if volunteer else None,
        protocol=LocalProtocol(pk=1, version=3) if volunteer else None,
        protocol_confirmed_by=person(5, "Dr", "Chen") if volunteer else None,
        protocol_confirmed_at=starts_at - datetime.timedelta(days=2) if volunteer else None,
        result=result,
        discussion_note=note,
    )
    slot = Slot(item=item, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=10))
    agenda = {"shows_what_was_seen": shows}

    reference, written = REFERENCE.render(
        Context({"slot": slot, "item": item, "risk": risk, "actions": actions_of(actions), "agenda": agenda})
    ).split("|")

    assert written == reference


def test_the_agenda_item_summary_escapes_what_people_wrote():
    item = AgendaItem(pk=1, client=Client(pk=1, first_name="<script>", last_name="x"), discussion_note="<b>")
    now = timezone.now()
    written = agenda_item_summary(
        Slot(item=item, starts_at=now, ends_at=now), {"shows_what_was_seen": True}, []
    )
    assert "<script>" not in written
    assert "&lt;script&gt;" in written
    assert "&lt;b&gt;" in written
