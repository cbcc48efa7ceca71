"""The home page's panels: what each domain app adds to a person's home page.

The platform knows no domain app (the arrows run from the apps down to the platform), so
the home page does not ask `risks` or `clients` what waits for somebody. Instead each app
registers its panels when it is ready (`AppConfig.ready()`):

    register_home_panel(
        name="risks.waiting",
        template="risks/home/waiting.html",
        context=waiting_panel,   # (user) -> dict, or None when there is nothing to show
        order=20,
    )

The home page shows, in `order`, every panel whose `context(user)` returns something.
A panel decides for itself whom it is for (by role, by area, by what is waiting): the
function runs for every person who opens the home page, so it should cost a query or two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HomePanel:
    name: str
    template: str
    context: Callable[[Any], dict | None]
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    """A panel ready to render: its template and what the template reads as `panel`."""

    name: str
    template: str
    context: dict


_panels: dict[str, HomePanel] = {}


def register_home_panel(
    *, name: str, template: str, context: Callable[[Any], dict | None], order: int = 100
) -> HomePanel:
    """Add a panel to the home page, or replace the one of the same name (so that running
    an app's `ready()` twice, as tests may, does not show a panel twice)."""
    panel = HomePanel(name=name, template=template, context=context, order=order)
    _panels[name] = panel
    return panel


def unregister_home_panel(name: str) -> None:
    _panels.pop(name, None)


def registered_home_panels() -> list[HomePanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def home_panels_for(user) -> list[ShownPanel]:
    """The panels this person's home page shows, in order: those with something to say."""
    shown = []
    for panel in registered_home_panels():
        context = panel.context(user)
        if context:
            shown.append(ShownPanel(name=panel.name, template=panel.template, context=context))
    return shown
