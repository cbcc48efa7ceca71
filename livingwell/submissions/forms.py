"""The one-time key that every create form carries."""

from __future__ import annotations

import uuid

from django import forms

KEY_FIELD = "submission_key"


class OneTimeSubmissionForm(forms.Form):
    """Mix into a create form (before `forms.ModelForm` where there is one; a model form
    that edits an existing record has no key). The key is made when the empty form is
    shown and kept through corrections, so sending the same form twice sends the same key."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_was_missing = False
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            # A model form editing a record changes it in place: sending it twice does no harm.
            del self.fields[KEY_FIELD]
            return
        if self.is_bound and not _is_key(self.data.get(self.add_prefix(KEY_FIELD))):
            # A form that arrives without its key (never from our pages) gets a new one to
            # send again with, rather than an error it could not fix.
            self.data = self.data.copy()
            self.data[self.add_prefix(KEY_FIELD)] = str(uuid.uuid4())
            self.key_was_missing = True

    def clean(self):
        cleaned = super().clean()
        if self.key_was_missing and KEY_FIELD in self.fields:
            raise forms.ValidationError("Please check the details and send the form again.")
        return cleaned


def _is_key(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
