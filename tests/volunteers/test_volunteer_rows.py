# The reference template is the page's own, long lines included.
# ruff: noqa: E501
"""`volunteer_row` writes what the volunteer list's template wrote for each volunteer,
character for character, for every shape of row: the template it replaced is kept here as
the reference."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.template import Context, Template

from livingwell.accounts.models import Area, AreaMembership, User
from volunteers.models import Volunteer

REFERENCE = Template(
    """{% load volunteer_rows %}<tr>
            <td data-label="Name"><a href="{% url 'volunteers:detail' volunteer.pk %}">{{ volunteer.name }}</a></td>
            <td data-label="Areas">{% for membership in volunteer.user.current_area_memberships %}{{ membership.area.name }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
            <td data-label="Clients">{{ volunteer.active_clients }} of {{ volunteer.capacity }}</td>
            <td data-label="Status">{{ volunteer.get_status_display }}</td>
            <td data-label="DBS renewal">{% if volunteer.dbs_renewal_due_on %}{{ volunteer.dbs_renewal_due_on|date:"j M Y" }}{% else %}<span class="badge text-bg-warning">No check recorded</span>{% endif %}</td>
            <td data-label="Practice meetings">{% if volunteer.mdt_opt_in %}Willing{% else %}No{% endif %}</td>
          </tr>|{% volunteer_row volunteer %}"""
)

NAMES = [("Vera", "Pascoe"), ("Tre'gear & <b>Sons</b>", 'O"Brien'), ("", "")]
AREAS = [[], ["West Cornwall"], ["East <Cornwall>", "West & Mid"]]
RENEWALS = [None, datetime.date(2027, 9, 1), datetime.date(2026, 12, 31)]


def volunteer(pk: int, name, areas, renewal, status: str, mdt: bool, clients: int) -> Volunteer:
    user = User(pk=pk, username=f"person{pk}", first_name=name[0], last_name=name[1])
    user.current_area_memberships = [
        AreaMembership(user=user, area=Area(pk=number, name=area)) for number, area in enumerate(areas, 1)
    ]
    each = Volunteer(pk=pk, user=user, status=status, mdt_opt_in=mdt, capacity=3)
    each.active_clients, each.dbs_renewal_due_on = clients, renewal
    return each


@pytest.mark.parametrize(
    ("name", "areas", "renewal", "status", "mdt"),
    list(itertools.product(NAMES, AREAS, RENEWALS, [*Volunteer.Status.values, "retired"], [True, False])),
)
def test_the_volunteer_row_tag_writes_what_the_template_wrote(name, areas, renewal, status, mdt):
    row = volunteer(77, name, areas, renewal, status, mdt, clients=2 if mdt else 0)
    expected, written = REFERENCE.render(Context({"volunteer": row})).split("|")
    assert written == expected
