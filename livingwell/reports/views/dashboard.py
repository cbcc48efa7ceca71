from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from livingwell.reports.dashboard import build_dashboard
from livingwell.reports.forms import ReportFilterForm
from livingwell.reports.scope import report_scope_for


def filtered(request):
    """The scope the person may see, and the period and areas they asked for (from the
    address). Refuses anyone with no reports."""
    scope = report_scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    form = ReportFilterForm(request.GET or None, scope=scope)
    return form, form.report_scope(), form.report_period()


def dashboard(request):
    form, scope, period = filtered(request)
    return render(
        request,
        "reports/dashboard.html",
        {"form": form, "dashboard": build_dashboard(scope, period)},
    )
