"""The meeting page's forms written by `livingwell.form_html` are the HTML crispy-forms
writes for them: every form of the page, empty, filled in and with errors, and a form with
every kind of field it writes (and some it hands back to crispy)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import engines
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from livingwell.form_fields import DateInput, DateTimeInput, TextField
from livingwell.form_html import crispy_field_html, crispy_html, writes
from meetings import selectors
from meetings.forms import (
    ActionForm,
    AttendanceForm,
    ConcludeForm,
    InviteForm,
    NotesForm,
    OutcomeAtMeetingForm,
)
from meetings.models import Attendance, AttendanceRole
from tests.meetings.fixtures import meetings_fixture  # noqa: F401
from tests.risks.factories import ServiceFactory

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

CRISPY_FORM = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
CRISPY_FIELDS = engines["django"].from_string(
    "{% load crispy_forms_tags %}{% for field in form %}{{ field|as_crispy_field }}{% endfor %}"
)


def assert_written_as_crispy_writes(form: forms.BaseForm) -> None:
    if form.is_bound:
        form.is_valid()
    # Ours first: crispy adds its classes to the widgets as it draws them.
    ours = str(crispy_html(form))
    ours_by_field = "".join(str(crispy_field_html(field)) for field in form)
    assert parse_html(ours) == parse_html(CRISPY_FORM.render({"form": form}))
    assert parse_html(ours_by_field) == parse_html(CRISPY_FIELDS.render({"form": form}))


class EveryKindForm(forms.Form):
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    line = TextField(max_length=20, label="A line <of> text", help_text="Say <em>it</em> plainly.")
    optional_line = TextField(
        max_length=20, required=False, counter=False, label=mark_safe("Safe <b>label</b>")
    )
    lines = TextField(max_length=300, multiline=True, rows=4, required=False, label="Several lines")
    on = forms.DateField(widget=DateInput, label="A day")
    choice = forms.ChoiceField(
        choices=[("", "Choose one"), ("a", "A & B"), ("b", '"Quoted"')], label="A list"
    )
    tick = forms.BooleanField(required=False, label="A tick box", help_text="Only if it is so.")
    required_tick = forms.BooleanField(label="I agree")
    # Written by crispy: a list in groups, a date and time, radio buttons, several ticks.
    grouped = forms.ChoiceField(
        choices=[("Near", [("1", "One")]), ("Far", [("2", "Two")])], required=False, label="In groups"
    )
    when = forms.DateTimeField(widget=DateTimeInput, required=False, label="When")
    radio = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect, required=False)
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean(self):
        raise forms.ValidationError("Something about the whole <form>.")


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "hidden": "h<i>",
            "line": "x" * 30,
            "optional_line": '"quoted" & <tagged>',
            "lines": "one\ntwo <three>",
            "on": "9999-99-99",
            "choice": "b",
            "tick": "on",
            "required_tick": "on",
            "grouped": "2",
            "when": "2026-11-28T14:02",
            "radio": "y",
            "many": ["x", "y"],
        },
        {"line": "ok", "on": "2026-11-28", "choice": "zz", "lines": "\u200b"},
    ],
    ids=["empty", "posted empty", "filled in", "errors"],
)
def test_every_kind_of_field_is_written_as_crispy_writes_it(data):
    form = EveryKindForm(data, initial={"line": "from <initial>", "tick": True})
    assert not writes(form)  # the grouped list, the date and time, radios, ticks: crispy's

    assert_written_as_crispy_writes(form)


def test_a_form_of_only_the_fields_it_knows_is_written_here_and_not_by_crispy():
    class Known(forms.Form):
        line = TextField(max_length=20)
        choice = forms.ChoiceField(choices=[("a", "A")])

    assert writes(Known())
    assert_written_as_crispy_writes(Known())
    assert_written_as_crispy_writes(Known({"line": "", "choice": "b"}))


@pytest.mark.parametrize("posted", [False, True], ids=["empty", "with errors"])
def test_every_form_of_a_meeting_page_is_written_as_crispy_writes_it(meetings, posted):
    world = meetings.world
    ServiceFactory(name="Penwith <Falls> Service", areas=[world.west])
    Attendance.objects.get_or_create(
        meeting=meetings.mdt, person=world.volunteer, defaults={"role": AttendanceRole.VOLUNTEER}
    )
    for meeting in (meetings.mdt, meetings.formal):
        attendances = list(selectors.attendances_of(meeting))
        items = meeting.items.select_related("client", "risk__category")
        assert items.exists() or meeting is meetings.mdt
        bad = {"what": "", "due_on": str(datetime.date(1, 1, 1)), "item": "x", "owner": "0", "person": "0"}
        data = bad if posted else None
        shown = [
            InviteForm(data, meeting=meeting),
            NotesForm(data or None, initial={"notes": "Themes <and> 'quotes'"}),
            ActionForm(data, meeting=meeting, items=items),
            ActionForm(meeting=meeting, items=items, items_read=list(items), attendances=attendances),
            AttendanceForm(
                {f"a{a.pk}": "maybe" for a in attendances} if posted else None, attendances=attendances
            ),
            OutcomeAtMeetingForm(data, auto_id="id_item7_outcome_%s"),
            ConcludeForm(data, area=meeting.area),
        ]
        for form in shown:
            assert_written_as_crispy_writes(form)
