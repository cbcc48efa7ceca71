"""The view side of one-time submission keys, shared by every create form."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages

from livingwell.submissions.forms import KEY_FIELD
from livingwell.submissions.services import Record, Submitted, submit_once


def create_once(
    request, form, create: Callable[[dict], Record], *, done: str | Callable[[Record], str] = ""
) -> Submitted[Record]:
    """Run `create(data)` with the form's cleaned data, once for the form's key, and tell the
    person what happened: `done` for a new record, "Already sent" for a repeat. A
    ValidationError from `create` propagates with nothing kept."""
    data = {name: value for name, value in form.cleaned_data.items() if name != KEY_FIELD}
    submitted = submit_once(key=form.cleaned_data[KEY_FIELD], by=request.user, create=lambda: create(data))
    if submitted.is_repeat:
        messages.info(request, submitted.already_sent_message)
    elif done:
        messages.success(request, done(submitted.record) if callable(done) else done)
    return submitted
