"""What the reports write: the record of every export taken from them."""

from __future__ import annotations

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db import transaction

from livingwell.accounts.models import User
from livingwell.reports.models import ReportExport, Trial
from livingwell.reports.periods import ReportPeriod


@transaction.atomic
def record_export(
    *,
    by: User,
    kind: str,
    period: ReportPeriod | None,
    filters: dict,
    trial: Trial | None = None,
) -> ReportExport:
    """Record that `by` took an export of `kind` (a `ReportExport.Kind`) covering `period`
    with `filters` (what they chose: areas, period, whether small numbers were suppressed),
    and write it to the audit log as an access. Call it before the file is sent, so an
    export that leaves the building is always on record, even if the download is cut off.

    The export row and its one log entry are written together. The log entry is the
    explicit ACCESS entry, naming the person even outside a request; the automatic
    "created" entry auditlog would add for the row is not written, so the log shows each
    export once.
    """
    if kind not in ReportExport.Kind.values:
        raise ValueError(f"Unknown kind of export: {kind!r}")
    with disable_auditlog():
        export = ReportExport.objects.create(
            kind=kind,
            taken_by=by,
            period_start=period.start if period else None,
            period_end=period.end if period else None,
            filters=filters,
            trial=trial,
        )
    LogEntry.objects.log_create(
        export,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        additional_data={
            "export": kind,
            "period": [period.start.isoformat(), period.end.isoformat()] if period else None,
            "filters": filters,
            "trial": trial.pk if trial else None,
        },
    )
    return export
