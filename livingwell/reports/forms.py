from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from livingwell.accounts.models import Area, GPPractice
from livingwell.dates import EARLIEST_RECORD
from livingwell.form_fields import DateWindowField, FilterForm, TextField
from livingwell.reports.models import (
    CARD_ANSWER_MAX_LENGTH,
    LIMITATIONS_QUESTION,
    OPPORTUNITIES_QUESTION,
    TrialDecision,
    TrialModel,
)
from livingwell.reports.periods import DEFAULT_PRESET, PRESETS, ReportPeriod, preset_period
from livingwell.reports.scope import ReportScope
from livingwell.reports.services import check_trial_dates
from livingwell.reports.trials import DESCRIPTION_MAX_LENGTH, REASON_MAX_LENGTH, TITLE_MAX_LENGTH
from livingwell.submissions.forms import KEY_FIELD, OneTimeSubmissionForm

CUSTOM = "custom"
# A report over more than this many years is refused: it would say nothing a board can use.
LONGEST_PERIOD = datetime.timedelta(days=10 * 366)


class ReportFilterForm(FilterForm):
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
    area = forms.TypedMultipleChoiceField(
        label="Areas",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
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

    def report_period(self, today: datetime.date | None = None) -> ReportPeriod:
        """The period asked for, or the default when the form is not valid."""
        preset = self.preset()
        if preset == CUSTOM:
            return ReportPeriod(self.cleaned_data["start"], self.cleaned_data["end"])
        return preset_period(preset, today)

    def preset(self) -> str:
        """The period the report is for: the one asked for, or the default when it cannot
        be used (dates of one's choosing that are missing or wrong)."""
        filters = self.valid_filters
        preset = filters.get("period") or DEFAULT_PRESET
        dates_given = filters.get("start") and filters.get("end")
        if preset == CUSTOM and (self.non_field_errors() or not dates_given):
            return DEFAULT_PRESET
        return preset

    def report_scope(self) -> ReportScope:
        chosen = self.valid_filters.get("area")
        return self.scope.narrowed_to(chosen or [])


# --- Trials -----------------------------------------------------------------------------------


def _two_years_ahead() -> datetime.date:
    return timezone.localdate() + relativedelta(years=2)


def _four_years_ahead() -> datetime.date:
    return timezone.localdate() + relativedelta(years=4)


class TrialForm(OneTimeSubmissionForm):
    """Set up a trial: what is tried, where (an area of the manager's organisation or one of
    its GP practices) and when. The baseline is worked out from the dates."""

    title = TextField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        help_text="A short name the board will know it by, such as "
        "“Volunteers at Alverton Practice's Multi-Disciplinary Team meeting”.",
    )
    model = forms.ChoiceField(label="Model of coproduction being tried", choices=TrialModel.choices)
    place = forms.ChoiceField(
        label="Where",
        help_text="An area, or one GP practice: a practice's trial counts the concerns of its patients.",
    )
    starts_on = DateWindowField(
        label="First day of the trial",
        earliest=EARLIEST_RECORD,
        latest=_two_years_ahead,
        too_late_message="The first day is more than two years away. Check the year.",
    )
    ends_on = DateWindowField(
        label="Last day of the trial",
        earliest=EARLIEST_RECORD,
        latest=_four_years_ahead,
        too_late_message="The last day is too far away. Check the year.",
        help_text="Two years at most. The figures are compared with the same length of time "
        "just before the first day (the baseline).",
    )
    description = TextField(
        label="What is being tried",
        max_length=DESCRIPTION_MAX_LENGTH,
        multiline=True,
        required=False,
        help_text="Who does what differently during the trial (optional).",
    )

    def __init__(self, *args, organisations, **kwargs):
        """`organisations`: those whose areas and practices are offered (ids, or a subquery)."""
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(organisation__in=organisations).order_by("name")
        self.areas = {f"area-{area.pk}": area for area in areas}
        self.practices = {
            f"practice-{practice.pk}": practice
            for practice in GPPractice.objects.filter(area__organisation__in=organisations)
            .select_related("area")
            .order_by("area__name", "name")
        }
        self.fields["place"].choices = [
            ("", "Choose an area or a GP practice"),
            ("Areas", [(key, area.name) for key, area in self.areas.items()]),
            (
                "GP practices",
                [(key, f"{p.name} ({p.area.name})") for key, p in self.practices.items()],
            ),
        ]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on:
            try:
                check_trial_dates(starts_on, ends_on)
            except forms.ValidationError as error:
                about_the_end = error.code in ("ends_before_start", "too_long")
                self.add_error("ends_on" if about_the_end else "starts_on", error)
        return cleaned

    def place_arguments(self) -> dict:
        """`area=` or `practice=` for `trial_create`, from the chosen place."""
        key = self.cleaned_data["place"]
        if key in self.areas:
            return {"area": self.areas[key]}
        return {"practice": self.practices[key]}

    def trial_arguments(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name not in ("place", KEY_FIELD)}
        return {**data, **self.place_arguments()}


OWN_CARD = "own"
BOARD_MEMBER_CARD = "board_member"


class CardForm(OneTimeSubmissionForm):
    """A feedback card: the two questions. A manager also says whose card it is: their own,
    or a board member's paper card they are typing up."""

    whose = forms.ChoiceField(
        label="Whose card is this?",
        choices=[
            (OWN_CARD, "My own card"),
            (BOARD_MEMBER_CARD, "A board member's card, typed up from paper (their name is not kept)"),
        ],
        widget=forms.RadioSelect,
        initial=BOARD_MEMBER_CARD,
    )
    opportunities = TextField(
        label=OPPORTUNITIES_QUESTION,
        max_length=CARD_ANSWER_MAX_LENGTH,
        multiline=True,
        rows=6,
        what="Opportunities",
    )
    limitations = TextField(
        label=LIMITATIONS_QUESTION,
        max_length=CARD_ANSWER_MAX_LENGTH,
        multiline=True,
        rows=6,
        what="Limitations",
    )

    def __init__(self, *args, may_type_up: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_type_up:
            del self.fields["whose"]

    @property
    def is_board_member_card(self) -> bool:
        return self.cleaned_data.get("whose") == BOARD_MEMBER_CARD

    def card_arguments(self) -> dict:
        return {
            "opportunities": self.cleaned_data["opportunities"],
            "limitations": self.cleaned_data["limitations"],
            "board_member": self.is_board_member_card,
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What happens now", choices=TrialDecision.choices, widget=forms.RadioSelect
    )
    reason = TextField(
        label="Why",
        max_length=REASON_MAX_LENGTH,
        multiline=True,
        rows=6,
        what="Why",
        help_text="The reasons, as the board paper will give them: what the figures and the cards showed.",
        error_messages={"required": "Say why: the reason is what the board will read."},
    )
