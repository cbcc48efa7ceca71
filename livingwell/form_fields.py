"""Form widgets and fields that every app's forms share."""

from __future__ import annotations

from django import forms
from django.utils import timezone


class DateInput(forms.DateInput):
    """The browser's own date picker (a phone shows its calendar)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PastDateField(forms.DateField):
    """A date that has already happened: today or earlier, in the UK."""

    widget = DateInput

    def __init__(self, *, future_message: str = "The date cannot be in the future.", **kwargs):
        self.future_message = future_message
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(self.future_message, code="future")
