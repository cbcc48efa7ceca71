from __future__ import annotations

from django import forms

from livingwell.accounts.models import Area, GPPractice
from livingwell.accounts.selectors import staff_areas_of
from livingwell.form_fields import DateInput, PastDateField
from livingwell.submissions.forms import KEY_FIELD, OneTimeSubmissionForm
from volunteers import selectors
from volunteers.models import Skill, TrainingModule, Volunteer
from volunteers.services import MAX_CAPACITY, PROFILE_FIELDS

MDT_EXPLAINED = (
    "Some GP practices hold a Multi-Disciplinary Team meeting, where doctors, nurses and "
    "social workers talk about patients who need joined-up care. If your client agrees, you "
    "could go along and speak for them. It is entirely up to you: many volunteers prefer not "
    "to, and that is fine. You can change your mind at any time."
)


class VolunteerForm(OneTimeSubmissionForm, forms.ModelForm):
    """A coordinator registers or edits a volunteer of their areas."""

    username = forms.CharField(max_length=150, help_text="What they type to sign in, such as vera.pascoe.")
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False, help_text="They use it to set their password, and for news.")
    phone = forms.CharField(max_length=30, required=False)
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

    phone = forms.CharField(max_length=30, required=False)
    skills = forms.MultipleChoiceField(
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Skills and background",
    )

    class Meta:
        model = Volunteer
        fields = ["skills", "languages", "availability", "mdt_opt_in"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].initial = self.instance.user.phone
        self.fields["mdt_opt_in"].help_text = MDT_EXPLAINED
        self.fields["mdt_opt_in"].label = "I would be willing to attend Multi-Disciplinary Team meetings"


class DBSCheckForm(OneTimeSubmissionForm):
    checked_on = PastDateField(
        label="Date of the check", future_message="The date of the check cannot be in the future."
    )
    reference = forms.CharField(max_length=40, label="Certificate number")
    renewal_due_on = forms.DateField(
        widget=DateInput(),
        required=False,
        label="Renewal due",
        help_text="Leave blank for three years after the check.",
    )


class TrainingRecordForm(OneTimeSubmissionForm):
    module = forms.ModelChoiceField(queryset=TrainingModule.objects.all(), label="Training module")
    completed_on = PastDateField(label="Completed on")


class AgreementForm(OneTimeSubmissionForm):
    version = forms.CharField(max_length=20, label="Agreement version", initial="2026.1")
    signed_on = PastDateField(label="Signed on")


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search by name")
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False, empty_label="All your areas")
    skill = forms.ChoiceField(choices=[("", "Any skill"), *Skill.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Volunteer.Status.choices], required=False)
    mdt_opt_in = forms.ChoiceField(
        choices=[("", "Either"), ("yes", "Willing"), ("no", "Not willing")],
        required=False,
        label="Multi-Disciplinary Team meetings",
    )
    dbs_renewal_due = forms.BooleanField(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(pk__in=staff_areas_of(user))
        # The selector's window, read when the form is made, so the words follow the rule.
        self.fields["dbs_renewal_due"].label = (
            "Disclosure and Barring Service (DBS) check due for renewal in the next "
            f"{selectors.DBS_RENEWAL_WARNING_DAYS} days"
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        mdt = {"yes": True, "no": False}.get(data["mdt_opt_in"])
        return {
            "search": data["q"],
            "area": data["area"],
            "skill": data["skill"],
            "status": data["status"],
            "mdt_opt_in": mdt,
            "dbs_renewal_due": data["dbs_renewal_due"],
        }
