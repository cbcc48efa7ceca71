"""Form widgets and fields that every app's forms share.

Every free-text box is a `TextField`: what is typed is normalised (`livingwell.text`), must
show something when the box is required, and has a maximum length that the page shows as a
live counter (`static/js/char-counter.js` reads the `data-counter` attribute). Every date
box has a plausible window with a plain message, so that a slip of the finger (year 1,
year 9999) is caught where it is typed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from livingwell import uk
from livingwell.dates import EARLIEST_RECORD, long_date
from livingwell.text import INVISIBLE_MESSAGE, MaxLengthInPlainWords, has_visible_text, normalise_text


class DateInput(forms.DateInput):
    """The browser's own date picker (a phone shows its calendar)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# Django's own message names the time zone ("couldn't be interpreted in time zone
# Europe/London"); this one says what happened and what to do.
CLOCKS_CHANGED = (
    "The clocks changed at that time, so it happened twice or not at all. "
    "Choose a time before or after that hour."
)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed as the clock showed it. The night the clocks go back, 01:30
    happens twice; the night they go forward, not at all: either is refused plainly. A time
    sent with its offset is exact."""

    widget = DateTimeInput

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code == "ambiguous_timezone":
                raise forms.ValidationError(CLOCKS_CHANGED, code="ambiguous_timezone") from error
            raise


class TextField(forms.CharField):
    """Free text, one line or several, with a maximum length.

    Normalised before it is checked (Unicode NFC, invisible and control characters
    removed, trimmed); a required box must contain something visible; the widget carries
    `maxlength` and `data-counter` so the person typing sees "143 of 2,000 characters".
    """

    def __init__(
        self,
        *,
        max_length: int,
        multiline: bool = False,
        rows: int = 3,
        counter: bool = True,
        what: str = "",
        **kwargs,
    ):
        # A search box has a limit but no counter: nothing typed there is kept. `what` names
        # the box in messages shown away from it ("The message for the volunteer").
        self.multiline, self.counter, self.what = multiline, counter, what
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}) if multiline else forms.TextInput)
        super().__init__(max_length=max_length, strip=False, **kwargs)
        # Django's own check says "Ensure this value has at most 100 characters"; this one
        # says how long it is and what to do.
        self.validators = [
            validator for validator in self.validators if not isinstance(validator, MaxLengthValidator)
        ]
        self.validators.append(MaxLengthInPlainWords(max_length, what=what))

    def to_python(self, value):
        return normalise_text(super().to_python(value), multiline=self.multiline)

    def clean(self, value):
        text = self.to_python(value)
        if self.required and not has_visible_text(text) and isinstance(value, str) and value.strip():
            # Something was typed, but nothing that shows: say so, rather than "required".
            prefix = f"{self.what}: " if self.what else ""
            raise forms.ValidationError(prefix + INVISIBLE_MESSAGE, code="invisible")
        self.validate(text)
        self.run_validators(text)
        return text

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.counter and not widget.is_hidden:
            attrs["data-counter"] = str(self.max_length)
        return attrs


def _day(value: datetime.date | Callable[[], datetime.date] | None) -> datetime.date | None:
    return value() if callable(value) else value


class DateWindowField(forms.DateField):
    """A date between `earliest` and `latest` (dates, or functions of today), each with a
    plain message. Parsing a year such as 1 or 9999 works; the window refuses it."""

    widget = DateInput

    def __init__(
        self,
        *,
        earliest: datetime.date | Callable[[], datetime.date] | None = None,
        latest: datetime.date | Callable[[], datetime.date] | None = None,
        too_early_message: str = "",
        too_late_message: str = "",
        **kwargs,
    ):
        self.earliest, self.latest = earliest, latest
        self.too_early_message, self.too_late_message = too_early_message, too_late_message
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # The browser's picker offers only the window, where it is fixed (attributes are
        # made once per process, so "today" would go stale); the server checks it regardless.
        if isinstance(self.earliest, datetime.date):
            attrs["min"] = self.earliest.isoformat()
        if isinstance(self.latest, datetime.date):
            attrs["max"] = self.latest.isoformat()
        return attrs

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        earliest, latest = _day(self.earliest), _day(self.latest)
        if earliest and value < earliest:
            raise forms.ValidationError(
                self.too_early_message or f"The date cannot be before {long_date(earliest)}. Check the year.",
                code="too_early",
            )
        if latest and value > latest:
            raise forms.ValidationError(
                self.too_late_message or f"The date cannot be after {long_date(latest)}. Check the year.",
                code="too_late",
            )


class PastDateField(DateWindowField):
    """A date that has already happened: today or earlier, in the UK, and not before
    `earliest` (by default 1 January 2000)."""

    def __init__(
        self,
        *,
        future_message: str = "The date cannot be in the future.",
        earliest: datetime.date | Callable[[], datetime.date] | None = EARLIEST_RECORD,
        **kwargs,
    ):
        super().__init__(
            earliest=earliest, latest=timezone.localdate, too_late_message=future_message, **kwargs
        )


class TelInput(forms.TextInput):
    """A phone number box: phones show their number pad."""

    input_type = "tel"


class UKPhoneField(forms.CharField):
    """A UK phone number, stored as `livingwell.uk.normalise_uk_phone` writes it."""

    widget = TelInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", "A UK number, such as 01736 362321 or 07700 900123.")
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(autocomplete="off")
        return attrs

    def to_python(self, value):
        return uk.normalise_uk_phone(super().to_python(value))


class UKPostcodeField(forms.CharField):
    """A UK postcode, stored in capitals with one space (TR18 4AB)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(autocomplete="off", autocapitalize="characters")
        return attrs

    def to_python(self, value):
        return uk.normalise_uk_postcode(super().to_python(value))


def model_formfield(db_field, **kwargs):
    """`formfield_callback` for ModelForms: text columns become `TextField`s (with the model's
    maximum length), and columns checked as UK phones or postcodes the matching fields.
    Everything else is Django's default."""
    from django.db import models
    from django.utils.text import capfirst

    if not isinstance(db_field, models.CharField | models.TextField) or db_field.choices:
        return db_field.formfield(**kwargs)
    options = {"required": not db_field.blank, "label": capfirst(db_field.verbose_name), **kwargs}
    if db_field.help_text:
        # Otherwise the field's own help stands (a phone box says what a UK number looks like).
        options["help_text"] = db_field.help_text
    if uk.validate_uk_phone in db_field.validators:
        return UKPhoneField(max_length=db_field.max_length, **options)
    if uk.validate_uk_postcode in db_field.validators:
        return UKPostcodeField(max_length=db_field.max_length, **options)
    if db_field.max_length is None:
        raise ValueError(f"{db_field} needs a max_length: every free-text box has one.")
    return TextField(
        max_length=db_field.max_length, multiline=isinstance(db_field, models.TextField), **options
    )


def select_options(field: forms.BoundField, choices=None) -> list[tuple[str, str, bool]]:
    """A list's options as (value, label, selected), for a filter form whose HTML the page
    writes itself (`risks/includes/filter_select.html`): the one chosen selected (or the
    first, "Any", before anything is chosen), none when what was sent is not an option.
    `choices`: the (value, label) pairs when they are already read, else the field's own."""
    value = field.value()
    chosen = "" if value is None else str(value)
    options, found = [], False
    for option_value, label in field.field.choices if choices is None else choices:
        option_value = str(option_value)
        selected = not found and option_value == chosen
        found = found or selected
        options.append((option_value, label, selected))
    return options


class ListedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """The options read in one query. Django's own iterator reads them through a
    server-side cursor (DECLARE, FETCH, CLOSE: three round trips and a cursor held open) to
    spare memory on long lists; the lists people choose from here (a volunteer's clients, an
    area's services or volunteers, the people at a meeting) are at most a few thousand."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedModelChoiceIterator


class ListedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedModelChoiceIterator


NOT_A_CHOICE = "This is not one of the choices. Choose one from the list."


class FilterForm(forms.Form):
    """The filters of a list page, read from the address. A value that is not one of a
    list's choices (a mistyped or old link, or tampering) is said plainly and left out; the
    other filters still apply, so nobody is shown everything because of one bad value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if "invalid_choice" in field.error_messages:
                field.error_messages = {**field.error_messages, "invalid_choice": NOT_A_CHOICE}
            if "invalid_list" in field.error_messages:
                field.error_messages = {**field.error_messages, "invalid_list": NOT_A_CHOICE}

    @property
    def valid_filters(self) -> dict:
        """The filters sent that are valid, by name; those that are not are left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(self.cleaned_data)
