from __future__ import annotations

import functools

from django import forms
from django.core.exceptions import ValidationError

from livingwell.accounts.models import Area, GPPractice
from livingwell.accounts.selectors import staff_areas_of
from livingwell.dates import EARLIEST_RECORD
from livingwell.form_fields import (
    DateWindowField,
    FilterForm,
    PastDateField,
    TextField,
    UKPhoneField,
    model_formfield,
    select_options,
)
from livingwell.submissions.forms import KEY_FIELD, OneTimeSubmissionForm
from volunteers import selectors
from volunteers.models import ConfidentialityAgreement, DBSCheck, Skill, TrainingModule, Volunteer
from volunteers.services import MAX_CAPACITY, PROFILE_FIELDS, renewal_window_check

MDT_EXPLAINED = (
    "Some GP practices hold a Multi-Disciplinary Team meeting, where doctors, nurses and "
    "social workers talk about patients who need joined-up care. If your client agrees, you "
    "could go along and speak for them. It is entirely up to you: many volunteers prefer not "
    "to, and that is fine. You can change your mind at any time."
)


class VolunteerForm(OneTimeSubmissionForm, forms.ModelForm):
    """A coordinator registers or edits a volunteer of their areas."""

    username = TextField(max_length=150, help_text="What they type to sign in, such as vera.pascoe.")
    first_name = TextField(max_length=150)
    last_name = TextField(max_length=150)
    email = forms.EmailField(required=False, help_text="They use it to set their password, and for news.")
    phone = UKPhoneField(required=False)
    areas = forms.ModelMultipleChoiceField(queryset=Area.objects.none(), widget=forms.CheckboxSelectMultiple)
    skills = forms.MultipleChoiceField(
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Skills and background",
    )

    class Meta:
        model = Volunteer
        fields = list(PROFILE_FIELDS)
        formfield_callback = model_formfield
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "background": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(pk__in=staff_areas_of(user))
        self.fields["own_gp_practice"].queryset = GPPractice.objects.select_related("area")
        self.fields["mdt_opt_in"].help_text = MDT_EXPLAINED
        # The limit is the service's rule; the form only says it, and shows the service's refusal.
        self.fields["capacity"].widget.attrs.update(min=0, max=MAX_CAPACITY)
        self.fields[
            "capacity"
        ].help_text = f"How many clients they can visit regularly: {MAX_CAPACITY} at most."
        if self.instance.pk:
            del self.fields["username"]
            person = self.instance.user
            for name in ("first_name", "last_name", "email", "phone"):
                self.fields[name].initial = getattr(person, name)
            self.fields["areas"].initial = [m.area_id for m in person.area_memberships.current()]
        else:
            del self.fields["status"]

    def profile_fields(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("areas", "username", KEY_FIELD)
        }


class PreferencesForm(forms.ModelForm):
    """What a volunteer chooses for themselves."""

    phone = UKPhoneField(required=False)
    skills = forms.MultipleChoiceField(
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Skills and background",
    )

    class Meta:
        model = Volunteer
        fields = ["skills", "languages", "availability", "mdt_opt_in"]
        formfield_callback = model_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].initial = self.instance.user.phone
        self.fields["mdt_opt_in"].help_text = MDT_EXPLAINED
        self.fields["mdt_opt_in"].label = "I would be willing to attend Multi-Disciplinary Team meetings"


class DBSCheckForm(OneTimeSubmissionForm):
    checked_on = PastDateField(
        label="Date of the check",
        future_message="The date of the check cannot be in the future.",
        too_early_message="Check the year: the check must be from 2000 or later.",
    )
    reference = TextField(
        max_length=DBSCheck._meta.get_field("reference").max_length, label="Certificate number"
    )
    renewal_due_on = DateWindowField(
        required=False,
        earliest=EARLIEST_RECORD,
        label="Renewal due",
        help_text="Leave blank for three years after the check.",
    )

    def clean(self):
        cleaned = super().clean()
        checked_on, renewal_due_on = cleaned.get("checked_on"), cleaned.get("renewal_due_on")
        if checked_on and renewal_due_on:
            try:
                renewal_window_check(checked_on=checked_on, renewal_due_on=renewal_due_on)
            except ValidationError as error:
                self.add_error("renewal_due_on", error)
        return cleaned


class TrainingRecordForm(OneTimeSubmissionForm):
    module = forms.ModelChoiceField(queryset=TrainingModule.objects.all(), label="Training module")
    completed_on = PastDateField(
        label="Completed on",
        too_early_message="Check the year: training recorded here is from 2000 or later.",
    )


class AgreementForm(OneTimeSubmissionForm):
    version = TextField(
        max_length=ConfidentialityAgreement._meta.get_field("version").max_length,
        label="Agreement version",
        initial="2026.1",
    )
    signed_on = PastDateField(
        label="Signed on",
        too_early_message="Check the year: agreements recorded here are from 2000 or later.",
    )


class VolunteerFilterForm(FilterForm):
    q = TextField(required=False, max_length=100, counter=False, label="Search by name")
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False, empty_label="All your areas")
    skill = forms.ChoiceField(choices=[("", "Any skill"), *Skill.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Volunteer.Status.choices], required=False)
    mdt_opt_in = forms.ChoiceField(
        choices=[("", "Either"), ("yes", "Willing"), ("no", "Not willing")],
        required=False,
        label="Multi-Disciplinary Team meetings",
    )
    dbs_renewal_due = forms.BooleanField(required=False)

    # The page writes the form's HTML itself, as crispy-forms would lay it out, at a fraction
    # of the cost (`volunteers/volunteer_list.html`).
    SELECTS = ("area", "skill", "status", "mdt_opt_in")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(pk__in=staff_areas_of(user))
        # The selector's window, read when the form is made, so the words follow the rule.
        self.fields["dbs_renewal_due"].label = (
            "Disclosure and Barring Service (DBS) check due for renewal in the next "
            f"{selectors.DBS_RENEWAL_WARNING_DAYS} days"
        )

    @functools.cached_property
    def options(self) -> dict[str, list[tuple[str, str, bool]]]:
        """Each list's options as (value, label, selected). The areas (a handful) are read
        in one query: Django's own iterator would read them through a server-side cursor,
        three round trips."""
        area = self.fields["area"]
        areas = [("", area.empty_label), *((a.pk, area.label_from_instance(a)) for a in area.queryset)]
        return {name: select_options(self[name], areas if name == "area" else None) for name in self.SELECTS}

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        data = self.valid_filters
        return {
            "search": data.get("q", ""),
            "area": data.get("area"),
            "skill": data.get("skill", ""),
            "status": data.get("status", ""),
            "mdt_opt_in": {"yes": True, "no": False}.get(data.get("mdt_opt_in", "")),
            "dbs_renewal_due": data.get("dbs_renewal_due", False),
        }
