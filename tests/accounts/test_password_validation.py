"""Passwords built on the programme's own words are refused; any other text is judged
without error (hypothesis tries 200 examples of each property in `make test`)."""

import unicodedata

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from livingwell.accounts.password_validation import (
    MIN_OTHER_LETTERS,
    PROGRAMME_WORDS,
    PROGRAMME_WORDS_FOUND,
    ProgrammeWordsValidator,
    letters_of,
)

validator = ProgrammeWordsValidator()
REFUSED = "built on the programme's name or place"


def refusal(password: str) -> ValidationError | None:
    """The validator's refusal of `password`, or None when it passes."""
    try:
        validator.validate(password)
    except ValidationError as error:
        return error
    return None


@pytest.mark.parametrize(
    "password",
    [
        "LivingWell2026!",
        "living well 123456",
        "Cornwall-12345678",
        "CORNWALL!!2026##",
        "ageukcornwall2026",
        "NHS-Kernow-2026!!",
        "Kernow4eva#2026",  # "eva" is three letters of its own
        "Ćornwäll 20262026",  # accents do not hide the word
        "Volunteer Cornwall 1",
        # Full-width letters and digits, as some phone keyboards type them.
        "".join(chr(ord(char) + 0xFEE0) for char in "CORNWALL2026"),
    ],
)
def test_a_password_built_on_the_programmes_words_is_refused(password):
    with pytest.raises(ValidationError, match=REFUSED):
        validator.validate(password)


@pytest.mark.parametrize(
    "password",
    [
        "correct-horse-battery-staple",
        "Cornwall has lovely beaches",  # the county, with words of one's own
        "a new long password 42",
        "granite quarry 1987",
        "",  # too short is the length validator's to say
    ],
)
def test_a_password_with_words_of_ones_own_passes(password):
    assert refusal(password) is None


def test_the_check_is_one_of_the_sites_password_rules():
    with pytest.raises(ValidationError) as refused:
        validate_password("LivingWell2026!")
    assert any(REFUSED in message for message in refused.value.messages)


programme_word = st.sampled_from(PROGRAMME_WORDS)
# Digits, punctuation, symbols and spaces that are no letters however they are written
# ("㌲" is a symbol that stands for five katakana letters: letters of one's own).
not_a_letter = st.characters(categories=["Nd", "P", "S", "Zs"]).filter(
    lambda char: not any(part.isalpha() for part in unicodedata.normalize("NFKD", char))
)
filler = st.text(alphabet=not_a_letter, max_size=20)


@given(
    words=st.lists(programme_word, min_size=1, max_size=3),
    around=st.lists(filler, min_size=4, max_size=4),
)
def test_any_mix_of_programme_words_digits_and_punctuation_is_refused(words, around):
    password = around[0] + around[1].join(words) + around[2] + around[3]
    with pytest.raises(ValidationError, match=REFUSED):
        validator.validate(password)


@given(st.text())
@example("\x00")
@example("\u200b" * 50)
@example("\U0001f600 cornwall \u0663\u0664\u0665")  # an emoji and Arabic-Indic digits
def test_any_text_is_judged_with_at_most_a_validation_error(password):
    refused = refusal(password)
    assert refused is None or refused.code == "password_programme_words"


own_words = st.text(alphabet=st.characters(categories=["Ll", "Lu"]), min_size=MIN_OTHER_LETTERS, max_size=30)


@given(
    own=own_words.filter(lambda own: not PROGRAMME_WORDS_FOUND.search(letters_of(own))),
    word=programme_word,
)
def test_enough_letters_of_ones_own_beside_a_programme_word_pass(own, word):
    assert refusal(f"{word} {own}") is None
