from __future__ import annotations

import functools
import hashlib

from django import forms
from django.utils import timezone

from clients.models import Client
from clients.selectors import clients_for_saved_reports, clients_of_volunteer
from livingwell.accounts.models import Area, Route, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import people_with_role_in, staff_areas_of, staff_areas_today
from livingwell.dates import a_year_ahead
from livingwell.form_fields import (
    DateWindowField,
    FilterForm,
    ListedModelChoiceIterator,
    LocalDateTimeField,
    TextField,
)
from livingwell.submissions.forms import OneTimeSubmissionForm
from risks.models import (
    SEVERITY_DESCRIPTIONS,
    OnCallShift,
    OutcomeKind,
    Referral,
    RiskCategory,
    Service,
    Severity,
    Status,
)
from risks.selectors import directory_areas_of
from risks.services import (
    DETAIL_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    WHAT_WAS_SEEN_MAX_LENGTH,
    observed_at_check,
)


def local_now():
    return timezone.localtime().replace(second=0, microsecond=0)


def grouped_categories(categories=None) -> list:
    """Categories grouped under Health, Social and Home and surroundings, for a <select>.
    `categories`: the ones already read for the page, so that it reads them once."""
    groups: dict[str, list] = {}
    for category in RiskCategory.objects.all() if categories is None else categories:
        groups.setdefault(category.get_group_display(), []).append((category.pk, category.name))
    return [("", "Choose what it is about"), *groups.items()]


def report_form_version(categories) -> str:
    """Names the drawing of the report form's parts that are the same for everyone (the
    category list, the guidance, the fixed fields), so that a cached drawing is used only
    while every category is as it was drawn."""
    drawn = [(c.pk, c.group, c.name, c.look_for, c.do_now, c.emergency, c.who_to_tell) for c in categories]
    return hashlib.sha256(repr(drawn).encode()).hexdigest()[:20]


