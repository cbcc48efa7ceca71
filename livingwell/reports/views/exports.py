"""The reports as files: the dashboard as CSV and as Excel for the same address as the page,
and the de-identified extract of concerns for analysts. Each is recorded (who, what, when,
which period and filters) before a byte of it is sent."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from livingwell.reports import extract
from livingwell.reports.dashboard import build_dashboard
from livingwell.reports.exports import csv_lines, dashboard_about, workbook
from livingwell.reports.forms import CUSTOM, ReportFilterForm
from livingwell.reports.models import ReportExport
from livingwell.reports.periods import PRESETS, ReportPeriod
from livingwell.reports.scope import ReportScope
from livingwell.reports.selectors import ConcernFilter
from livingwell.reports.services import record_export
from livingwell.reports.views.dashboard import filtered

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheets read a CSV as UTF-8 (names with accents, curly quotes) only when it starts so.
BYTE_ORDER_MARK = "\ufeff"


def _period_chosen(form: ReportFilterForm) -> str:
    preset = form.preset()
    return "Dates of my choosing" if preset == CUSTOM else PRESETS[preset][0]


def _filters(form: ReportFilterForm, scope: ReportScope) -> dict:
    """What the person chose, as the record of the export keeps it."""
    return {
        "period": form.preset(),
        "areas": [area.name for area in scope.areas],
        "practices": [practice.name for practice in scope.practices],
        "all_areas": len(scope.areas) == len(form.scope.areas),
        "small_numbers_suppressed": scope.suppress_small_numbers,
    }


def _problems(form: ReportFilterForm) -> list[str]:
    return [str(message) for messages in form.errors.values() for message in messages]


def _filename(stem: str, period: ReportPeriod, extension: str) -> str:
    return f"living-well-{stem}-{period.start.isoformat()}-to-{period.end.isoformat()}.{extension}"


def _attach(response: HttpResponse | StreamingHttpResponse, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _dashboard_file(request, kind: str):
    """The dashboard for the page's address, recorded as an export: (about lines, tables, period)."""
    form, scope, period = filtered(request)
    made_at = timezone.now()
    dashboard = build_dashboard(scope, period, now=made_at)
    record_export(by=request.user, kind=kind, period=period, filters=_filters(form, scope))
    about = dashboard_about(
        dashboard,
        chosen_from=form.scope,
        period_chosen=_period_chosen(form),
        made_at=made_at,
        not_used=_problems(form),
    )
    return about, dashboard.tables, period


@require_GET
@login_required
def dashboard_csv(request):
    about, tables, period = _dashboard_file(request, ReportExport.Kind.DASHBOARD_CSV)
    content = BYTE_ORDER_MARK + "".join(csv_lines(about, tables))
    return _attach(HttpResponse(content, content_type=CSV_TYPE), _filename("report", period, "csv"))


@require_GET
@login_required
def dashboard_xlsx(request):
    about, tables, period = _dashboard_file(request, ReportExport.Kind.DASHBOARD_XLSX)
    return _attach(
        HttpResponse(workbook(about, tables), content_type=XLSX_TYPE), _filename("report", period, "xlsx")
    )


@require_GET
@login_required
def extract_csv(request):
    """One row per concern, de-identified, streamed (managers and coordinators only)."""
    form, scope, period = filtered(request)
    if not extract.may_take_extract(scope):
        raise PermissionDenied
    if problems := _problems(form):
        # The file has no room to say the filters were not used: ask again rather than
        # hand over rows of a period the person did not choose.
        return render(request, "reports/export_refused.html", {"problems": problems}, status=400)
    record_export(
        by=request.user, kind=ReportExport.Kind.EXTRACT_CSV, period=period, filters=_filters(form, scope)
    )
    rows = extract.extract_csv(ConcernFilter.of_scope(scope), period)
    response = StreamingHttpResponse(_with_byte_order_mark(rows), content_type=CSV_TYPE)
    return _attach(response, _filename("concerns", period, "csv"))


def _with_byte_order_mark(blocks):
    yield BYTE_ORDER_MARK
    yield from blocks
