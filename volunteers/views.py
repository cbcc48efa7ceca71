from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from livingwell.accounts.decorators import role_required
from livingwell.accounts.roles import STAFF_ROLES, Role
from livingwell.pagination import paginate
from livingwell.submissions.views import create_once
from volunteers import selectors, services
from volunteers.access import get_own_volunteer_profile, get_volunteer_for
from volunteers.forms import (
    AgreementForm,
    DBSCheckForm,
    PreferencesForm,
    TrainingRecordForm,
    VolunteerFilterForm,
    VolunteerForm,
)


@role_required(*STAFF_ROLES)
def volunteer_list(request):
    form = VolunteerFilterForm(request.GET or None, user=request.user)
    volunteers = selectors.volunteers_for_staff(request.user, **form.filters())
    return render(
        request, "volunteers/volunteer_list.html", {"form": form, **paginate(request, volunteers, 25)}
    )


@role_required(*STAFF_ROLES)
def volunteer_create(request):
    form = VolunteerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            submitted = create_once(
                request,
                form,
                lambda data: services.volunteer_register(
                    by=request.user,
                    username=data["username"],
                    areas=list(data["areas"]),
                    **form.profile_fields(),
                ),
                done=lambda volunteer: (
                    f"{volunteer.name} is registered. They set their password with “Forgotten your "
                    "password?” on the sign-in page, using their email address."
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("volunteers:detail", pk=submitted.record.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "title": "Register a volunteer"})


@role_required(*STAFF_ROLES)
def volunteer_detail(request, pk: int):
    volunteer = get_volunteer_for(request.user, pk)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": selectors.volunteer_record(volunteer, request.user),
        },
    )


@role_required(*STAFF_ROLES)
def volunteer_edit(request, pk: int):
    volunteer = get_volunteer_for(request.user, pk)
    form = VolunteerForm(request.POST or None, instance=volunteer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(
                volunteer=volunteer,
                by=request.user,
                areas=list(form.cleaned_data["areas"]),
                **form.profile_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{volunteer.name}'s profile is saved.")
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(
        request,
        "volunteers/volunteer_form.html",
        {"form": form, "title": f"Edit {volunteer.name}'s profile", "volunteer": volunteer},
    )


RECORD_FORMS = {
    "dbs": (DBSCheckForm, services.dbs_check_record, "DBS check recorded."),
    "training": (TrainingRecordForm, services.training_record_add, "Training recorded."),
    "agreement": (AgreementForm, services.agreement_sign, "Confidentiality agreement recorded."),
}


@role_required(*STAFF_ROLES)
def volunteer_record_add(request, pk: int, kind: str):
    """Add a DBS check, a training record or a signed agreement to a volunteer's file."""
    volunteer = get_volunteer_for(request.user, pk)
    form_class, service, done = RECORD_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_once(
                request, form, lambda data: service(volunteer=volunteer, by=request.user, **data), done=done
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(
        request, "volunteers/record_form.html", {"form": form, "volunteer": volunteer, "kind": kind}
    )


@role_required(Role.VOLUNTEER)
def my_profile(request):
    volunteer = selectors.volunteer_record(get_own_volunteer_profile(request.user), request.user)
    form = PreferencesForm(request.POST or None, instance=volunteer)
    if request.method == "POST" and form.is_valid():
        services.volunteer_update_preferences(volunteer=volunteer, by=request.user, **form.cleaned_data)
        messages.success(request, "Your preferences are saved.")
        return redirect("volunteers:me")
    return render(request, "volunteers/my_profile.html", {"form": form, "volunteer": volunteer})
