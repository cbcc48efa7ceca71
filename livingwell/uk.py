"""UK phone numbers and postcodes: checked, and stored in one format.

Phones are checked with the `phonenumbers` library (Google's libphonenumber data) and stored
in the UK national format with the standard spacing, such as ``01736 362321`` and
``07700 900123``; ``+44 1736 362321`` is stored the same way. Postcodes follow the
government's published pattern (plus ``GIR 0AA``) and are stored in capitals with one space,
such as ``TR18 4AB``.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError

from livingwell.text import normalise_text

PHONE_EXAMPLE = "such as 01736 362321 or 07700 900123"
PHONE_MESSAGE = f"Enter a UK phone number, {PHONE_EXAMPLE}."
# Only what people type between the digits of a phone number: anything else (letters, a
# "javascript:" link, digits of another script) is refused before the library sees it,
# because the library would quietly read letters as keypad digits.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()\-.]+", re.ASCII)
# Ofcom keeps these ranges for drama and examples: never anybody's line, so the library
# calls them unallocated, but the demo and the help texts use them (07700 900123).
_FICTIONAL = re.compile(
    r"7700900[0-9]{3}|1632960[0-9]{3}|2079460[0-9]{3}|11[3-8]4960[0-9]{3}|1[2-6]14960[0-9]{3}"
)


def normalise_uk_phone(value: str | None) -> str:
    """`value` as a UK number in national format, "" when blank; ValidationError otherwise."""
    text = normalise_text(value)
    if not text:
        return ""
    if not _PHONE_CHARACTERS.fullmatch(text) or sum(c.isdigit() for c in text) < 10:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone") from error
    if number.country_code != 44:
        raise ValidationError(
            f"Only UK phone numbers can be saved here, {PHONE_EXAMPLE}.", code="invalid_phone"
        )
    fictional = _FICTIONAL.fullmatch(str(number.national_number)) and not number.italian_leading_zero
    if not (phonenumbers.is_valid_number(number) or fictional):
        raise ValidationError(
            f"This is not a UK phone number in use: check the digits. Enter it {PHONE_EXAMPLE}.",
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def validate_uk_phone(value: str) -> None:
    """Model validator: refuses what `normalise_uk_phone` refuses."""
    normalise_uk_phone(value)


POSTCODE_MESSAGE = "Enter a UK postcode, such as TR18 4AB."
# The pattern from the government's data standards for postcodes, in capitals, with the
# space the stored form always has; GIR 0AA is Girobank's, still in use.
_POSTCODE = re.compile(
    r"GIR 0AA|"
    r"(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z]?) [0-9][A-Z]{2}",
    re.ASCII,
)


def normalise_uk_postcode(value: str | None) -> str:
    """`value` in capitals with one space before the last three characters; "" when blank;
    ValidationError when it is not a UK postcode."""
    compact = "".join(normalise_text(value).split()).upper()
    if not compact:
        return ""
    postcode = f"{compact[:-3]} {compact[-3:]}"
    if not _POSTCODE.fullmatch(postcode):
        raise ValidationError(POSTCODE_MESSAGE, code="invalid_postcode")
    return postcode


def validate_uk_postcode(value: str) -> None:
    """Model validator: refuses what `normalise_uk_postcode` refuses."""
    normalise_uk_postcode(value)


def tidy(value: str, normalise) -> str:
    """`normalise(value)` when it can be normalised, else `value` unchanged, for the model's
    validator to refuse with its message."""
    try:
        return normalise(value)
    except ValidationError:
        return value
