from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Func, GeneratedField, QuerySet, Value


def paginate(request, items, per_page: int) -> dict:
    """The page asked for, and the rest of the query string so that page links keep the
    filters: the context `includes/pagination.html` expects."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": Paginator(items, per_page).get_page(request.GET.get("page")),
        "query_string": query.urlencode(),
    }


# Past this many rows a list says "more than 1,000" rather than counting them all.
COUNT_CAP = 1000
CURSOR_SEPARATOR = "~"


class RowAfter(Func):
    """`(a, b, c) > (x, y, z)`: a row comparison, which PostgreSQL answers by starting an
    index scan at that key (an OR of the same conditions would make it read from the start)."""

    output_field = BooleanField()

    def __init__(self, fields: list[str], values: list):
        from django.db.models import F

        super().__init__(*[F(name) for name in fields], *[Value(value) for value in values])

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        half = len(parts) // 2
        return f"({', '.join(parts[:half])}) > ({', '.join(parts[half:])})", params


@dataclass
class KeysetPage:
    """One page of a list read by its sort key: the rows after a cursor, never an OFFSET,
    so the hundredth page costs what the first does."""

    object_list: list
    start: int
    count: int
    count_is_capped: bool
    next_query: str = ""
    first_query: str = ""
    has_previous: bool = field(default=False)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def end(self) -> int:
        return self.start + len(self.object_list) - 1

    @property
    def has_next(self) -> bool:
        return bool(self.next_query)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _encode(value) -> str:
    return value.isoformat() if isinstance(value, datetime.datetime) else str(value)


def _decode(items: QuerySet, key: tuple[str, ...], cursor: str) -> list | None:
    values = cursor.split(CURSOR_SEPARATOR)
    if len(values) != len(key):
        return None
    meta = items.model._meta
    decoded = []
    try:
        for name, value in zip(key, values, strict=True):
            column = meta.pk if name == "pk" else meta.get_field(name)
            if isinstance(column, GeneratedField):
                column = column.output_field
            python_value = column.to_python(value)
            # The column's own range too: a number too big for it fails in PostgreSQL.
            column.run_validators(python_value)
            decoded.append(python_value)
    except (ValidationError, ValueError, OverflowError):
        return None
    return decoded


def paginate_by_key(request, items: QuerySet, per_page: int, *, key: tuple[str, ...]) -> dict:
    """A page of `items` (ordered by `key`, whose fields are numbers or datetimes and which
    ends with the primary key) after the `after` cursor in the query string, and how many
    rows there are, counted up to `COUNT_CAP`. The context `includes/show_more.html` expects.
    A cursor that cannot be read gives the first page."""
    query = request.GET.copy()
    cursor, start = query.pop("after", [""])[-1], query.pop("start", ["1"])[-1]
    filters_only = query.urlencode()
    after = _decode(items, key, cursor) if cursor else None
    # Plain ASCII digits only: "²" passes `isdigit()` yet `int()` refuses it.
    start = int(start) if after and start.isascii() and start.isdigit() and int(start) > 0 else 1
    counted = items.order_by().values("pk")[: COUNT_CAP + 1].count()
    rows = items.filter(RowAfter(list(key), after)) if after else items
    object_list = list(rows[: per_page + 1])
    page = KeysetPage(
        object_list=object_list[:per_page],
        start=start,
        count=min(counted, COUNT_CAP),
        count_is_capped=counted > COUNT_CAP,
        has_previous=after is not None,
    )
    if after is not None:
        page.first_query = filters_only
    if len(object_list) > per_page:
        last = object_list[per_page - 1]
        query["after"] = CURSOR_SEPARATOR.join(_encode(getattr(last, name)) for name in key)
        query["start"] = str(start + per_page)
        page.next_query = query.urlencode()
    return {"page_obj": page, "query_string": filters_only}
