from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clients import selectors, services
from clients.access import ClientPage, get_allocation_for, get_client_for, get_consent_for
from clients.forms import (
    AllocateForm,
    ClientForm,
    ClientSearchForm,
    ConsentForm,
    EndAllocationForm,
    WithdrawConsentForm,
)
from livingwell.accounts.decorators import role_required
from livingwell.accounts.roles import STAFF_ROLES, Role
from livingwell.accounts.selectors import staff_area_ids_of
from livingwell.pagination import paginate
from livingwell.submissions.views import create_once


def _staff_client(request, pk):
    """A client whose full record this person manages, or 404."""
    client, page = get_client_for(request.user, pk)
    if page != ClientPage.RECORD:
        raise PermissionDenied
    return client


@login_required
def client_list(request):
    user = request.user
    if user.has_role(*STAFF_ROLES):
        form = ClientSearchForm(request.GET or None, user=user)
        filters = form.valid_filters
        clients = selectors.clients_for_staff(
            user, search=filters.get("q", ""), area=filters.get("area"), status=filters.get("status", "")
        )
        return render(
            request,
            "clients/client_list.html",
            {"form": form, **paginate(request, selectors.PagedByKeys(clients), 25)},
        )
    if user.has_role(Role.VOLUNTEER):
        return render(request, "clients/my_clients.html", {"clients": selectors.clients_of_volunteer(user)})
    raise PermissionDenied


@role_required(*STAFF_ROLES)
def client_create(request):
    form = ClientForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            submitted = create_once(
                request,
                form,
                lambda data: services.client_create(by=request.user, **data),
                done=lambda client: f"{client.full_name} is registered.",
            )
        except services.PossibleDuplicate as duplicate:
            form.possible_duplicates = duplicate.matches
            form.add_error("confirm_not_duplicate", duplicate)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("clients:detail", pk=submitted.record.pk)
    return render(
        request,
        "clients/client_form.html",
        {
            "form": form,
            "title": "Register a client",
            # Details of a possible match are shown only where this person may see that client.
            "my_area_ids": staff_area_ids_of(request.user),
        },
    )


@login_required
def client_detail(request, pk: int):
    client, page = get_client_for(request.user, pk)
    services.client_access_log(client=client, user=request.user, page=page)
    if page == ClientPage.VISIT:
        return render(request, "clients/client_visit.html", {"client": client})
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": selectors.client_record(client),
            "viewers": selectors.who_has_looked(client),
        },
    )


@role_required(*STAFF_ROLES)
def client_edit(request, pk: int):
    client = _staff_client(request, pk)
    # The edit form shows the whole record, so opening it is a look at the record.
    services.client_access_log(client=client, user=request.user, page="edit")
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(client=client, by=request.user, **form.client_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{client.full_name}'s record is saved.")
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "title": f"Edit {client.full_name}'s record", "client": client},
    )


@role_required(*STAFF_ROLES)
def consent_new(request, pk: int):
    client = _staff_client(request, pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_once(
                request,
                form,
                lambda data: services.consent_give(client=client, by=request.user, **data),
                done="Consent recorded.",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/consent_form.html", {"form": form, "client": client})


@role_required(*STAFF_ROLES)
def consent_withdraw(request, pk: int):
    consent = get_consent_for(request.user, pk)
    client = consent.client
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(consent=consent, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Consent withdrawn. It took effect straight away.")
            return redirect("clients:detail", pk=client.pk)
    return render(
        request, "clients/consent_withdraw.html", {"form": form, "consent": consent, "client": client}
    )


@role_required(*STAFF_ROLES)
def allocate(request, pk: int):
    client = _staff_client(request, pk)
    form = AllocateForm(request.POST if request.method == "POST" else None, client=client)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["volunteer"]))
        else:
            volunteer = form.cleaned_data["volunteer"]
            try:
                services.allocation_start(client=client, volunteer=volunteer, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"{volunteer.name} now visits {client.full_name}.")
                return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/allocate.html",
        {"client": client, "suggestions": selectors.allocation_suggestions(client)},
    )


@role_required(*STAFF_ROLES)
@require_POST
def allocation_end(request, pk: int):
    allocation = get_allocation_for(request.user, pk)
    client = allocation.client
    form = EndAllocationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        services.allocation_end(allocation=allocation, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{allocation.volunteer.name} no longer visits {client.full_name}.")
    return redirect("clients:detail", pk=client.pk)