class ReportConcernForm(OneTimeSubmissionForm):
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(),
        empty_label="Choose a client",
        label="Who is it about?",
        error_messages={
            "invalid_choice": "Choose one of your clients from the list.",
            "required": "Choose who the concern is about.",
        },
    )
    category = forms.ModelChoiceField(
        queryset=RiskCategory.objects.all(),
        label="What is it about?",
        error_messages={
            "required": "Choose what the concern is about.",
            "invalid_choice": "Choose what the concern is about from the list.",
        },
    )
    severity = forms.ChoiceField(
        choices=[(value, f"{label}: {SEVERITY_DESCRIPTIONS[value]}") for value, label in Severity.choices],
        widget=forms.RadioSelect,
        label="How serious is it?",
        error_messages={"required": "Choose how serious it is."},
    )
    what_was_seen = TextField(
        max_length=WHAT_WAS_SEEN_MAX_LENGTH,
        multiline=True,
        rows=4,
        label="What did you see or hear?",
        help_text="In your own words. You do not need to say what you think is wrong.",
        error_messages={"required": "Tell us what you saw or heard."},
    )
    observed_at = LocalDateTimeField(label="When did you see it?", initial=local_now)
    action_taken = TextField(
        max_length=DETAIL_MAX_LENGTH,
        multiline=True,
        rows=2,
        required=False,
        label="What have you already done? (optional)",
    )
    client_wishes = TextField(
        max_length=DETAIL_MAX_LENGTH,
        multiline=True,
        rows=2,
        required=False,
        label="What does the client want? (optional)",
    )

    def __init__(self, *args, user: User, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["client"].iterator = ListedModelChoiceIterator
        self.fields["client"].queryset = clients_of_volunteer(user)
        self.fields["client"].label_from_instance = lambda client: f"{client.called} {client.last_name}"
        # Made when the list is shown (the widget reads it twice), not when a sent form is
        # checked, which looks up only the category chosen.
        self.fields["category"].choices = functools.cache(lambda: grouped_categories(categories))

    def clean_observed_at(self):
        observed_at = self.cleaned_data["observed_at"]
        observed_at_check(observed_at)
        return observed_at


class SavedReportForm(ReportConcernForm):
    """A report kept on the volunteer's phone while there was no signal, sent later by the
    phone itself: the report form's boxes, and when the phone says it was written. Its
    clients are those the volunteer visited at some point in the last year, so that a
    report about a client whose visits ended while the phone was offline reaches the
    service, which decides by the day it was seen."""

    written_at = forms.DateTimeField(
        required=False,
        label="When it was written on the phone",
        error_messages={
            "invalid": "When it was written on the phone must be a date and time, "
            "such as 2026-11-29T14:02:00+00:00."
        },
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["client"].queryset = clients_for_saved_reports(user)


# How many volunteers the phone form lists at once; a search narrows it.
VOLUNTEERS_LISTED = 50


class VolunteerSearchForm(forms.Form):
    """Finds the volunteer on the phone by name: the first step of the phone form."""

    volunteer_name = TextField(
        required=False,
        max_length=100,
        counter=False,
        label="Find the volunteer by name",
        help_text="Type part of their first or last name, then choose Find.",
    )


class PhoneConcernForm(ReportConcernForm):
    """A team leader records a concern for the volunteer on the phone, about one of that
    volunteer's clients. The volunteer is chosen first, so that the list holds their few
    clients rather than every client of the areas (thousands, at a busy programme's size)."""

    volunteer = forms.ModelChoiceField(queryset=User.objects.none(), widget=forms.HiddenInput)
    field_order = ["client"]

    def __init__(self, *args, user: User, volunteer: User, **kwargs):
        super().__init__(*args, user=volunteer, **kwargs)
        self.volunteer = volunteer
        self.fields["volunteer"].queryset = User.objects.filter(pk=volunteer.pk)
        self.fields["volunteer"].initial = volunteer.pk
        client = self.fields["client"]
        client.queryset = client.queryset.filter(area__in=staff_areas_of(user))
        client.label = f"Which of {volunteer.get_full_name()}'s clients is it about?"
        client.label_from_instance = lambda client: f"{client.full_name} ({client.postcode})"
        client.error_messages["invalid_choice"] = (
            f"Choose one of {volunteer.get_full_name()}'s clients from the list."
        )


class EscalateForm(OneTimeSubmissionForm):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        label="Refer to a service in the directory",
        error_messages={"invalid_choice": "Choose a service that covers this client's area."},
    )
    key_worker = TextField(
        required=False,
        what="Key worker",
        max_length=Referral._meta.get_field("key_worker").max_length,
        label="Or name the key worker",
        help_text="The person who has taken responsibility, with their role.",
    )
    reference = TextField(
        required=False,
        what="Their reference",
        max_length=Referral._meta.get_field("reference").max_length,
        label="Their reference (optional)",
    )
    expected_response_on = DateWindowField(
        required=False,
        earliest=timezone.localdate,
        latest=a_year_ahead,
        too_early_message="The date you expect to hear back cannot be in the past.",
        too_late_message="The date you expect to hear back must be within a year from today. Check the year.",
        label="When do you expect to hear back? (optional)",
    )
    note = TextField(
        max_length=NOTE_MAX_LENGTH,
        multiline=True,
        rows=2,
        required=False,
        what="The note",
        label="Note (optional)",
    )

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].iterator = ListedModelChoiceIterator
        self.fields["service"].queryset = Service.objects.filter(is_active=True, areas=area).order_by("name")

    def service_options(self) -> list[tuple[str, str, bool]]:
        """The list of services as (value, label, selected), for the page to write out by hand:
        the list changes with the area and the directory, the rest of the form never does."""
        chosen = str(self["service"].value() or "")
        return [(str(value), label, str(value) == chosen) for value, label in self.fields["service"].choices]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("service") and not cleaned.get("key_worker", "").strip():
            raise forms.ValidationError("Choose a service from the directory or name the key worker.")
        return cleaned


