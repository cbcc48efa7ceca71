"""What typed text is stored as, and when it counts as written at all.

Text arrives pasted from emails, phones and word processors. Before it is checked or
saved, every free-text value goes through `normalise_text`, so that two names that look
the same are the same (``Edith`` and ``Edith`` followed by an invisible space), and a box
that looks empty is empty. Forms (`livingwell.form_fields.TextField`), models
(`NormalisedTextMixin`) and services use these same helpers.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

# Characters that show nothing but change what a text is: zero-width spaces and joiners,
# the word joiner, the byte order mark, the soft hyphen, and the controls that flip the
# direction of text (used to make a name read differently on screen from what is stored).
INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # bidirectional embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner and invisible operators
    "\u2066\u2067\u2068\u2069"  # bidirectional isolates
    "\ufeff"  # byte order mark, zero-width no-break space
)
# Letters and symbols that are drawn as nothing: they count as characters but not as
# visible text (a name made of them looks blank).
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")

_CONTROLS = [chr(code) for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
_LINE_BREAKS = "\n\r\u0085\u2028\u2029\x0b\x0c"


def _table(*, multiline: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(character): None for character in INVISIBLE}
    for character in _CONTROLS:
        table[ord(character)] = None
    if multiline:
        table[ord("\t")] = "\t"
        table[ord("\n")] = "\n"
    else:
        # On one line a pasted tab or line break was meant as a space between words.
        table[ord("\t")] = " "
        for character in _LINE_BREAKS:
            table[ord(character)] = " "
    return table


_SINGLE_LINE = _table(multiline=False)
_MULTILINE = _table(multiline=True)


def normalise_text(value: str | None, *, multiline: bool = False) -> str:
    """`value` in Unicode NFC, without invisible and control characters, trimmed.

    Multi-line text keeps its line breaks (``\\r\\n`` and ``\\r`` become ``\\n``) and tabs,
    and loses spaces at the end of each line. Single-line text has each run of spaces,
    tabs or line breaks made one ordinary space.
    """
    if not value:
        return ""
    text = str(value)
    if multiline:
        text = text.replace("\r\n", "\n")
        for character in "\r\u0085\u2028\u2029\x0b\x0c":
            text = text.replace(character, "\n")
    text = unicodedata.normalize("NFC", text.translate(_MULTILINE if multiline else _SINGLE_LINE))
    if multiline:
        return "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return " ".join(text.split())


def has_visible_text(value: str | None) -> bool:
    """Whether `value` has at least one letter, digit, punctuation mark or symbol that shows."""
    if not value:
        return False
    for character in value:
        if character in BLANK_LOOKING:
            continue
        if unicodedata.category(character)[0] in "LNPS":
            return True
    return False


INVISIBLE_MESSAGE = "This has no letters or numbers that can be seen. Type the words themselves."


def validate_visible_text(value: str) -> None:
    """For text that must be written: refuse text made only of spaces or invisible characters."""
    if not has_visible_text(value):
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible")


def too_long_message(*, limit: int, length: int) -> str:
    return (
        f"This is too long: it has {length:,} characters, and the most it can have is {limit:,}. "
        "Shorten it, or keep the detail for a conversation."
    )


@deconstructible
class MaxLengthInPlainWords(MaxLengthValidator):
    """Django's maximum length check with a message that says what to do; `what` names the
    box, for messages shown away from it."""

    def __init__(self, limit_value, message=None, *, what: str = ""):
        super().__init__(limit_value, message)
        self.what = what

    def __eq__(self, other):
        if not isinstance(other, MaxLengthInPlainWords):
            return NotImplemented
        return super().__eq__(other) and self.what == other.what

    def __call__(self, value) -> None:
        length = len(value)
        if length > self.limit_value:
            prefix = f"{self.what}: " if self.what else ""
            raise ValidationError(
                prefix + too_long_message(limit=self.limit_value, length=length),
                code="max_length",
                params={"limit_value": self.limit_value, "show_value": length, "value": value},
            )


def clean_text(
    value: str | None,
    *,
    max_length: int,
    multiline: bool = False,
    required: bool = False,
    what: str = "",
    required_message: str = "",
) -> str:
    """Normalise and check one value in a service, where no form has checked it.

    `what` names the box in messages ("What you saw"), because a service's error is shown
    away from the box it is about; `required_message` is said when required text is missing.
    """
    text = normalise_text(value, multiline=multiline)
    prefix = f"{what}: " if what else ""
    if required and not has_visible_text(text):
        raise ValidationError(required_message or prefix + INVISIBLE_MESSAGE, code="required")
    if len(text) > max_length:
        raise ValidationError(
            prefix + too_long_message(limit=max_length, length=len(text)), code="max_length"
        )
    return text


class NormalisedTextMixin:
    """For models: text fields are normalised before they are validated, so `full_clean()`
    (which every service calls) stores what a form would, whoever calls it.

    CharFields without choices are single-line; TextFields are multi-line.
    """

    def clean_fields(self, exclude=None):
        from django.db import models

        for field in self._meta.concrete_fields:
            if exclude and field.name in exclude:
                continue
            if isinstance(field, models.TextField):
                multiline = True
            elif isinstance(field, models.CharField) and not field.choices:
                multiline = False
            else:
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str):
                setattr(self, field.attname, normalise_text(value, multiline=multiline))
        super().clean_fields(exclude=exclude)
