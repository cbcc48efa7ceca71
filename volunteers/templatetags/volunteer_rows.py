"""The rows of the volunteer list, written in Python.

A page holds twenty-five volunteers, and the template language spends longer on their rows
than the database spends finding them; this writes the same HTML, escaped as the template
escapes it. `tests/volunteers/test_volunteer_rows.py` holds the template this replaced and
checks that both write the same."""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe

from volunteers.models import Volunteer

register = template.Library()

_STATUSES = dict(Volunteer.Status.choices)
_NO_CHECK = '<span class="badge text-bg-warning">No check recorded</span>'
# The row's own indentation, so that the page reads as it did when the template wrote it.
_CELL, _ROW_END = "\n            ", "\n          "


def _text(value) -> str:
    return escape(str(value))


@register.simple_tag
def volunteer_row(volunteer) -> SafeString:
    """One volunteer's row: name (a link to their page), areas, clients, status, DBS renewal
    and willingness to attend practice meetings. Needs `with_summary`'s annotations."""
    areas = ", ".join(_text(m.area.name) for m in volunteer.user.current_area_memberships)
    renewal = volunteer.dbs_renewal_due_on
    cells = [
        f'<td data-label="Name"><a href="{reverse("volunteers:detail", args=[volunteer.pk])}">'
        f"{_text(volunteer.name)}</a></td>",
        f'<td data-label="Areas">{areas}</td>',
        f'<td data-label="Clients">{_text(volunteer.active_clients)} of {_text(volunteer.capacity)}</td>',
        f'<td data-label="Status">{_text(_STATUSES.get(volunteer.status, volunteer.status))}</td>',
        f'<td data-label="DBS renewal">{dateformat.format(renewal, "j M Y") if renewal else _NO_CHECK}</td>',
        f'<td data-label="Practice meetings">{"Willing" if volunteer.mdt_opt_in else "No"}</td>',
    ]
    return mark_safe(f"<tr>{_CELL}" + _CELL.join(cells) + f"{_ROW_END}</tr>")
