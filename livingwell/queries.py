"""Query expressions shared by the apps' selectors."""

from __future__ import annotations

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet):
    """A correlated count of `rows` (a queryset filtered on an `OuterRef`), 0 when none.

    A list page that shows a count per row uses this rather than a join and GROUP BY:
    PostgreSQL computes a correlated subquery after the sort and LIMIT, so only for the rows
    shown, and the paginator's COUNT leaves it out."""
    return Coalesce(
        Subquery(rows.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))), 0
    )
