"""The home page's registry of panels: apps add what they show without the platform
importing them."""

import pytest

from livingwell.accounts import home
from tests.factories import UserFactory


@pytest.fixture
def probe_panels():
    names = []

    def register(name, context, order):
        names.append(name)
        return home.register_home_panel(
            name=name, template="includes/empty_state.html", context=context, order=order
        )

    yield register
    for name in names:
        home.unregister_home_panel(name)


def test_panels_with_something_to_say_are_shown_in_order(db, probe_panels):
    person = UserFactory()
    probe_panels("probe.second", lambda user: {"message": "second"}, order=-1)
    probe_panels("probe.first", lambda user: {"message": f"first for {user.username}"}, order=-2)
    probe_panels("probe.silent", lambda user: None, order=-3)

    shown = [panel for panel in home.home_panels_for(person) if panel.name.startswith("probe.")]

    assert [panel.name for panel in shown] == ["probe.first", "probe.second"]
    assert shown[0].context == {"message": f"first for {person.username}"}


def test_registering_a_panel_again_replaces_it(db, probe_panels):
    probe_panels("probe.again", lambda user: {"message": "old"}, order=-1)
    probe_panels("probe.again", lambda user: {"message": "new"}, order=-1)
    shown = [panel for panel in home.home_panels_for(UserFactory()) if panel.name == "probe.again"]
    assert [panel.context for panel in shown] == [{"message": "new"}]


def test_a_registered_panel_is_rendered_on_the_home_page_with_its_context(
    login, db, probe_panels, settings, tmp_path
):
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "panel.html").write_text("<p>{{ panel.message }} for {{ user.username }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    home.register_home_panel(
        name="probe.page", template="probe/panel.html", context=lambda user: {"message": "A panel"}, order=-1
    )
    person = UserFactory(username="pat")
    try:
        response = login(person).get("/")
    finally:
        home.unregister_home_panel("probe.page")
    assert "<p>A panel for pat</p>" in response.text