class OutcomeForm(forms.Form):
    # Errors are shown away from the form (as a message on the page), so each says which
    # box it is about.
    kind = forms.ChoiceField(
        label="What kind of outcome",
        choices=[("", "Choose one"), *OutcomeKind.choices],
        error_messages={
            "required": "Choose what kind of outcome it was.",
            "invalid_choice": "Choose what kind of outcome it was from the list.",
        },
        help_text="For the programme's reports: what difference the concern made.",
    )
    staff_summary = TextField(
        max_length=SUMMARY_MAX_LENGTH,
        multiline=True,
        what="What happened (for staff)",
        error_messages={"required": "Write what happened, for staff."},
        label="What happened (for staff)",
    )
    volunteer_message = TextField(
        max_length=SUMMARY_MAX_LENGTH,
        multiline=True,
        what="Message for the volunteer",
        error_messages={"required": "Write the message for the volunteer."},
        label="Message for the volunteer",
        help_text="Warm and plain. They see it only if the client agreed they may be told what happened; "
        "otherwise they get a thank-you without details.",
    )


CLOSE_REASONS = [
    ("No action needed", "No action needed"),
    ("Resolved", "Resolved"),
    ("The client did not want help", "The client did not want help"),
    ("Already being dealt with elsewhere", "Already being dealt with elsewhere"),
    ("Other", "Other (say why below)"),
]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(choices=CLOSE_REASONS, label="Why close it?")
    detail = TextField(required=False, max_length=150, what="More detail", label="More detail (optional)")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == "Other" and not cleaned.get("detail", "").strip():
            self.add_error("detail", "Say why the concern is being closed.")
        return cleaned

    def reason_text(self) -> str:
        reason, detail = self.cleaned_data["reason"], self.cleaned_data["detail"].strip()
        if reason == "Other":
            return detail
        return f"{reason}: {detail}" if detail else reason


class ReopenForm(forms.Form):
    note = TextField(
        max_length=NOTE_MAX_LENGTH,
        multiline=True,
        rows=2,
        what="Why reopen it",
        error_messages={"required": "Say why the concern is being reopened."},
        label="Why reopen it?",
    )


class NoteForm(forms.Form):
    note = TextField(
        max_length=NOTE_MAX_LENGTH,
        multiline=True,
        rows=2,
        required=False,
        what="The note",
        label="Note (optional)",
    )


