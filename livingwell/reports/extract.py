"""The de-identified extract for analysts: one row per concern reported in a period, with
where it was, which route it took, what it was about, how serious, the week of each step
and what came of it.

What it leaves out is the point of it: no client, NHS number, address, volunteer, member
of staff, id or anything anybody typed. Dates are given as the week they fell in (the
Monday it began), never the day or time. Rows come in the order of the week reported and
then the columns, never in the order they were recorded, so nothing in the file links a
row back to a record.

It is one SQL statement, read through a server-side cursor a chunk at a time: a million
rows stream in the memory of one chunk.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.conf import settings
from django.db import connection
from django.utils import timezone

from livingwell.accounts.models import Route
from livingwell.reports.exports import csv_safe
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.scope import ReportScope
from livingwell.reports.selectors import ConcernFilter
from risks.models import OutcomeKind, RiskCategory, Severity, Status

CHUNK_SIZE = 2000


def may_take_extract(scope: ReportScope) -> bool:
    """Managers and coordinators may take the extract of their areas; a meeting chair, who
    sees only their practice's meeting figures (suppressed), may not take rows."""
    return not scope.mdt_only


HEADINGS = (
    "Area",
    "Route",
    "Kind of concern",
    "Category",
    "Severity",
    "Seen (week beginning)",
    "Reported (week beginning)",
    "First action (week beginning)",
    "Referred or passed on (week beginning)",
    "Outcome recorded (week beginning)",
    "Closed (week beginning)",
    "What came of it (latest outcome)",
    "Acted on within the target for its severity",
    "Reopened",
    "Status now",
)

WITHIN_TARGET = {"yes": "Yes", "no": "No", "not_yet_due": "Not yet due"}

_LABELS = (
    None,
    dict(Route.choices),
    dict(RiskCategory.Group.choices),
    None,
    dict(Severity.choices),
    *(None,) * 6,
    dict(OutcomeKind.choices),
    WITHIN_TARGET,
    {True: "Yes", False: "No"},
    dict(Status.choices),
)

# Each step is the first time the concern reached it (as in the dashboard's journey); the
# outcome kind is the latest, what came of it in the end. The target is the one the
# concern had when it was reported (reopening sets a new due time for the new work).
_EXTRACT_SQL = """
SELECT a.name,
       r.route,
       cat."group",
       cat.name,
       r.severity,
       date_trunc('week', r.observed_at AT TIME ZONE %(tz)s)::date,
       date_trunc('week', r.reported_at AT TIME ZONE %(tz)s)::date,
       date_trunc('week', st.first_action_at AT TIME ZONE %(tz)s)::date,
       date_trunc('week', st.escalated_at AT TIME ZONE %(tz)s)::date,
       date_trunc('week', st.outcome_at AT TIME ZONE %(tz)s)::date,
       date_trunc('week', st.closed_at AT TIME ZONE %(tz)s)::date,
       latest.kind,
       CASE
           WHEN st.first_action_at IS NOT NULL THEN
               CASE WHEN st.first_action_at <= first_due.at THEN 'yes' ELSE 'no' END
           WHEN first_due.at < %(now)s THEN 'no'
           ELSE 'not_yet_due'
       END,
       st.reopenings > 0,
       r.status
FROM risks_riskreport AS r
{client_join}
JOIN accounts_area AS a ON a.id = r.area_id
JOIN risks_riskcategory AS cat ON cat.id = r.category_id
CROSS JOIN LATERAL (
    SELECT min(e.at) FILTER (WHERE e.from_status <> '') AS first_action_at,
           min(e.at) FILTER (WHERE e.to_status = 'escalated') AS escalated_at,
           min(e.at) FILTER (WHERE e.to_status = 'outcome_recorded') AS outcome_at,
           min(e.at) FILTER (WHERE e.to_status = 'closed') AS closed_at,
           count(*) FILTER (
               WHERE e.from_status IN ('outcome_recorded', 'closed')
                 AND e.to_status NOT IN ('outcome_recorded', 'closed')
           ) AS reopenings,
           max(e.at) FILTER (
               WHERE e.from_status IN ('outcome_recorded', 'closed')
                 AND e.to_status NOT IN ('outcome_recorded', 'closed')
           ) AS last_reopened_at
    FROM risks_riskevent AS e
    WHERE e.risk_id = r.id
) AS st
CROSS JOIN LATERAL (
    -- Reopening makes a concern due again, its target counted from the reopening: its
    -- first due time is the report plus that same target (as in the dashboard).
    SELECT r.reported_at + (r.due_at - coalesce(st.last_reopened_at, r.reported_at)) AS at
) AS first_due
LEFT JOIN LATERAL (
    SELECT o.kind FROM risks_outcome AS o
    WHERE o.risk_id = r.id
    ORDER BY o.recorded_at DESC, o.id DESC
    LIMIT 1
) AS latest ON true
WHERE {where} AND r.reported_at >= %(starts_at)s AND r.reported_at < %(ends_at)s
ORDER BY 7, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15
"""


def extract_sql(concerns: ConcernFilter, period: ReportPeriod, *, now=None) -> tuple[str, dict]:
    where, params = concerns.sql()
    client_join = concerns.client_join()
    params |= {
        "tz": settings.TIME_ZONE,
        "now": now or timezone.now(),
        "starts_at": period.starts_at,
        "ends_at": period.ends_at,
    }
    return _EXTRACT_SQL.format(where=where, client_join=client_join), params


def extract_chunks(
    concerns: ConcernFilter, period: ReportPeriod, *, now=None, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[tuple]]:
    """The rows, `chunk_size` at a time, from a server-side cursor (one statement). Closing
    the generator early (a download cut off) closes the cursor."""
    sql, params = extract_sql(concerns, period, now=now)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield rows


def readable(row: tuple) -> list[str]:
    """A row as the file writes it: labels for codes, ISO dates, blanks for steps not reached."""
    values = []
    for labels, value in zip(_LABELS, row, strict=True):
        if value is None:
            values.append("")
        elif labels is not None:
            values.append(labels.get(value, str(value)))
        else:
            values.append(csv_safe(value.isoformat() if hasattr(value, "isoformat") else str(value)))
    return values


def extract_csv(
    concerns: ConcernFilter, period: ReportPeriod, *, now=None, chunk_size: int = CHUNK_SIZE
) -> Iterator[str]:
    """The CSV, a block of text per chunk of rows: the headings, then one line per concern."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(HEADINGS)
    yield flush()
    for rows in extract_chunks(concerns, period, now=now, chunk_size=chunk_size):
        writer.writerows(readable(row) for row in rows)
        yield flush()
