"""Properties of every validator and text normaliser, tried against any input by hypothesis
(200 examples each in `make test`; `--hypothesis-profile=long` for 5,000): each either
accepts or refuses with a ValidationError, never anything else; what it accepts it
accepts again unchanged; and it accepts exactly what it should (generated NHS numbers,
postcodes and dates that are right, in any spacing and case)."""

import datetime
import unicodedata

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given
from hypothesis import strategies as st

from clients.models import normalise_nhs_number, validate_nhs_number
from livingwell.form_fields import DateWindowField, TextField, UKPhoneField, UKPostcodeField
from livingwell.text import INVISIBLE, clean_text, has_visible_text, normalise_text
from livingwell.uk import normalise_uk_phone, normalise_uk_postcode

# Any text at all, and text rich in what breaks things: invisible characters, controls,
# line breaks of every kind, combining marks, other scripts' digits, NUL.
awkward = st.sampled_from(
    [*INVISIBLE, "\x00", "\r\n", "\r", "\u2028", "\u0085", "\t", "\u0301", "\u0663", "\uff11", " ", "-"]
)
any_text = st.text() | st.lists(st.one_of(awkward, st.characters()), max_size=40).map("".join)


def outcome(function, value):
    """What `function(value)` gives: ("ok", result) or ("refused", error). Anything other
    than a ValidationError is raised, and fails the test."""
    try:
        return "ok", function(value)
    except (ValidationError, forms.ValidationError) as error:
        return "refused", error


# --- Free text ------------------------------------------------------------------------------


@given(any_text, st.booleans())
@example("a \u0301", False)  # a combining mark after a space
@example("\u1100\u1161\u11a8", False)  # Hangul jamo that NFC composes
def test_normalised_text_is_stable_and_holds_nothing_invisible(value, multiline):
    text = normalise_text(value, multiline=multiline)

    assert normalise_text(text, multiline=multiline) == text
    assert text == unicodedata.normalize("NFC", text)
    assert not set(text) & set(INVISIBLE)
    assert all(char in "\t\n" or unicodedata.category(char) != "Cc" for char in text)
    assert text == text.strip()
    if multiline:
        assert "\r" not in text
        assert all(line == line.rstrip() for line in text.split("\n"))
    else:
        assert "\n" not in text
        assert "  " not in text


@given(any_text, st.booleans(), st.booleans())
def test_a_text_box_keeps_the_normalised_text_or_refuses_with_a_message(value, multiline, required):
    field = TextField(max_length=30, multiline=multiline, required=required, what="The note")

    result, kept = outcome(field.clean, value)

    if result == "ok":
        assert kept == normalise_text(value, multiline=multiline)
        assert len(kept) <= 30
        assert has_visible_text(kept) or not required
    else:
        assert kept.messages
        assert all(message.strip() for message in kept.messages)


@given(any_text)
def test_a_service_checks_text_as_the_form_does(value):
    form_result = outcome(TextField(max_length=30, required=True).clean, value)
    service_result = outcome(lambda text: clean_text(text, max_length=30, required=True), value)

    assert form_result[0] == service_result[0]
    if form_result[0] == "ok":
        assert form_result[1] == service_result[1]


# --- NHS numbers ----------------------------------------------------------------------------

nine_digits = st.lists(st.integers(0, 9), min_size=9, max_size=9)


def check_digit(digits: list[int]) -> int:
    check = 11 - sum(digit * weight for digit, weight in zip(digits, range(10, 1, -1), strict=True)) % 11
    return 0 if check == 11 else check


def written(digits: list[int], separators: list[str]) -> str:
    return "".join(f"{digit}{separators[index % len(separators)]}" for index, digit in enumerate(digits))


@given(nine_digits, st.lists(st.sampled_from(["", " ", "-", "\u200b", "  "]), min_size=1, max_size=10))
@example([9, 4, 3, 4, 7, 6, 5, 9, 1], [" "])
def test_every_valid_nhs_number_is_accepted_however_it_is_spaced(digits, separators):
    check = check_digit(digits)
    assume(check != 10)  # no NHS number has these nine digits

    number = written([*digits, check], separators)

    validate_nhs_number(number)
    assert normalise_nhs_number(number) == "".join(map(str, [*digits, check]))


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_any_one_digit_written_wrong_is_refused(digits, position, change):
    check = check_digit(digits)
    assume(check != 10)
    number = [*digits, check]
    number[position] = (number[position] + change) % 10

    assert outcome(validate_nhs_number, "".join(map(str, number)))[0] == "refused"


