"""Form data helpers shared by the view tests."""

import uuid

from livingwell.submissions.forms import KEY_FIELD


def once(data: dict) -> dict:
    """`data` with a new one-time submission key, as a create form sends it."""
    return {KEY_FIELD: str(uuid.uuid4()), **data}
