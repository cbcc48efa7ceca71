"""Trials: the list, setting one up, the trial page with both periods' figures and the
cards, the feedback card, the decision, and the printable report and its spreadsheet.
Who may do what is decided in `livingwell/reports/trials.py`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from livingwell.accounts.decorators import role_required
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import managed_organisations_of
from livingwell.pagination import paginate
from livingwell.reports import services, trials
from livingwell.reports.exports import workbook
from livingwell.reports.forms import CardForm, DecisionForm, TrialForm
from livingwell.reports.models import LIMITATIONS_QUESTION, OPPORTUNITIES_QUESTION, ReportExport
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.scope import suppresses_small_numbers
from livingwell.reports.services import record_export
from livingwell.submissions.views import create_once

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _trial_form(request, data=None) -> TrialForm | None:
    if not trials.may_set_up_trials(request.user):
        return None
    return TrialForm(data, organisations=managed_organisations_of(request.user))


@role_required(*trials.REPORT_ROLES)
@require_GET
def trial_list(request):
    found = (
        trials.trials_visible_to(request.user)
        .select_related("area", "practice__area")
        .annotate(card_count=Count("cards"))
        .order_by("-starts_on", "-pk")
    )
    return render(
        request,
        "reports/trial_list.html",
        {**paginate(request, found, 25), "form": _trial_form(request)},
    )


@role_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def trial_new(request):
    form = _trial_form(request, request.POST or None)
    if form is None:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            submitted = create_once(
                request,
                form,
                lambda data: services.trial_create(by=request.user, **form.trial_arguments()),
                done="Trial set up. The people who work there have been asked for a feedback card.",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("reports:trial", pk=submitted.record.pk)
    return render(request, "reports/trial_form.html", {"form": form})


def _trial_context(request, trial) -> dict:
    suppress = suppresses_small_numbers(request.user)
    return {
        "trial": trial,
        "place": trials.place_label(trial),
        "figures": trials.trial_figures(trial, suppress=suppress),
        "groups": trials.card_groups(trial),
        "suppress": suppress,
        "questions": (OPPORTUNITIES_QUESTION, LIMITATIONS_QUESTION),
    }


@role_required(*trials.REPORT_ROLES)
@require_GET
def trial_detail(request, pk: int):
    trial = trials.get_trial_for(request.user, pk)
    return render(
        request,
        "reports/trial_detail.html",
        {
            **_trial_context(request, trial),
            "may_decide": trials.may_decide(request.user, trial),
            "is_manager": trials.is_manager_of_trial(request.user, trial),
            "may_write_card": trials.cards_open(trial) and trials.card_writer_role(request.user, trial),
        },
    )


@role_required(*trials.CARD_ROLES)
@require_http_methods(["GET", "POST"])
def card_new(request, pk: int):
    trial, role = trials.get_trial_for_card(request.user, pk)
    may_type_up = trials.is_manager_of_trial(request.user, trial)
    form = CardForm(request.POST or None, may_type_up=may_type_up)
    if request.method == "POST" and form.is_valid():
        board_member = form.is_board_member_card
        try:
            create_once(
                request,
                form,
                lambda data: services.card_write(trial=trial, by=request.user, **form.card_arguments()),
                done="Board member's card saved. Type up the next one below, if there is one."
                if board_member
                else "Thank you: your card is saved. It will be read with your role only, never your name.",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("reports:card_new", pk=trial.pk)
    return render(
        request,
        "reports/trial_card_form.html",
        {
            "trial": trial,
            "place": trials.place_label(trial),
            "form": form,
            "role": role,
            "open": trials.cards_open(trial),
            "own_card": trials.own_card_of(request.user, trial),
            "may_type_up": may_type_up,
            "sees_trial": trials.trials_visible_to(request.user).filter(pk=trial.pk).exists(),
        },
    )


@role_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def trial_decide(request, pk: int):
    trial = trials.get_trial_for(request.user, pk)
    if not trials.is_manager_of_trial(request.user, trial):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trial_decide(trial=trial, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decision recorded. It shows on the trial and in its report.")
            return redirect("reports:trial", pk=trial.pk)
    return render(
        request,
        "reports/trial_decide.html",
        {
            "trial": trial,
            "place": trials.place_label(trial),
            "form": form,
            "may_decide": trials.may_decide(request.user, trial),
        },
    )


@role_required(*trials.REPORT_ROLES)
@require_GET
def trial_report(request, pk: int):
    trial = trials.get_trial_for(request.user, pk)
    return render(request, "reports/trial_report.html", _trial_context(request, trial))


@role_required(*trials.REPORT_ROLES)
@require_GET
def trial_xlsx(request, pk: int):
    trial = trials.get_trial_for(request.user, pk)
    context = _trial_context(request, trial)
    figures = context["figures"]
    # On record before the file is sent, as every export is.
    record_export(
        by=request.user,
        kind=ReportExport.Kind.TRIAL_XLSX,
        period=ReportPeriod(figures.baseline.start, figures.trial.end),
        filters={
            "trial": trial.title,
            "place": context["place"],
            "small_numbers_suppressed": context["suppress"],
        },
        trial=trial,
    )
    content = workbook(
        trials.spreadsheet_about(trial, figures, suppress=context["suppress"]),
        trials.spreadsheet_tables(figures, context["groups"]),
    )
    response = HttpResponse(content, content_type=XLSX)
    name = slugify(trial.title)[:60] or "trial"
    response["Content-Disposition"] = f'attachment; filename="trial-{trial.pk}-{name}.xlsx"'
    return response