@given(any_text)
@example("\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669")  # 943 476 5919 in Arabic-Indic
@example("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19")  # and in full width
@example("943476591\u00b2")
def test_any_text_as_an_nhs_number_is_accepted_only_as_ten_ascii_digits(value):
    result, _ = outcome(validate_nhs_number, value)
    if result == "ok":
        digits = normalise_nhs_number(value)
        assert len(digits) == 10
        assert all(char in "0123456789" for char in digits)


# --- Postcodes --------------------------------------------------------------------------------

letter = st.sampled_from("ABCDEFGHIJKLMNOPRSTUWYZ")
second_letter = st.sampled_from("ABCDEFGHKLMNOPQRSTUVWXY")
digit = st.sampled_from("0123456789")
inward = st.tuples(digit, st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"), st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"))
outward = st.one_of(
    st.tuples(letter, digit),  # M1
    st.tuples(letter, digit, digit),  # M60
    st.tuples(letter, second_letter, digit),  # TR1
    st.tuples(letter, second_letter, digit, digit),  # TR18
    st.tuples(letter, digit, st.sampled_from("ABCDEFGHJKPSTUW")),  # W1A
    st.tuples(letter, second_letter, digit, st.sampled_from("ABEHMNPRVWXY")),  # EC1A
).map("".join)


@given(outward, inward.map("".join), st.sampled_from(["", " ", "  ", "\u200b", " \t"]), st.booleans())
@example("TR18", "4AB", " ", False)
def test_every_uk_postcode_is_accepted_in_any_case_and_spacing_and_stored_one_way(out, inn, space, lower):
    typed = f" {out}{space}{inn} "
    if lower:
        typed = typed.lower()

    assert normalise_uk_postcode(typed) == f"{out} {inn}"


@given(any_text)
@example("TR18 4AB\u0000")
@example("\u0422R18 4AB")  # a Cyrillic T
def test_any_text_as_a_postcode_is_refused_or_stored_in_the_one_form(value):
    result, stored = outcome(normalise_uk_postcode, value)
    if result == "ok" and stored:
        assert normalise_uk_postcode(stored) == stored
        assert stored == stored.upper()
        assert stored.count(" ") == 1
        assert stored.isascii()
        assert outcome(UKPostcodeField(required=False).clean, value) == ("ok", stored)


# --- Phones -------------------------------------------------------------------------------------


@given(any_text)
@example("01736 362321")
@example("+44 (0)7700 900123")
@example("\u0660\u0661\u0667\u0663\u0666 \u0663\u0666\u0662\u0663\u0662\u0661")  # Arabic-Indic digits
@example("0800 FLOWERS")
def test_any_text_as_a_phone_is_refused_or_stored_in_the_one_form(value):
    result, stored = outcome(normalise_uk_phone, value)
    if result == "ok" and stored:
        assert normalise_uk_phone(stored) == stored
        assert stored.isascii()
        assert stored.startswith("0")
        assert outcome(UKPhoneField(required=False).clean, value) == ("ok", stored)


@given(st.integers(0, 999_999), st.sampled_from(["01736 {}", "+44 1736 {}", "(01736) {}", "01736-{}"]))
def test_a_penzance_number_is_stored_as_the_national_format_however_it_is_written(number, shape):
    national = f"{number:06d}"
    result, stored = outcome(normalise_uk_phone, shape.format(national))
    # Some ranges are not in use: refused with a message, never an error of another kind.
    if result == "ok":
        assert stored == f"01736 {national}"


# --- Dates ---------------------------------------------------------------------------------------


@given(any_text | st.dates().map(str) | st.dates().map(lambda day: f"{day:%d/%m/%Y}"))
@example("0001-01-01")
@example("9999-12-31")
@example("2026-02-30")
@example("\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661")
def test_a_date_box_accepts_a_date_in_its_window_or_refuses_with_a_message(value):
    earliest, latest = datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)
    field = DateWindowField(earliest=earliest, latest=latest, required=False)

    result, kept = outcome(field.clean, value)

    if result == "ok" and kept is not None:
        assert earliest <= kept <= latest
    elif result == "refused":
        assert all(message.strip() for message in kept.messages)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_a_date_at_either_end_of_the_calendar_is_refused_with_a_message_that_says_check_the_year(value):
    field = DateWindowField(earliest=datetime.date(2000, 1, 1), latest=datetime.date(2030, 12, 31))

    result, error = outcome(field.clean, value)

    assert result == "refused"
    assert "Check the year" in " ".join(error.messages)
