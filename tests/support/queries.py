from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(fetch) -> list[str]:
    """The SQL statements `fetch()` runs, for tests that a page's query count does not
    grow with the number of rows it shows."""
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return [query["sql"] for query in captured]
