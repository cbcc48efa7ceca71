from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from livingwell.dates import EARLIEST_RECORD
from livingwell.form_fields import DateWindowField
from livingwell.reports.periods import DEFAULT_PRESET, PRESETS, ReportPeriod, preset_period
from livingwell.reports.scope import ReportScope

CUSTOM = "custom"
# A report over more than this many years is refused: it would say nothing a board can use.
LONGEST_PERIOD = datetime.timedelta(days=10 * 366)


class ReportFilterForm(forms.Form):
    """The period and areas of a report, read from the address so a view can be bookmarked
    and shared. Unknown or odd values fall back to the defaults with a message, never a 500."""

    period = forms.ChoiceField(
        label="Period",
        choices=[*((key, label) for key, (label, _) in PRESETS.items()), (CUSTOM, "Dates of my choosing")],
        required=False,
    )
    start = DateWindowField(
        label="From",
        required=False,
        earliest=EARLIEST_RECORD,
        latest=timezone.localdate,
        too_late_message="The first day cannot be in the future.",
    )
    end = DateWindowField(
        label="To",
        required=False,
        earliest=EARLIEST_RECORD,
        latest=timezone.localdate,
        too_late_message="The last day cannot be in the future.",
    )
    area = forms.TypedMultipleChoiceField(label="Areas", coerce=int, required=False)

    def __init__(self, data, *, scope: ReportScope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        self.fields["area"].choices = [(area.pk, area.name) for area in scope.areas]
        self.fields["area"].help_text = "None ticked means all of them."

    def clean(self):
        cleaned = super().clean()
        preset = cleaned.get("period") or DEFAULT_PRESET
        if preset == CUSTOM:
            start, end = cleaned.get("start"), cleaned.get("end")
            if "start" in self.errors or "end" in self.errors:
                return cleaned
            if not start or not end:
                raise forms.ValidationError("Give both the first and the last day, or choose a period.")
            if end < start:
                raise forms.ValidationError("The last day cannot be before the first day.")
            if end - start > LONGEST_PERIOD:
                raise forms.ValidationError("Choose a period of ten years or less.")
        cleaned["period"] = preset
        return cleaned

    def report_period(self, today: datetime.date | None = None) -> ReportPeriod:
        """The period asked for, or the default when the form is not valid."""
        if self.is_valid() and self.cleaned_data["period"] == CUSTOM:
            return ReportPeriod(self.cleaned_data["start"], self.cleaned_data["end"])
        preset = self.cleaned_data.get("period") if self.is_valid() else DEFAULT_PRESET
        return preset_period(preset or DEFAULT_PRESET, today)

    def report_scope(self) -> ReportScope:
        chosen = self.cleaned_data.get("area") if self.is_valid() else None
        return self.scope.narrowed_to(chosen or [])
