import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from livingwell.accounts.decorators import role_required, volunteer_json_required
from livingwell.accounts.roles import STAFF_ROLES, Role
from livingwell.pagination import paginate, paginate_by_key
from livingwell.submissions.forms import KEY_FIELD
from livingwell.submissions.services import submit_once
from livingwell.submissions.views import create_once
from risks import selectors, services
from risks.access import RiskPage, get_risk_for, get_service_for_edit, get_shift_for
from risks.forms import (
    VOLUNTEERS_LISTED,
    CloseForm,
    DirectorySearchForm,
    EscalateForm,
    NoteForm,
    OutcomeForm,
    PhoneConcernForm,
    QueueFilterForm,
    ReopenForm,
    ReportConcernForm,
    SavedReportForm,
    ServiceForm,
    ShiftForm,
    VolunteerSearchForm,
    report_form_version,
)
from risks.models import SEVERITY_DESCRIPTIONS, RiskCategory


def _on_call(user):
    from livingwell.accounts.selectors import areas_of

    return selectors.on_call_for_areas(areas_of(user))


# The confirmation ("Thank you. Your concern has been sent.") shows once, right after sending.
# It travels in a short-lived signed cookie, not the session, so that sending a concern and
# reading the confirmation write no session.
JUST_REPORTED = "just_reported"
JUST_REPORTED_SECONDS = 10 * 60
# The rota shows four weeks ahead unless asked for every shift: a coordinator plans months
# of daily shifts, and the question asked of the page is "who is on call this week?".
ROTA_WEEKS_SHOWN = datetime.timedelta(weeks=4)


