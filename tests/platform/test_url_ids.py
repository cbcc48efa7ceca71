"""Ids in URLs are plain ASCII digits. Arabic-Indic or full-width digits are digits to
Python's `\\d` and `int()`, so a pattern written with `\\d` answered /risks/<Arabic-Indic
12>/triage/ as concern 12: a second address for the same action. Every pattern that takes
an id must refuse them."""

import re

from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

OTHER_DIGITS = ["\u0661\u0662", "\uff11\uff12", "\u0967\u0968"]  # Arabic-Indic, full width, Devanagari


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


ID = re.compile(r"<int:\w+>|\(\?P<\w*pk>[^)]*\)")
FIXED = {
    "(?P<direction>up|down)": "up",
    "(?P<action>triage|escalate|record_outcome|close|reopen)": "triage",
    "(?P<action>submit|publish|withdraw)": "submit",
    "(?P<kind>dbs|training|agreement)": "dbs",
}


def path_with(route: str, identifier: str) -> str:
    path = ID.sub(identifier, route)
    for group, value in FIXED.items():
        path = path.replace(group, value)
    path = re.sub(r"<(?:str|slug):\w+>", "x", path)
    return "/" + path.replace("^", "").replace("$", "")


def test_every_route_that_takes_an_id_takes_only_ascii_digits():
    with_ids = [route for route in routes() if ID.search(route) and not route.startswith("admin")]
    assert len(with_ids) > 30, with_ids
    for route in with_ids:
        resolve(path_with(route, "12"))  # the pattern is understood
        for digits in OTHER_DIGITS:
            path = path_with(route, digits)
            try:
                resolve(path)
            except Resolver404:
                continue
            raise AssertionError(f"{route} answers {path}")
