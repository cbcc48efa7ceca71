from __future__ import annotations

from django import forms
from django.utils import timezone

from clients.models import NOTE_MAX_LENGTH, Allocation, Client, Consent, ConsentScope, normalise_nhs_number
from clients.services import CLIENT_FIELDS
from livingwell.accounts.models import Area, GPPractice
from livingwell.accounts.selectors import staff_areas_of
from livingwell.form_fields import DateInput, FilterForm, PastDateField, TextField, model_formfield
from livingwell.submissions.forms import OneTimeSubmissionForm
from volunteers.models import Skill, Volunteer


class ClientForm(OneTimeSubmissionForm, forms.ModelForm):
    """Register or edit a client. Practices and areas are limited to where the user works."""

    confirm_not_duplicate = forms.BooleanField(
        required=False,
        label="I have checked: this is a different person from the possible matches shown above",
    )
    # Wider than the stored ten digits: people type NHS numbers with spaces (943 476 5919).
    nhs_number = forms.CharField(
        required=False,
        max_length=20,
        label="NHS number",
        help_text="Optional. Ten digits, found on letters from the GP or hospital.",
    )
    support_wanted = forms.MultipleChoiceField(
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Help that would suit them",
        help_text="Used to suggest volunteers with matching skills.",
    )

    class Meta:
        model = Client
        fields = list(CLIENT_FIELDS)
        formfield_callback = model_formfield
        widgets = {
            "date_of_birth": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
            "practical_needs": forms.Textarea(attrs={"rows": 3}),
            "communication_needs": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"area": "Leave blank to use the GP practice's area."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(pk__in=staff_areas_of(user))
        self.fields["gp_practice"].queryset = GPPractice.objects.filter(area__in=areas).select_related("area")
        self.fields["area"].queryset = areas
        self.fields["area"].required = False
        self.fields["closed_reason"].help_text = "Needed when the status is Closed."
        for name in ("first_name", "last_name", "postcode", "phone", "next_of_kin_phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.possible_duplicates = []
        if self.instance.pk is None:
            del self.fields["status"]
            del self.fields["closed_reason"]

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future. Check the year.")
        if born.year < 1900:
            raise forms.ValidationError("Check the year of birth: it is before 1900.")
        return born

    def clean_nhs_number(self):
        return normalise_nhs_number(self.cleaned_data["nhs_number"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Client.Status.CLOSED and not cleaned.get("closed_reason", "").strip():
            self.add_error("closed_reason", "Say why the record is being closed.")
        return cleaned

    def client_fields(self) -> dict:
        """The edited details, as `client_update` takes them."""
        return {name: value for name, value in self.cleaned_data.items() if name != "confirm_not_duplicate"}


class ConsentForm(OneTimeSubmissionForm):
    scope = forms.ChoiceField(
        choices=ConsentScope.choices, widget=forms.RadioSelect, label="What does the client agree to?"
    )
    given_on = PastDateField(
        label="Date they agreed",
        initial=timezone.localdate,
        future_message="The date they agreed cannot be in the future.",
        too_early_message="Check the year: consent recorded here was given in 2000 or later.",
    )
    how_given = forms.ChoiceField(
        choices=Consent.HowGiven.choices, widget=forms.RadioSelect, label="How they agreed"
    )
    note = TextField(
        max_length=NOTE_MAX_LENGTH,
        multiline=True,
        rows=2,
        required=False,
        label="Note (optional)",
        help_text="For example, who else was there.",
    )


class WithdrawConsentForm(forms.Form):
    withdrawn_on = PastDateField(
        label="Date they withdrew",
        initial=timezone.localdate,
        future_message="The date they withdrew cannot be in the future.",
        too_early_message="Check the year: consent recorded here was withdrawn in 2000 or later.",
    )
    note = TextField(
        max_length=NOTE_MAX_LENGTH, multiline=True, rows=2, required=False, label="Note (optional)"
    )


class EndAllocationForm(forms.Form):
    reason = TextField(
        required=False,
        max_length=Allocation._meta.get_field("end_reason").max_length,
        label="Why is it ending? (optional)",
    )


class ClientSearchForm(FilterForm):
    q = TextField(
        required=False, max_length=100, counter=False, label="Search by name, postcode or NHS number"
    )
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False, empty_label="All your areas")
    status = forms.ChoiceField(choices=[("", "Any status"), *Client.Status.choices], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(pk__in=staff_areas_of(user))


class AllocateForm(forms.Form):
    volunteer = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "invalid_choice": "Choose a volunteer from the list: that one does not volunteer in "
            "this client's area.",
            "required": "Choose a volunteer from the list.",
        },
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.active().in_areas([client.area])