class QueueFilterForm(FilterForm):
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False, empty_label="All your areas")
    category = forms.ModelChoiceField(queryset=RiskCategory.objects.all(), required=False, empty_label="Any")
    severity = forms.ChoiceField(choices=[("", "Any"), *Severity.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any open"), *[c for c in Status.choices if c[0] != Status.CLOSED]], required=False
    )
    route = forms.ChoiceField(choices=[("", "Any"), *Route.choices], required=False)
    # A name to search for, matched in the database: a list of every volunteer of the areas
    # would run to thousands of options.
    volunteer = TextField(
        required=False,
        max_length=100,
        counter=False,
        label="Volunteer",
        help_text="Type part of their name.",
    )
    overdue = forms.BooleanField(required=False, label="Only those past their target time")

    # The lists, in the order the page shows them; the template writes their HTML itself
    # (`risks/includes/filter_select.html`), as crispy-forms would lay it out, at a fraction
    # of the cost on a page every coordinator opens all day.
    SELECTS = ("area", "category", "severity", "status", "route")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(pk__in=staff_areas_of(user))
        self.user = user

    @functools.cached_property
    def listed(self) -> dict[str, list]:
        """The areas and categories offered (a handful each), read once: for the lists, and
        for the concerns the page shows (`selectors.attach_queue_details`). The areas are
        those the queue itself reads, already read for this request."""
        return {"area": staff_areas_today(self.user), "category": list(self.fields["category"].queryset)}

    @functools.cached_property
    def selects(self) -> list[tuple[forms.BoundField, list[tuple[str, str, bool]]]]:
        """Each list with its options as (value, label, selected): the one chosen selected
        (or "Any" before anything is chosen), none when what was sent is not an option."""
        return [(self[name], self._options(name)) for name in self.SELECTS]

    def _options(self, name: str) -> list[tuple[str, str, bool]]:
        value = self[name].value()
        chosen = "" if value is None else str(value)
        field = self.fields[name]
        choices = (
            [
                ("", field.empty_label),
                *((item.pk, field.label_from_instance(item)) for item in self.listed[name]),
            ]
            if name in self.listed
            else field.choices
        )
        options, found = [], False
        for option_value, label in choices:
            option_value = str(option_value)
            selected = not found and option_value == chosen
            found = found or selected
            options.append((option_value, label, selected))
        return options

    def filters(self) -> dict:
        filters = {key: value for key, value in self.valid_filters.items() if value}
        if "volunteer" in filters:
            filters["volunteer_name"] = filters.pop("volunteer").strip()
        return filters


class ServiceForm(OneTimeSubmissionForm, forms.ModelForm):
    """A directory service. The area boxes are the areas where this coordinator works; a
    shared service's other areas are named under them and stay as they are (the service
    `services.service_update` keeps them)."""

    # People type "www.example.org"; every service we list has a secure site.
    website = forms.URLField(required=False, assume_scheme="https", label="Website")

    class Meta:
        model = Service
        fields = [
            "name",
            "kind",
            "is_medical",
            "helps_with",
            "contact_person",
            "phone",
            "email",
            "hours",
            "website",
            "areas",
            "categories",
            "is_active",
        ]
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "categories": forms.CheckboxSelectMultiple,
            "helps_with": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        mine = Area.objects.filter(pk__in=directory_areas_of(user)).order_by("name")
        areas = self.fields["areas"]
        areas.queryset = mine
        # Unticking every one of your areas is allowed when the service still covers
        # another area; the service says so when nothing would be left.
        areas.required = False
        areas.label = "Which of your areas does it cover?"
        areas.error_messages["invalid_choice"] = "Choose only the areas where you work."
        others = (
            self.instance.areas.exclude(pk__in=mine).order_by("name")
            if self.instance.pk
            else Area.objects.none()
        )
        self.other_areas = [area.name for area in others]
        if self.other_areas:
            one = len(self.other_areas) == 1
            areas.help_text = f"It also covers {_listed(self.other_areas)}, which " + (
                "stays as it is: only the coordinators there can change it."
                if one
                else "stay as they are: only the coordinators there can change them."
            )
        else:
            areas.help_text = ""


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class DirectorySearchForm(FilterForm):
    q = TextField(
        required=False,
        max_length=100,
        counter=False,
        label="What do you need help with?",
        help_text="For example: transport, heating, lonely, grab rails.",
    )
    area = forms.ModelChoiceField(queryset=Area.objects.all(), required=False, empty_label="Any area")
    medical = forms.ChoiceField(
        choices=[("", "Medical and non-medical"), ("yes", "Medical only"), ("no", "Non-medical only")],
        required=False,
        label="Kind of help",
    )


class ShiftForm(OneTimeSubmissionForm, forms.ModelForm):
    """A shift on the rota. Its rules (who may be on call, a plausible time) live in
    `services.check_shift`; the view shows that service's errors on this form."""

    class Meta:
        model = OnCallShift
        fields = ["area", "team_leader", "backup", "starts_at", "ends_at"]
        field_classes = {"starts_at": LocalDateTimeField, "ends_at": LocalDateTimeField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        areas = staff_areas_of(user)
        self.fields["area"].queryset = Area.objects.filter(pk__in=areas)
        leaders = people_with_role_in(Role.TEAM_LEADER, areas)
        self.fields["team_leader"].queryset = leaders
        self.fields["backup"].queryset = leaders
