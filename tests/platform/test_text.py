"""The shared rules for typed text, dates, UK phones and postcodes, over many odd inputs."""

import datetime
import unicodedata

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from livingwell.dates import EARLIEST_RECORD
from livingwell.form_fields import DateWindowField, PastDateField, TextField, UKPhoneField, UKPostcodeField
from livingwell.text import clean_text, has_visible_text, normalise_text, validate_visible_text
from livingwell.uk import normalise_uk_phone, normalise_uk_postcode

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
BIDI = [
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]
# C0 and C1 controls, less tab and the line breaks (line feed, vertical tab, form feed,
# carriage return, next line), which are a space on one line and a new line in several.
CONTROLS = [
    chr(code)
    for code in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)]
]
LINE_BREAKS = ["\n", "\x0b", "\x0c", "\r", "\x85", "\u2028", "\u2029"]


# --- normalise_text ---------------------------------------------------------------------


@pytest.mark.parametrize("hidden", ZERO_WIDTH + BIDI + CONTROLS)
def test_invisible_and_control_characters_are_removed_from_a_name(hidden):
    assert normalise_text(f"{hidden}Ed{hidden}ith{hidden}") == "Edith"


@pytest.mark.parametrize("hidden", ZERO_WIDTH + BIDI + CONTROLS)
def test_text_made_only_of_invisible_characters_is_empty(hidden):
    assert normalise_text(hidden * 5) == ""
    assert normalise_text(hidden * 5, multiline=True) == ""


@pytest.mark.parametrize("line_break", LINE_BREAKS)
def test_a_line_break_is_a_space_on_one_line_and_a_new_line_in_several(line_break):
    assert normalise_text(f"Edith{line_break}Trewin") == "Edith Trewin"
    assert normalise_text(f"Edith{line_break}Trewin", multiline=True) == "Edith\nTrewin"


def test_combining_characters_are_composed_nfc():
    decomposed = "Zoe\u0308 Beyonce\u0301"
    assert normalise_text(decomposed) == "Zoë Beyoncé"
    assert unicodedata.is_normalized("NFC", normalise_text(decomposed))


def test_multiline_text_keeps_line_breaks_and_tabs_as_newlines():
    assert normalise_text("  First line  \r\nSecond\tline\rThird\u2028Fourth\n\n", multiline=True) == (
        "First line\nSecond\tline\nThird\nFourth"
    )


def test_single_line_text_turns_tabs_and_line_breaks_into_one_space():
    assert normalise_text(" Edith\t\r\n  Mary\u00a0Smith ") == "Edith Mary Smith"


def test_right_to_left_override_cannot_reverse_what_is_shown():
    assert normalise_text("Invoice \u202egnp.exe") == "Invoice gnp.exe"


def test_two_megabytes_of_text_is_normalised_quickly_and_fully():
    text = ("Edith fell.\u200b\r\n" * 200_000)[: 2 * 1024 * 1024]
    result = normalise_text(text, multiline=True)
    assert "\u200b" not in result
    assert "\r" not in result


@pytest.mark.parametrize(
    ("value", "visible"),
    [
        ("", False),
        ("   ", False),
        ("\u200b\u200b", False),
        ("\u3164", False),  # the Hangul filler: a "letter" drawn as nothing
        ("\u2800", False),  # the blank Braille pattern
        ("\u0301", False),  # a combining accent with nothing to sit on
        ("a", True),
        ("7", True),
        ("?", True),
        ("£", True),
        ("ع", True),
        ("漢", True),
    ],
)
def test_visible_text(value, visible):
    assert has_visible_text(value) is visible


def test_the_visible_text_validator_refuses_invisible_text_plainly():
    with pytest.raises(ValidationError, match="no letters or numbers that can be seen"):
        validate_visible_text("\u3164")


def test_clean_text_for_services_refuses_invisible_required_text_and_too_long_text():
    with pytest.raises(ValidationError, match="Say what you saw"):
        clean_text("\u200b\u200b", max_length=10, required=True, required_message="Say what you saw.")
    with pytest.raises(
        ValidationError, match="too long: it has 11 characters, and the most it can have is 10"
    ):
        clean_text("x" * 11, max_length=10)
    assert clean_text(" Edith\u200b ", max_length=5, required=True) == "Edith"


# --- TextField ----------------------------------------------------------------------------


class NotesForm(forms.Form):
    name = TextField(max_length=20)
    note = TextField(max_length=2000, multiline=True, required=False)


@pytest.mark.parametrize("typed", ["\u200b", "\u200b\u200b\u200b", "\u202e\u2066", "\u3164", "\x00\x01"])
def test_a_required_box_of_invisible_characters_is_refused_with_a_plain_message(typed):
    form = NotesForm({"name": typed})
    assert not form.is_valid()
    assert form.errors["name"] == [
        "This has no letters or numbers that can be seen. Type the words themselves."
    ]


def test_a_required_empty_box_says_it_is_required():
    form = NotesForm({"name": "   "})
    assert not form.is_valid()
    assert form.errors["name"] == ["This field is required."]


