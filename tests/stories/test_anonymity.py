"""What counts as naming the client in a story (stories.anonymity), without a database."""

from types import SimpleNamespace

import pytest

from stories.anonymity import identifiers_in, identifiers_of

ELSIE = SimpleNamespace(
    first_name="Elsie",
    last_name="Trewin",
    preferred_name="Nell",
    address="3 Chapel Street\nPenzance",
    postcode="TR18 4AJ",
    phone="01736 362321",
    nhs_number="9434765919",
)
SHOWN_WITH_EVERY_STORY = ("West Cornwall", "Age UK Cornwall")


def found(text: str, client=ELSIE) -> list[str]:
    identifiers = identifiers_of(client, shown_anyway=SHOWN_WITH_EVERY_STORY)
    return [item.message for item in identifiers_in(text, identifiers, where="The story")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Elsie has grab rails now.", "The story contains the client's first name, Elsie"),
        ("Mrs TREWIN has grab rails now.", "The story contains the client's surname, Trewin"),
        ("Trewin's kitchen is safer.", "The story contains the client's surname, Trewin"),
        ("Nell has grab rails now.", "The story contains the client's preferred name, Nell"),
        (
            "She lives at 3 Chapel Street.",
            "The story contains a line of the client's address, 3 Chapel Street",
        ),
        ("She lives on chapel-street.", "The story contains a line of the client's address, Chapel Street"),
        ("A lady in Penzance.", "The story contains a line of the client's address, Penzance"),
        ("Her postcode is tr18 4aj.", "The story contains the client's postcode, TR18 4AJ"),
        ("Her postcode is TR184AJ.", "The story contains the client's postcode, TR18 4AJ"),
        ("NHS number 943 476 5919.", "The story contains the client's NHS number, 943 476 5919"),
        ("NHS number 9434765919.", "The story contains the client's NHS number, 943 476 5919"),
        ("NHS number 943-476-5919.", "The story contains the client's NHS number, 943 476 5919"),
        ("Ring 01736 362321.", "The story contains the client's phone number, 01736 362321"),
        ("Ring +44 1736 362321.", "The story contains the client's phone number, 01736 362321"),
        # Hidden from the eye, not from the check.
        ("El\u200bsie has grab rails now.", "The story contains the client's first name, Elsie"),
        ("Tre\u00adwin has grab rails now.", "The story contains the client's surname, Trewin"),
        ("\u2060Nell\u2060 is safer.", "The story contains the client's preferred name, Nell"),
        ("ElsieTrewin is safer.", "The story contains the client's name, Elsie Trewin"),
        (
            "\uff25\uff4c\uff53\uff49\uff45 is safer.",
            "The story contains the client's first name, Elsie",
        ),  # full-width
        ("Chapel\n\n   Street", "The story contains a line of the client's address, Chapel Street"),
    ],
)
def test_each_way_of_naming_the_client_is_found(text, message):
    assert found(text) == [message]


def test_a_zero_width_space_between_two_names_does_not_hide_either():
    assert found("Elsie\u200bTrewin is safer.") == [
        "The story contains the client's first name, Elsie",
        "The story contains the client's surname, Trewin",
    ]


def test_accents_do_not_hide_a_name():
    zoe = SimpleNamespace(**{**vars(ELSIE), "first_name": "Zoë"})
    assert found("Zoe is safer.", zoe) == ["The story contains the client's first name, Zoë"]


@pytest.mark.parametrize(
    "text",
    [
        "An older lady in West Cornwall has grab rails now.",
        "She is steadier on her feet and less afraid.",
        "Elsinore, trewinning and nellie are other words.",
        "Her house number is 3; the street is quiet.",
        "Age UK Cornwall's falls team visited.",
        "She was born in 1943 and is 476 miles from home, 5919 days on.",
    ],
)
def test_words_that_only_look_alike_are_not_found(text):
    assert found(text) == []


def test_a_longer_match_is_reported_once_not_again_for_its_parts():
    assert found("She lives at 3 Chapel Street, Penzance.") == [
        "The story contains a line of the client's address, 3 Chapel Street",
        "The story contains a line of the client's address, Penzance",
    ]


def test_each_part_of_a_double_barrelled_name_is_looked_for():
    client = SimpleNamespace(**{**vars(ELSIE), "last_name": "Penrose-Trewin"})
    assert found("Mrs Penrose was delighted.", client) == ["The story contains the client's surname, Penrose"]


def test_empty_details_are_not_looked_for():
    client = SimpleNamespace(
        first_name="Elsie",
        last_name="Trewin",
        preferred_name="",
        address="Penzance",
        postcode="",
        phone="",
        nhs_number="",
    )
    assert found("An older lady had help.", client) == []
