from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clients.access import ClientPage, get_client_for
from livingwell.accounts.roles import Role
from livingwell.pagination import paginate
from livingwell.records import selectors, services
from livingwell.records.forms import ExportRequestForm, RefuseForm, SecurityEventFilterForm
from volunteers.access import get_volunteer_for

# Who works with copies of records: coordinators ask, a second person of the area or a
# manager decides.
RECORDS_ROLES = (Role.COORDINATOR, Role.TEAM_LEADER, Role.MANAGER)


def _check_records_person(user) -> None:
    if not (user.is_superuser or user.has_role(*RECORDS_ROLES)):
        raise PermissionDenied


@login_required
def security_events(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = SecurityEventFilterForm(request.GET or None)
    filters = form.valid_filters
    events = selectors.security_events(kind=filters.get("kind", ""), username=filters.get("username", ""))
    return render(
        request,
        "records/security_events.html",
        {"form": form, **paginate(request, events.select_related("user"), 50)},
    )


@login_required
def export_list(request):
    _check_records_person(request.user)
    return render(
        request,
        "records/export_list.html",
        paginate(request, selectors.exports_visible_to(request.user), 25),
    )


def _ask(request, *, subject_name: str, back_url: str, make):
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export = make(form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(
                request,
                "Your request is saved. Another coordinator, team leader or a manager must approve it.",
            )
            return redirect("records:export_detail", pk=export.pk)
    return render(
        request,
        "records/export_request.html",
        {"form": form, "subject_name": subject_name, "back_url": back_url},
    )


@login_required
def export_request_client(request, pk: int):
    client, page = get_client_for(request.user, pk)
    if page != ClientPage.RECORD or not services.may_request_client_copy(request.user, client):
        raise PermissionDenied
    return _ask(
        request,
        subject_name=client.full_name,
        back_url=f"/clients/{client.pk}/",
        make=lambda reason: services.export_request_client(client=client, by=request.user, reason=reason),
    )


@login_required
def export_request_volunteer(request, pk: int):
    volunteer = get_volunteer_for(request.user, pk)
    if services.volunteer_area_for(request.user, volunteer) is None:
        raise PermissionDenied
    return _ask(
        request,
        subject_name=volunteer.name,
        back_url=f"/volunteers/{volunteer.pk}/",
        make=lambda reason: services.export_request_volunteer(
            volunteer=volunteer, by=request.user, reason=reason
        ),
    )


@login_required
def export_detail(request, pk: int):
    _check_records_person(request.user)
    export = selectors.get_export_for(request.user, pk)
    return render(
        request,
        "records/export_detail.html",
        {
            "export": export,
            "may_decide": export.state == export.State.REQUESTED
            and services.may_decide(request.user, export),
            "may_download": services.may_download(request.user, export) and export.is_downloadable(),
            "refuse_form": RefuseForm(),
        },
    )


@require_POST
@login_required
def export_approve(request, pk: int):
    _check_records_person(request.user)
    export = selectors.get_export_for(request.user, pk)
    try:
        services.export_approve(export=export, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Approved. The person who asked can download the copy for the next 7 days.")
    return redirect("records:export_detail", pk=export.pk)


@login_required
def export_refuse(request, pk: int):
    _check_records_person(request.user)
    export = selectors.get_export_for(request.user, pk)
    if not services.may_decide(request.user, export):
        raise PermissionDenied
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.export_refuse(export=export, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, "Refused. The person who asked can see why.")
            return redirect("records:export_detail", pk=export.pk)
    return render(request, "records/export_refuse.html", {"form": form, "export": export})


@login_required
def export_download(request, pk: int):
    _check_records_person(request.user)
    export = selectors.get_export_for(request.user, pk)
    try:
        filename, content = services.export_download(export=export, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:export_detail", pk=export.pk)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
