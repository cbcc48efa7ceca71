"""Does a story name its client? The check made before a story is sent for approval and
again before it is published.

A story must not contain the client's first name, surname or preferred name, any line
(or comma-separated part) of their address, their postcode, phone number or NHS number.
The comparison is made the way a reader would see the words, not the way they are stored:

- the text is normalised first (`livingwell.text.normalise_text`), and read both with its
  invisible characters removed and with each one taken as a space, so that a zero-width
  space inside a name ("Ed​ith") or between two words does not hide it;
- case, accents, full-width letters and runs of spaces or punctuation between words do not
  matter ("TREWIN", "Trewin's", "Chapel  Street", "chapel-street");
- names and address parts match whole words only, so "Ivy" is found in "Ivy's garden" but
  not in "ivylike"; postcodes, phone and NHS numbers match with or without spaces.

What every story shows anyway (its area and organisation) identifies nobody, so an address
part that is also part of those names ("Cornwall") is not looked for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from livingwell.text import INVISIBLE, normalise_text

# House numbers and flat numbers at the start of an address line: "3 Chapel Street" is
# also looked for as "Chapel Street".
_HOUSE_NUMBER = re.compile(r"^(?:(?:flat|apartment|apt|unit)\W*)?\d+[a-z]?\b\W*", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_AS_SPACES = {ord(character): " " for character in INVISIBLE}


@dataclass(frozen=True)
class Identifier:
    """Something that would identify the client: what it is, in words, and its value."""

    what: str
    value: str
    pattern: re.Pattern
    # Looked for only when nothing else was found: a name whose parts were joined when an
    # invisible space between them was removed ("ElsieTrewin").
    fallback: bool = False


@dataclass(frozen=True)
class Found:
    where: str  # "The title", "The story"
    what: str
    value: str

    @property
    def message(self) -> str:
        return f"{self.where} contains {self.what}, {self.value}"


def comparable(text: str) -> str:
    """`text` as it is compared: normalised on one line, without accents, case-folded, with
    underscores read as spaces."""
    decomposed = unicodedata.normalize("NFKD", normalise_text(text))
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    return plain.casefold().replace("_", " ")


def _readings(text: str) -> list[str]:
    """The ways a reader may read `text`: invisible characters dropped, or taken as spaces."""
    return [comparable(text), comparable(str(text).translate(_AS_SPACES))]


def _whole_words(value: str) -> re.Pattern | None:
    words = _WORD.findall(comparable(value))
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\W*".join(re.escape(word) for word in words) + r"(?!\w)")


def _characters(value: str, *, edge: str = r"[^\W_]") -> re.Pattern | None:
    """Every letter or digit of `value` in order, with anything but letters and digits
    allowed between them: a postcode or number however it is spaced."""
    characters = [character for character in comparable(value) if character.isalnum()]
    if not characters:
        return None
    joined = r"[\W_]*".join(re.escape(character) for character in characters)
    return re.compile(rf"(?<!{edge}){joined}(?!{edge})")


def _name_parts(name: str) -> list[str]:
    """A name and, when it has several parts ("Mary Ann", "Smith-Jones"), each part."""
    name = normalise_text(name)
    parts = [part for part in re.split(r"[\s\-]+", name) if len(_WORD.findall(part)) and len(part) > 1]
    return [name, *parts] if len(parts) > 1 else [name] if name else []


def _address_parts(address: str) -> list[str]:
    """Each line and comma-separated part of an address, and each without its house number."""
    parts = []
    for line in normalise_text(address, multiline=True).split("\n"):
        for part in line.split(","):
            part = normalise_text(part)
            if not any(character.isalpha() for character in part):
                continue  # a lone house number says nothing on its own
            parts.append(part)
            street = _HOUSE_NUMBER.sub("", part)
            if street != part and any(character.isalpha() for character in street):
                parts.append(street)
    return parts


def identifiers_of(client, *, shown_anyway: tuple[str, ...] = ()) -> list[Identifier]:
    """What would identify `client` in a story. `shown_anyway` are names every story shows
    (its area, its organisation): address parts within them are not looked for."""
    found: list[Identifier] = []
    seen: set[str] = set()
    public = [comparable(name) for name in shown_anyway]

    def add(what: str, value: str, pattern: re.Pattern | None, *, fallback: bool = False) -> None:
        key = pattern.pattern if pattern else ""
        if pattern is None or key in seen:
            return
        seen.add(key)
        found.append(Identifier(what=what, value=value, pattern=pattern, fallback=fallback))

    for part in _name_parts(client.first_name):
        add("the client's first name", part, _whole_words(part))
    for part in _name_parts(client.last_name):
        add("the client's surname", part, _whole_words(part))
    for part in _name_parts(client.preferred_name):
        add("the client's preferred name", part, _whole_words(part))
    for part in _address_parts(client.address):
        pattern = _whole_words(part)
        if pattern is not None and any(pattern.search(name) for name in public):
            continue
        add("a line of the client's address", part, pattern)
    if client.postcode:
        add("the client's postcode", client.postcode, _characters(client.postcode))
    if client.nhs_number:
        digits = client.nhs_number
        add(
            "the client's NHS number",
            f"{digits[:3]} {digits[3:6]} {digits[6:]}",
            _characters(digits, edge=r"\d"),
        )
    if client.phone:
        add("the client's phone number", client.phone, _characters(client.phone, edge=r"\d"))
        national = "".join(character for character in client.phone if character.isdigit())
        if national.startswith("0"):
            add("the client's phone number", client.phone, _characters("44" + national[1:], edge=r"\d"))
    for given in {client.first_name, client.preferred_name} - {""}:
        name = f"{given} {client.last_name}"
        add("the client's name", normalise_text(name), _whole_words(name), fallback=True)
    return found


def identifiers_in(text: str, identifiers: list[Identifier], *, where: str) -> list[Found]:
    """Which of `identifiers` `text` contains, in the order they are listed."""
    readings = _readings(text)
    found: list[Found] = []
    for identifier in identifiers:
        item = Found(where=where, what=identifier.what, value=identifier.value)
        if identifier.fallback or item in found:
            continue
        if any(identifier.pattern.search(reading) for reading in readings):
            found.append(item)
    if not found:
        found = [
            Found(where=where, what=identifier.what, value=identifier.value)
            for identifier in identifiers
            if identifier.fallback and any(identifier.pattern.search(reading) for reading in readings)
        ][:1]
    # "3 Chapel Street" found says all that "Chapel Street" would.
    return [
        item
        for item in found
        if not any(
            other is not item and _whole_words(item.value).search(comparable(other.value)) for other in found
        )
    ]
