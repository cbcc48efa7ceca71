"""The rows of the triage queue, written in Python.

A page holds twenty-five concerns, and the template language spends longer on their rows
(a link, a `timesince` and an include each) than the database spends finding them; this
writes the same HTML, escaped as the template escapes it. `tests/risks/test_queue_rows.py`
holds the template this replaced and checks that both write the same."""

from __future__ import annotations

import datetime
import functools

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from risks.models import RiskReport, Severity, Status

register = template.Library()

_BADGES = {Severity.URGENT: "text-bg-danger", Severity.HIGH: "text-bg-warning"}
_TOO_LATE = '<span class="badge text-bg-warning">Cannot wait for the meeting</span>'
# Reversed once: the page's links differ only by the concern's number.
_PLACEHOLDER = 2147483647


@functools.lru_cache(maxsize=8)
def _detail_url_parts(script_prefix: str, urlconf) -> tuple[str, str]:
    prefix, suffix = reverse("risks:detail", args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    return prefix, suffix


def _detail_url(pk: int) -> str:
    prefix, suffix = _detail_url_parts(get_script_prefix(), get_urlconf())
    return f"{prefix}{pk}{suffix}"


def _date(value, format_string: str) -> str:
    # As the `date` filter shows it in a template: in the current time zone.
    if isinstance(value, datetime.datetime):
        value = timezone.template_localtime(value)
    return escape(date_filter(value, format_string))


def _since(value, now: datetime.datetime) -> str:
    # What the `timesince` filter writes, nothing for no date or one it cannot compare.
    if not value:
        return ""
    try:
        return escape(timesince(value, now))
    except (ValueError, TypeError):
        return ""


def waiting_for(risk: RiskReport, date_format: str) -> str:
    """What the concern waits for, as `risks/includes/waiting_for.html` writes it."""
    if risk.status == Status.ESCALATED:
        reply_on = risk.reply_expected_on
        reply = f", expected {_date(reply_on, 'j M')}" if reply_on else ": no date given for a reply"
        return f"Waiting for a reply from {escape(risk.waiting_for or 'the people it was passed to')}{reply}."
    if risk.status == Status.OUTCOME_RECORDED:
        outcome_at = f" {_date(risk.outcome_at, 'j M')}" if risk.outcome_at else ""
        return f"Outcome recorded{outcome_at}: waiting to be closed."
    if risk.is_overdue:
        return f'<strong class="text-danger">Overdue</strong> since {_date(risk.due_at, date_format)}.'
    return f"Due by {_date(risk.due_at, date_format)}."


@register.simple_tag
def queue_row(risk: RiskReport, now: datetime.datetime | None = None) -> SafeString:
    """One concern of the queue: its category and client (a link to it), severity, status,
    owner, area and route, who reported it and when, and what it waits for. Needs
    `attach_queue_details`'s `waiting_for` and `reply_expected_on`."""
    now = now or timezone.now()
    owner = f" ({escape(risk.owner.get_full_name())})" if risk.owner else ""
    too_late = _TOO_LATE if risk.too_late_for_meeting_at and risk.status == Status.REPORTED else ""
    return mark_safe(
        f'<li class="card mb-2{" border-danger" if risk.is_overdue else ""}">\n'
        f'        <article class="card-body" aria-labelledby="risk-{risk.pk}">\n'
        f'          <h2 id="risk-{risk.pk}" class="h5 mb-1">\n'
        f'            <a href="{escape(_detail_url(risk.pk))}">{escape(risk.category.name)}: '
        f"{escape(risk.client.full_name)}</a>\n"
        f"          </h2>\n"
        f'          <p class="mb-1">\n'
        f'            <span class="badge {_BADGES.get(risk.severity, "text-bg-secondary")}">'
        f"{escape(risk.get_severity_display())}</span>\n"
        f"            {too_late}\n"
        f"            {escape(risk.get_status_display())}{owner} · {escape(risk.area.name)} · "
        f"{escape(risk.get_route_display())}\n"
        f"          </p>\n"
        f'          <p class="mb-0 text-secondary">\n'
        f"            From {escape(risk.volunteer.get_full_name())}, {_since(risk.reported_at, now)} ago.\n"
        f"            {waiting_for(risk, 'j M, H:i')}\n\n"
        f"          </p>\n"
        f"        </article>\n"
        f"      </li>"
    )
