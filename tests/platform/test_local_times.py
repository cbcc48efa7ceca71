"""Times typed as the clock showed them, the nights the clocks change in Europe/London."""

import datetime

import pytest
from django import forms

from livingwell.form_fields import CLOCKS_CHANGED, LocalDateTimeField

UTC = datetime.UTC


class WhenForm(forms.Form):
    when = LocalDateTimeField()


@pytest.mark.parametrize(
    "typed",
    [
        "2026-10-25T01:30",  # the clocks go back: 01:30 happens twice
        "2026-03-29T01:30",  # the clocks go forward: 01:30 never happens
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_refused_with_what_to_do(typed):
    form = WhenForm({"when": typed})
    assert not form.is_valid()
    assert form.errors["when"] == [CLOCKS_CHANGED]
    assert "Europe/London" not in str(form.errors)


@pytest.mark.parametrize(
    ("sent", "instant"),
    [
        ("2026-10-25T00:30:00.000Z", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # the first 01:30
        ("2026-10-25T01:30:00.000Z", datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),  # the second
        ("2026-10-25T01:30:00+01:00", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ],
)
def test_a_time_sent_with_its_offset_is_exact_even_when_the_clocks_change(sent, instant):
    form = WhenForm({"when": sent})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == instant


def test_an_ordinary_local_time_is_read_in_the_uk(settings):
    form = WhenForm({"when": "2026-07-01T14:02"})
    assert form.is_valid()
    assert form.cleaned_data["when"] == datetime.datetime(2026, 7, 1, 13, 2, tzinfo=UTC)


def test_the_field_shows_the_browsers_date_and_time_picker():
    assert 'type="datetime-local"' in str(WhenForm()["when"])
