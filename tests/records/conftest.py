import io
import json
import zipfile

import pytest

from tests.records.history import full_history


@pytest.fixture
def histories(world, today):
    """Elsie (visited by Vera) and Jack (visited by Victor), both of West Cornwall, each with
    a whole history: what a copy of Elsie's record must hold, and Jack's what it must not."""
    return (
        full_history(
            client=world.elsie, volunteer_user=world.volunteer, coordinator=world.coordinator, today=today
        ),
        full_history(
            client=world.jack,
            volunteer_user=world.other_volunteer,
            coordinator=world.coordinator,
            today=today,
        ),
    )


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def rows_of(files: dict[str, str], name: str) -> list:
    return json.loads(files[name]) if name in files else []
