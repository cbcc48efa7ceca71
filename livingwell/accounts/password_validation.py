"""Passwords built on the programme's own words.

Django's list of common passwords does not know that "LivingWell2026!" or "Cornwall-12345"
are the first things anyone would try against this product: the programme's name, its
partners' names and its county are on every leaflet. A password that is only such words,
with digits and punctuation around them, is refused."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

# Written as people write them; compared with spaces, case and accents taken away.
PROGRAMME_WORDS = (
    "Living Well",
    "Age UK",
    "Age UK Cornwall",
    "Volunteer Cornwall",
    "NHS Kernow",
    "NHS",
    "Kernow",
    "Cornwall",
    "Cornish",
    "Kernewek",
    "Volunteer",
    "Coordinator",
    "Password",
)

# Fewer letters than this left once the programme's words are taken out: a guess away.
MIN_OTHER_LETTERS = 6


def letters_of(text: str) -> str:
    """Only the letters of `text`, in lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalpha())


# Longest first, so that "age uk cornwall" is taken out whole before "age uk".
_WORDS_AS_LETTERS = sorted({letters_of(word) for word in PROGRAMME_WORDS}, key=len, reverse=True)
PROGRAMME_WORDS_FOUND = re.compile("|".join(map(re.escape, _WORDS_AS_LETTERS)))


class ProgrammeWordsValidator:
    """Refuses a password whose letters, once the programme's words are taken out, are
    fewer than MIN_OTHER_LETTERS."""

    def validate(self, password: str, user=None) -> None:
        letters = letters_of(password)
        others = PROGRAMME_WORDS_FOUND.sub("", letters)
        if len(others) < len(letters) and len(others) < MIN_OTHER_LETTERS:
            raise ValidationError(
                "This password is built on the programme's name or place (such as Living Well "
                "or Cornwall), which is the first thing anyone would try. Add words of your own.",
                code="password_programme_words",
            )

    def get_help_text(self) -> str:
        return (
            "Your password cannot be built on the programme's name or place, such as Living Well or Cornwall."
        )
