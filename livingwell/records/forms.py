from django import forms

from livingwell.records.models import SecurityEvent
from livingwell.records.services import REASON_MAX_LENGTH, REASON_REQUIRED


class ExportRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why a copy is needed",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": REASON_REQUIRED},
        help_text="Who asked for it and how (for example: the client asked in writing on 3 March), "
        "or the other lawful reason.",
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Why it is refused",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the request is refused."},
        help_text="The person who asked will read this.",
    )


class SecurityEventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened", required=False, choices=[("", "Everything"), *SecurityEvent.Kind.choices]
    )
    username = forms.CharField(label="Username", required=False, max_length=150)

    @property
    def valid_filters(self) -> dict:
        """The filters that were given and make sense; anything else is ignored, not an error."""
        if not self.is_bound or not self.is_valid():
            return {}
        return self.cleaned_data
