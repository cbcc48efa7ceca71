"""Every route of a URLconf, with a stable key: its full name ("risks:detail"), or its
pattern when it has no name ("admin/auth/group/<path:object_id>/")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# `<int:pk>` in a path() pattern, `(?P<pk>...)` in a re_path() one.
_PATH_PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
_REGEX_PARAMETER = re.compile(r"\(\?P<(?P<name>[^>]+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    key: str
    name: str | None  # the full name, namespaces included, when it has one
    pattern: str  # the full pattern, each include's prefix included
    parameters: tuple[str, ...]

    def url(self, kwargs: dict) -> str:
        if self.name:
            return reverse(self.name, kwargs=kwargs)
        # An unnamed route: fill its parameters in, re_path() ones first.
        filled = _REGEX_PARAMETER.sub(lambda found: str(kwargs[found["name"]]), self.pattern)
        return "/" + _PATH_PARAMETER.sub(lambda found: str(kwargs[found["name"]]), filled)


def _parameters(pattern: str) -> tuple[str, ...]:
    found = [m["name"] for m in _REGEX_PARAMETER.finditer(pattern)]
    found += [m["name"] for m in _PATH_PARAMETER.finditer(_REGEX_PARAMETER.sub("", pattern))]
    return tuple(found)


def _readable(pattern: str) -> str:
    """A re_path() pattern without its anchors, so that included ones read as one path."""
    return pattern.replace("^", "").replace("$", "")


def _walk(patterns, prefix: str, namespace: str | None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(entry.url_patterns, prefix + _readable(str(entry.pattern)), joined)
        elif isinstance(entry, URLPattern):
            pattern = prefix + _readable(str(entry.pattern))
            name = (f"{namespace}:{entry.name}" if namespace else entry.name) if entry.name else None
            yield Route(key=name or pattern, name=name, pattern=pattern, parameters=_parameters(pattern))


def all_routes(urlconf: str | None = None) -> dict[str, Route]:
    """Every route by key. A route that repeats an earlier one's name and pattern (an
    include that lists a URL the project already overrides) is the same URL, answered by
    the first: it is listed once."""
    found: dict[str, Route] = {}
    for route in _walk(get_resolver(urlconf).url_patterns, "", None):
        earlier = found.get(route.key)
        if earlier is None:
            found[route.key] = route
        elif earlier.pattern != route.pattern:
            found[f"{route.key} ({route.pattern})"] = route
    return found
