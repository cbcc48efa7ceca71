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
        error_messages={"invalid_choice": "Choose one of the periods in the list."},
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
    area = forms.TypedMultipleChoiceField(
        label="Areas",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "One of the areas asked for is not one of yours: tick from the list."
        },
    )

    def __init__(self, data, *, scope: ReportScope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        self.fields["area"].choices = [(area.pk, area.name) for area in scope.areas]
        self.fields["area"].help_text = "None ticked means all of them."

    def clean(self):
        cleaned = super().clean()
        preset = cleaned.get("period") or DEFAULT_PRESET
        if preset != CUSTOM:
            # The dates count only for "dates of my choosing": a stray one is no error.
            for name in ("start", "end"):
                self.errors.pop(name, None)
                cleaned.pop(name, None)
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

    def period_is_valid(self) -> bool:
        """The period part of the address can be used (whatever is wrong with the areas)."""
        self.is_valid()
        return self.is_bound and not (
            {"period", "start", "end"} & set(self.errors) or self.non_field_errors()
        )

    def areas_are_valid(self) -> bool:
        self.is_valid()
        return self.is_bound and "area" not in self.errors

    def report_period(self, today: datetime.date | None = None) -> ReportPeriod:
        """The period asked for, or the default when that part of the form is not valid
        (a bad area alone does not throw away a good period, nor the other way round)."""
        if not self.period_is_valid():
            return preset_period(DEFAULT_PRESET, today)
        if self.cleaned_data["period"] == CUSTOM:
            return ReportPeriod(self.cleaned_data["start"], self.cleaned_data["end"])
        return preset_period(self.cleaned_data.get("period") or DEFAULT_PRESET, today)

    def report_scope(self) -> ReportScope:
        chosen = self.cleaned_data.get("area") if self.areas_are_valid() else None
        return self.scope.narrowed_to(chosen or [])