def test_text_fields_store_the_normalised_text():
    form = NotesForm({"name": " Edith\u200b ", "note": "Fell over.\r\nNo injury.\x07"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "Edith", "note": "Fell over.\nNo injury."}


def test_text_longer_than_the_limit_is_refused_saying_how_long_it_is():
    form = NotesForm({"name": "Edith", "note": "x" * (2 * 1024 * 1024)})
    assert not form.is_valid()
    assert form.errors["note"] == [
        "This is too long: it has 2,097,152 characters, and the most it can have is 2,000. "
        "Shorten it, or keep the detail for a conversation."
    ]


def test_the_limit_counts_characters_after_invisible_ones_are_removed():
    assert NotesForm({"name": "x" * 20 + "\u200b" * 5}).is_valid()


def test_text_boxes_carry_maxlength_and_a_counter():
    html = str(NotesForm()["note"])
    assert 'maxlength="2000"' in html
    assert 'data-counter="2000"' in html
    assert "<textarea" in html


def test_a_search_box_has_a_limit_but_no_counter():
    html = str(TextField(max_length=100, counter=False).widget.render("q", ""))
    field = TextField(max_length=100, counter=False)
    assert "data-counter" not in str(field.widget_attrs(field.widget))
    assert "data-counter" not in html


# --- Dates --------------------------------------------------------------------------------


class DatesForm(forms.Form):
    checked_on = PastDateField(future_message="The date of the check cannot be in the future.")
    expected_on = DateWindowField(
        required=False,
        earliest=timezone.localdate,
        latest=lambda: timezone.localdate() + datetime.timedelta(days=365),
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0001-01-01", "The date cannot be before 1 January 2000. Check the year."),
        ("1999-12-31", "The date cannot be before 1 January 2000. Check the year."),
        ("9999-12-31", "The date of the check cannot be in the future."),
    ],
)
def test_past_dates_have_a_window_with_a_plain_message(typed, message):
    form = DatesForm({"checked_on": typed})
    assert not form.is_valid()
    assert form.errors["checked_on"] == [message]


def test_past_date_accepts_today_and_the_first_of_january_2000():
    assert DatesForm({"checked_on": timezone.localdate().isoformat()}).is_valid()
    assert DatesForm({"checked_on": EARLIEST_RECORD.isoformat()}).is_valid()


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "2000-01-01"])
def test_a_date_ahead_must_be_within_its_window(typed):
    form = DatesForm({"checked_on": "2020-01-01", "expected_on": typed})
    assert not form.is_valid()
    assert "expected_on" in form.errors


def test_the_past_date_picker_offers_nothing_before_2000():
    assert 'min="2000-01-01"' in str(DatesForm()["checked_on"])


# --- Phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01736 362321", "01736 362321"),
        ("01736362321", "01736 362321"),
        ("+44 1736 362321", "01736 362321"),
        ("+44 (0)1736 362321", "01736 362321"),
        ("0044 1736 362321", "01736 362321"),
        ("01736-362-321", "01736 362321"),
        ("07700 900123", "07700 900123"),
        ("+447700900123", "07700 900123"),
        ("020 7946 0123", "020 7946 0123"),
        (" 01736\u200b362321 ", "01736 362321"),
        ("", ""),
    ],
)
def test_uk_phone_numbers_are_stored_in_national_format(typed, stored):
    assert normalise_uk_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "tel:01736362321",
        "0800 FLOWERS",
        "<script>",
        "1",
        "01736 1",
        "+1 212 555 0100",
        "".join(chr(0x0660 + int(digit)) for digit in "01736362321"),  # Arabic-Indic digits
        "".join(chr(0xFF10 + int(digit)) for digit in "01736362321"),  # full-width digits
        "01736 362321 ext 4",
        "9" * 30,
    ],
)
def test_what_is_not_a_uk_phone_number_is_refused(typed):
    with pytest.raises(ValidationError, match="UK phone number"):
        normalise_uk_phone(typed)


def test_the_phone_field_refuses_a_script_link_and_renders_as_a_phone_box():
    field = UKPhoneField(required=False)
    with pytest.raises(ValidationError, match="Enter a UK phone number"):
        field.clean("javascript:alert(1)")
    assert field.clean("+44 1736 362321") == "01736 362321"
    assert field.widget.render("phone", "").count('type="tel"') == 1


# --- Postcodes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("tr18 4ab", "TR18 4AB"),
        ("TR184AB", "TR18 4AB"),
        ("  tr18   4ab ", "TR18 4AB"),
        ("PL14 3XA", "PL14 3XA"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("gir0aa", "GIR 0AA"),
        ("TR18\u200b4AB", "TR18 4AB"),
    ],
)
def test_uk_postcodes_are_stored_in_capitals_with_one_space(typed, stored):
    assert normalise_uk_postcode(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "<>!!",
        "TR18",
        "TR18 4A",
        "TR18 4ABC",
        "12345",
        "TR18 AAB",
        "\uff34\uff3218 4AB",
        "TR18 \u0664AB",
        "javascript:",
    ],
)
def test_what_is_not_a_uk_postcode_is_refused(typed):
    with pytest.raises(ValidationError, match=r"Enter a UK postcode, such as TR18 4AB\."):
        UKPostcodeField().clean(typed)
