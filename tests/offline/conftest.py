"""The people of the `world` fixture (tests/conftest.py), signed in through the test browser."""

import pytest

from tests.support import access_table


@pytest.fixture
def signed_in():
    """signed_in(user) -> a new test browser signed in as that user (None: anonymous)."""
    return access_table.signed_in