def _just_reported(response, pk: int):
    response.set_signed_cookie(
        JUST_REPORTED,
        str(pk),
        salt=JUST_REPORTED,
        max_age=JUST_REPORTED_SECONDS,
        path="/risks/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _was_just_reported(request, risk) -> bool:
    sent = request.get_signed_cookie(
        JUST_REPORTED, default=None, salt=JUST_REPORTED, max_age=JUST_REPORTED_SECONDS
    )
    return sent == str(risk.pk)


@role_required(Role.VOLUNTEER)
def report_concern(request):
    # Read once, when the page is shown, for both the form's list and the guidance beside it.
    categories = SimpleLazyObject(lambda: list(RiskCategory.objects.all()))
    form = ReportConcernForm(
        request.POST or None,
        user=request.user,
        categories=categories,
        initial={"client": request.GET.get("client")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            submitted = create_once(request, form, lambda data: services.risk_report(by=request.user, **data))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = redirect("risks:detail", pk=submitted.record.pk)
            return response if submitted.is_repeat else _just_reported(response, submitted.record.pk)
    return render(
        request,
        "risks/report_form.html",
        {
            "form": form,
            "categories": categories,
            "form_version": report_form_version(categories),
            "on_call": _on_call(request.user),
            "title": "Report a concern",
        },
    )


@require_POST
@volunteer_json_required
def send_saved_report(request):
    """A report kept on the volunteer's phone while there was no signal, sent by the phone's
    JavaScript: answered in JSON. Its one-time key makes a repeat (two tabs, a retry after a
    timeout) answer with the concern the first made."""
    if request.POST.get("written_by", str(request.user.pk)) != str(request.user.pk):
        # A shared phone: another volunteer is signed in now. The report waits on the
        # phone for the one who wrote it.
        return JsonResponse(
            {"message": "This report was written by someone else who uses this phone. It waits for them."},
            status=409,
        )
    form = SavedReportForm(request.POST, user=request.user)
    if form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != KEY_FIELD}
        try:
            submitted = submit_once(
                key=form.cleaned_data[KEY_FIELD],
                by=request.user,
                create=lambda: services.risk_report(by=request.user, **data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            risk = submitted.record
            arrived_at = timezone.localtime(risk.reported_at)
            response = JsonResponse(
                {
                    "id": risk.pk,
                    "url": reverse("risks:detail", args=[risk.pk]),
                    "arrived_at": arrived_at.isoformat(),
                    "arrived_at_text": f"{arrived_at:%H:%M}",
                    "repeat": submitted.is_repeat,
                },
                status=200 if submitted.is_repeat else 201,
            )
            return response if submitted.is_repeat else _just_reported(response, risk.pk)
    return _not_sent(form)


def _not_sent(form) -> JsonResponse:
    """The form's errors by box, and the first of them as the sentence to show: what is
    wrong with the report as a whole (the service's refusal) before any one box."""
    errors = {name: [str(error) for error in field_errors] for name, field_errors in form.errors.items()}
    first = errors.get(NON_FIELD_ERRORS) or next(iter(errors.values()))
    return JsonResponse({"errors": errors, "message": first[0]}, status=400)


@role_required(Role.TEAM_LEADER)
def report_by_phone(request):
    """Two steps: find and choose the volunteer on the phone, then record the concern about
    one of their clients. The chosen volunteer travels in the address, then in the form."""
    chosen = request.POST.get("volunteer") if request.method == "POST" else request.GET.get("volunteer")
    volunteer = _phone_volunteer(request.user, chosen)
    if volunteer is None:
        return _choose_phone_volunteer(request, asked_for=chosen)
    categories = list(RiskCategory.objects.all())
    form = PhoneConcernForm(
        request.POST or None, user=request.user, volunteer=volunteer, categories=categories
    )
    if request.method == "POST" and form.is_valid():
        form.cleaned_data.pop("volunteer")
        try:
            submitted = create_once(
                request,
                form,
                lambda data: services.risk_report(by=request.user, on_behalf_of=volunteer, **data),
                done=f"Concern recorded for {volunteer.get_full_name()}.",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("risks:detail", pk=submitted.record.pk)
    return render(
        request,
        "risks/report_form.html",
        {
            "form": form,
            "phone_volunteer": volunteer,
            "categories": categories,
            "form_version": report_form_version(categories),
            "title": "Record a concern from a phone call",
        },
    )


def _phone_volunteer(user, chosen):
    if not chosen or not str(chosen).isascii() or not str(chosen).isdigit():
        return None
    return selectors.phone_volunteers_of(user).filter(pk=int(chosen)).first()


def _choose_phone_volunteer(request, *, asked_for):
    search = VolunteerSearchForm(request.GET)
    volunteer_name = search.cleaned_data["volunteer_name"] if search.is_valid() else ""
    found, more = selectors.volunteers_to_offer(request.user, volunteer_name, limit=VOLUNTEERS_LISTED)
    return render(
        request,
        "risks/phone_volunteer.html",
        {
            "search": search,
            "searched": bool(volunteer_name.strip()),
            "volunteers": found,
            "more_volunteers": more,
            "listed": VOLUNTEERS_LISTED,
            # Someone not of the team leader's areas, or gone since the list was shown.
            "not_found": bool(asked_for),
            "title": "Record a concern from a phone call",
        },
        status=400 if asked_for and request.method == "POST" else 200,
    )


@login_required
def risk_detail(request, pk: int):
    risk, page = get_risk_for(request.user, pk)
    if page == RiskPage.VOLUNTEER:
        just_reported = _was_just_reported(request, risk)
        response = render(
            request,
            "risks/risk_volunteer.html",
            {
                "risk": risk,
                "outcome": risk.outcomes.first(),
                "may_tell": services.may_tell_volunteer(risk.client),
                "severity_description": SEVERITY_DESCRIPTIONS[risk.severity],
                "on_call": _on_call(request.user),
                "just_reported": just_reported,
            },
        )
        if just_reported:
            response.delete_cookie(JUST_REPORTED, path="/risks/", samesite="Lax")
        return response
    return render(
        request,
        "risks/risk_detail.html",
        {
            "risk": risk,
            "timeline": selectors.risk_timeline(risk),
            # A list: the page reads the latest one first, then all of them.
            "referrals": list(risk.referrals.select_related("service", "made_by")),
            "outcomes": risk.outcomes.select_related("recorded_by"),
            "actions": services.available_actions(risk),
            "escalate_form": EscalateForm(area=risk.area),
            "outcome_form": OutcomeForm(),
            "close_form": CloseForm(),
            "reopen_form": ReopenForm(),
            "triage_form": NoteForm(),
        },
    )


TRANSITIONS = {
    "triage": (
        NoteForm,
        lambda risk, by, form: services.risk_triage(risk=risk, by=by, **form.cleaned_data),
        "You now own this concern.",
    ),
    "escalate": (
        EscalateForm,
        lambda risk, by, form: services.risk_escalate(risk=risk, by=by, **form.cleaned_data),
        "Referral recorded.",
    ),
    "record_outcome": (
        OutcomeForm,
        lambda risk, by, form: services.risk_record_outcome(risk=risk, by=by, **form.cleaned_data),
        "Outcome recorded. The volunteer has been sent the news.",
    ),
    "close": (
        CloseForm,
        lambda risk, by, form: services.risk_close(risk=risk, by=by, reason=form.reason_text()),
        "Concern closed.",
    ),
    "reopen": (
        ReopenForm,
        lambda risk, by, form: services.risk_reopen(risk=risk, by=by, **form.cleaned_data),
        "Concern reopened. You own it.",
    ),
}


@role_required(*STAFF_ROLES)
@require_POST
def risk_transition(request, pk: int, action: str):
    risk, page = get_risk_for(request.user, pk)
    if page != RiskPage.STAFF:
        raise PermissionDenied
    form_class, apply, done = TRANSITIONS[action]
    form = (
        form_class(request.POST, area=risk.area) if form_class is EscalateForm else form_class(request.POST)
    )
    if not form.is_valid():
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, "Nothing was changed. " + " ".join(errors))
        return redirect("risks:detail", pk=risk.pk)
    # A referral is a new record: sent twice (a double tap), it is still made once.
    key = form.cleaned_data.pop(KEY_FIELD, None)
    try:
        if key:
            submitted = submit_once(key=key, by=request.user, create=lambda: apply(risk, request.user, form))
            if submitted.is_repeat:
                messages.info(request, submitted.already_sent_message)
                return redirect("risks:detail", pk=risk.pk)
        else:
            apply(risk, request.user, form)
    except ValidationError as error:
        messages.error(request, "Nothing was changed. " + " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("risks:detail", pk=risk.pk)


@role_required(*STAFF_ROLES)
def triage_queue(request):
    form = QueueFilterForm(request.GET or None, user=request.user)
    risks = selectors.triage_queue(request.user, **form.filters())
    page = paginate_by_key(request, risks, 25, key=selectors.QUEUE_ORDER)
    selectors.attach_queue_details(page["page_obj"].object_list, **_listed(form))
    return render(request, "risks/queue.html", {"form": form, **page})


def _listed(form: QueueFilterForm) -> dict:
    return {"areas": form.listed["area"], "categories": form.listed["category"]}


@role_required(Role.VOLUNTEER)
def my_concerns(request):
    return render(
        request,
        "risks/my_concerns.html",
        paginate(request, selectors.concerns_of_volunteer(request.user), 20),
    )


@role_required(Role.VOLUNTEER, *STAFF_ROLES)
def directory(request):
    form = DirectorySearchForm(request.GET or None)
    filters = form.valid_filters
    services_found = selectors.services_for(
        area=filters.get("area"),
        search=filters.get("q", ""),
        medical=filters.get("medical", ""),
        viewer=request.user,
    )
    return render(
        request,
        "risks/directory.html",
        {
            "form": form,
            **paginate(request, services_found, 20),
            "can_add": request.user.has_role(Role.COORDINATOR),
        },
    )


@role_required(Role.COORDINATOR)
def service_edit(request, pk: int | None = None):
    service = get_service_for_edit(request.user, pk) if pk else None
    form = ServiceForm(request.POST or None, instance=service, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = lambda saved: f"{saved.name} is saved in the directory."  # noqa: E731
        try:
            if service is None:
                create_once(
                    request, form, lambda data: services.service_create(by=request.user, **data), done=saved
                )
            else:
                service = services.service_update(service=service, by=request.user, **form.cleaned_data)
                messages.success(request, saved(service))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("directory:list")
    return render(request, "risks/service_form.html", {"form": form, "service": service})


@role_required(*STAFF_ROLES)
def rota(request):
    shows_all = request.GET.get("all") == "1"
    weeks_end = None if shows_all else timezone.now() + ROTA_WEEKS_SHOWN
    return render(
        request,
        "risks/rota.html",
        {
            "shifts": selectors.rota_for(request.user, starting_before=weeks_end),
            "later_shifts": 0
            if shows_all
            else selectors.rota_for(request.user, starting_from=weeks_end).count(),
            "shows_all": shows_all,
            "weeks_end": weeks_end,
            "can_edit": request.user.has_role(Role.COORDINATOR),
        },
    )


@role_required(Role.COORDINATOR)
def shift_edit(request, pk: int | None = None):
    shift = get_shift_for(request.user, pk) if pk else None
    form = ShiftForm(request.POST or None, instance=shift, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if shift is None:
                create_once(
                    request,
                    form,
                    lambda data: services.shift_create(by=request.user, **data),
                    done="The rota is saved.",
                )
            else:
                services.shift_update(shift=shift, by=request.user, **form.cleaned_data)
                messages.success(request, "The rota is saved.")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("risks:rota")
    return render(request, "risks/shift_form.html", {"form": form, "shift": shift})
