"""The read-only part of an agenda item's card, written in Python.

A meeting's agenda holds thirty items or more, and the template language (and even
`format_html`) spends a quarter of a millisecond on each card; this writes the same HTML,
escaped as the template escapes it, in a fraction of that. The parts with forms stay in
`meetings/meeting_detail.html`; `tests/meetings/test_agenda_tag.py` holds the template this
replaced and checks that both write the same."""

from __future__ import annotations

import datetime
from html import escape

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from risks.models import Severity, Status

register = template.Library()

_SEVERITY_BADGES = {"urgent": "text-bg-danger", "high": "text-bg-warning"}
# What `get_severity_display` and `get_status_display` answer, looked up directly: Django's
# own way costs more than the rest of the line.
_SEVERITIES, _STATUSES = dict(Severity.choices), dict(Status.choices)
# The card's own indentation, so that the page reads as it did when the template wrote it.
_CARD, _LINE = "\n          ", "\n            "


def _text(value) -> str:
    return escape(str(value))


def _at(value, fmt: str) -> str:
    """As the `date` filter writes a date or a time (a time in the current time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    if fmt == "H:i":
        # Each slot's two times: `dateformat` reads its format letter by letter each call.
        return f"{value.hour:02d}:{value.minute:02d}"
    return dateformat.format(value, fmt)


def _volunteer_line(item) -> str:
    if not item.presented_by_volunteer:
        return ""
    protocol, checked_by = item.protocol, item.protocol_confirmed_by
    return (
        f'<span class="badge text-bg-info">Presented by {_text(item.presenter.get_full_name())}, volunteer'
        f"</span> Protocol version {_text(protocol.version) if protocol else ''} checked by "
        f"{_text(checked_by.get_full_name()) if checked_by else ''}, "
        f"{_at(item.protocol_confirmed_at, 'j M Y, H:i')}."
    )


def _risk_line(risk) -> str:
    if risk is None:
        return ""
    owner = f" ({_text(risk.owner.get_full_name())})" if risk.owner else ""
    return (
        f'<span class="badge {_SEVERITY_BADGES.get(risk.severity, "text-bg-secondary")}">'
        f"{_text(_SEVERITIES.get(risk.severity, risk.severity))}</span> "
        f"{_text(_STATUSES.get(risk.status, risk.status))}{owner}"
    )


def _actions_list(actions) -> str:
    if not actions:
        return ""
    rows = "".join(
        f"<li>{_text(action.what)}: {_text(action.owner_name)}, due {_at(action.due_on, 'j M Y')}"
        f"{' (done)' if action.is_done else ''}</li>"
        for action in actions
    )
    return f'<ul class="mb-1">{rows}</ul>'


@register.simple_tag
def agenda_item_summary(slot, agenda: dict, actions) -> SafeString:
    """The item's heading, its concern, what was discussed and its actions."""
    item, risk = slot.item, slot.item.risk
    category = f": {_text(risk.category.name)}" if risk else ""
    times = "\N{EN DASH}".join([_at(slot.starts_at, "H:i"), _at(slot.ends_at, "H:i")])
    name = _text(item.client.full_name)
    heading = f'<h3 id="item-{item.pk}" class="h5 mb-1">{times} · {name}{category}</h3>'
    result = f"· <strong>{_text(item.get_result_display())}</strong>" if item.result else ""
    seen = ""
    if risk and agenda["shows_what_was_seen"]:
        seen = (
            f'<p class="mb-1">{_text(Truncator(risk.what_was_seen).words(40, truncate=" …"))} '
            f'<a class="no-print" href="{reverse("risks:detail", args=[risk.pk])}">Open the concern</a></p>'
        )
    discussed = (
        f'<p class="mb-1"><strong>Discussed:</strong> {_text(item.discussion_note)}</p>'
        if item.discussion_note
        else ""
    )
    return mark_safe(
        f'{heading}{_CARD}<p class="mb-1">{_LINE}'
        + _LINE.join([_volunteer_line(item), _risk_line(risk), result])
        + f"{_CARD}</p>{_CARD}"
        + _CARD.join([seen, discussed, _actions_list(actions)])
    )
