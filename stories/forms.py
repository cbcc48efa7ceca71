from __future__ import annotations

from django import forms

from livingwell.form_fields import TextField
from livingwell.submissions.forms import OneTimeSubmissionForm
from stories.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH

# The two ways to save a story's words: the name and values of the form's two buttons.
SEND = "send"
SAVE_DRAFT = "draft"


class StoryForm(forms.Form):
    title = TextField(
        max_length=TITLE_MAX_LENGTH,
        label="Title",
        help_text="A short headline, such as “Warm again for the winter”.",
        error_messages={"required": "Give the story a title."},
    )
    body = TextField(
        max_length=BODY_MAX_LENGTH,
        multiline=True,
        rows=8,
        label="The story",
        help_text=(
            "What the volunteer noticed, what was done and what difference it made. Leave out "
            "anything that could tell somebody who the client is: their name, address, postcode, "
            "phone or NHS number. Say “an older man who lives alone”, not his name."
        ),
        error_messages={"required": "Write the story."},
    )

    def sends_for_approval(self) -> bool:
        return self.data.get("save") != SAVE_DRAFT


class NewStoryForm(OneTimeSubmissionForm, StoryForm):
    """A new story carries a one-time key: sent twice, it is written once."""
