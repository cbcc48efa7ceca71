from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clients.services import client_access_log
from livingwell.accounts.decorators import role_required
from livingwell.accounts.roles import STAFF_ROLES, Role
from livingwell.accounts.selectors import practices_of
from livingwell.pagination import paginate
from livingwell.submissions.views import create_once
from meetings import selectors, services
from meetings.access import MeetingPage, get_item_to_run, get_meeting_for, get_meeting_to_run, get_summary_for
from meetings.forms import (
    ActionForm,
    AddClientForm,
    AttendanceForm,
    CancelForm,
    ConcludeForm,
    InviteForm,
    MeetingPlanForm,
    MinutesForm,
    NotesForm,
    OutcomeAtMeetingForm,
    ProtocolForm,
    RaiseConcernForm,
    RescheduleForm,
    VolunteerChoiceForm,
)
from meetings.models import Action, MeetingKind, MeetingStatus
from risks.models import RiskCategory
from risks.selectors import risk_timeline

MEETING_ROLES = (Role.VOLUNTEER, *STAFF_ROLES, Role.MDT_CHAIR, Role.CLINICIAN)


def _refused(request, error: ValidationError) -> None:
    messages.error(request, "Nothing was changed. " + " ".join(error.messages))


def _posted(request):
    """The form data of a POST, even an empty one (which should say what is missing, not
    show the blank form again as if nothing had been sent), or None."""
    return request.POST if request.method == "POST" else None


def _back(meeting):
    return redirect("meetings:detail", pk=meeting.pk)


def _kinds_planned_by(user) -> list[str]:
    kinds = [MeetingKind.MDT] if user.has_role(Role.MDT_CHAIR) else []
    if user.has_role(Role.COORDINATOR):
        kinds += [MeetingKind.FORMAL, MeetingKind.COFFEE_MORNING]
    return kinds


@role_required(*MEETING_ROLES)
def meeting_list(request):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    kind = request.GET.get("kind", "")
    meetings = selectors.meetings_for(request.user, kind=kind, when=when)
    can_plan = [(kind, MeetingKind(kind).label) for kind in _kinds_planned_by(request.user)]
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "when": when,
            "kind": kind,
            "kinds": MeetingKind.choices,
            "can_plan": can_plan,
            **paginate(request, meetings, 20),
        },
    )


@role_required(Role.COORDINATOR, Role.MDT_CHAIR)
def meeting_plan(request):
    allowed = _kinds_planned_by(request.user)
    kind = request.GET.get("kind") or allowed[0]
    if kind not in allowed:
        raise Http404("No such meeting to plan")
    form = MeetingPlanForm(_posted(request), user=request.user, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            submitted = create_once(
                request,
                form,
                lambda data: services.meeting_plan(by=request.user, **form.plan()),
                done="The meeting is planned and everybody invited has been sent an invitation.",
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("meetings:detail", pk=submitted.record.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "kind": kind, "kind_label": MeetingKind(kind).label},
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def meeting_detail(request, pk: int):
    meeting, page = get_meeting_for(request.user, pk)
    if page == MeetingPage.VOLUNTEER:
        items = list(selectors.own_items_of(meeting, request.user))
        slots = [slot for slot in services.agenda_slots(meeting) if slot.item.presenter_id == request.user.pk]
        return render(
            request,
            "meetings/meeting_volunteer.html",
            {
                "meeting": meeting,
                "items": items,
                "slots": slots if meeting.is_mdt else [],
                "protocol": services.current_protocol(meeting.practice) if meeting.is_mdt else None,
            },
        )
    shows_agenda = _shows_agenda(meeting, page)
    if shows_agenda:
        items, actions = selectors.agenda_and_actions_of(meeting)
    else:
        # Actions about an item would name its client.
        items, actions = [], list(selectors.actions_of(meeting).filter(item__isnull=True))
    slots = services.agenda_slots(meeting, items)
    runs_open = page == MeetingPage.RUN and meeting.is_open
    may_read_summaries = meeting.is_mdt and (
        page == MeetingPage.CLINICIAN or (page == MeetingPage.RUN and meeting.chair_id == request.user.pk)
    )
    context = {
        "meeting": meeting,
        "page": page,
        "runs": page == MeetingPage.RUN,
        # What every agenda item shows, decided once for the page rather than once per item.
        "agenda": {
            "runs_open": runs_open,
            "plans_mdt": runs_open and meeting.is_mdt and meeting.status == MeetingStatus.PLANNED,
            "decides": runs_open and meeting.kind == MeetingKind.FORMAL,
            "shows_what_was_seen": page != MeetingPage.CLINICIAN and not meeting.is_mdt,
            "links_summaries": may_read_summaries and meeting.agenda_published_at is not None,
        },
        "slots": slots,
        "volunteers_leave_at": services.volunteers_leave_at(slots) if meeting.is_mdt else None,
        "attendances": list(selectors.attendances_of(meeting)),
        "agenda_hidden": not shows_agenda,
        "actions": actions,
        "unowned": list(services.items_without_owner(meeting))
        if meeting.kind == MeetingKind.COFFEE_MORNING
        else [],
    }
    if page == MeetingPage.RUN and meeting.is_open:
        # Only a formal meeting decides on its items there and then.
        conclude_form = ConcludeForm(area=meeting.area) if meeting.kind == MeetingKind.FORMAL else None
        context.update(
            {
                "invite_form": InviteForm(meeting=meeting),
                "notes_form": NotesForm(initial={"notes": meeting.notes}),
                # The agenda, the people invited and the services are on the page already.
                "action_form": ActionForm(
                    meeting=meeting,
                    items=meeting.items.select_related("client", "risk__category"),
                    items_read=items,
                    attendances=context["attendances"],
                    services=conclude_form.service_choices() if conclude_form else None,
                ),
                "attendance_form": AttendanceForm(attendances=context["attendances"]),
            }
        )
        if conclude_form is not None:
            for item in items:
                item.conclude_form = conclude_form.for_item(item.pk)
    if page == MeetingPage.RUN:
        # Actions agreed at a meeting are often done after it: the outcome is recorded then.
        # A form per item, so that each item's boxes have ids (and labels) of their own.
        for item in items:
            item.outcome_form = OutcomeAtMeetingForm(auto_id=f"id_item{item.pk}_outcome_%s")
    return render(request, "meetings/meeting_detail.html", context)


def _shows_agenda(meeting, page: MeetingPage) -> bool:
    """An MDT agenda is the chair's draft until it is published: nobody else (the clinicians
    invited, staff of the area) sees who is on it before. A clinician sees no agenda of a
    volunteer meeting: those concerns are discussed in the room."""
    if page == MeetingPage.RUN:
        return True
    if meeting.is_mdt:
        return meeting.agenda_published_at is not None
    return page != MeetingPage.CLINICIAN


@login_required
def meeting_calendar_file(request, pk: int):
    """The meeting as a calendar file, for anybody who may see it (a volunteer's shows their
    own slots)."""
    meeting, _page = get_meeting_for(request.user, pk)
    attendance = meeting.attendances.filter(person=request.user).first()
    invitation = services.invitation_file(meeting, attendance=attendance)
    response = HttpResponse(invitation.content, content_type=invitation.content_type)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def meeting_edit(request, pk: int):
    meeting = get_meeting_to_run(request.user, pk)
    initial = {"starts_at": meeting.starts_at, "ends_at_time": meeting.ends_at, "place": meeting.place}
    form = RescheduleForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_reschedule(meeting=meeting, by=request.user, **form.times())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Saved. Everybody invited has been sent the new time and place.")
            return _back(meeting)
    return render(
        request, "meetings/meeting_edit.html", {"form": form, "meeting": meeting, "cancel_form": CancelForm()}
    )


def _post_action(request, pk: int, form_class=None, form_kwargs=None):
    meeting = get_meeting_to_run(request.user, pk)
    form = form_class(request.POST, **(form_kwargs(meeting) if form_kwargs else {})) if form_class else None
    if form is not None and not form.is_valid():
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, "Nothing was changed. " + " ".join(errors))
        return meeting, None
    return meeting, form


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting, form = _post_action(request, pk, CancelForm)
    if form is not None:
        try:
            services.meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, "The meeting is cancelled. Everybody invited has been told.")
    return _back(meeting)


@login_required
@require_POST
def meeting_invite(request, pk: int):
    meeting, form = _post_action(request, pk, InviteForm, lambda meeting: {"meeting": meeting})
    if form is not None:
        try:
            services.meeting_invite(
                meeting=meeting, by=request.user, person=form.cleaned_data["person"], role=form.role()
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, f"{form.cleaned_data['person'].get_full_name()} is invited.")
    return _back(meeting)


@login_required
@require_POST
def meeting_attendance(request, pk: int):
    meeting, form = _post_action(
        request, pk, AttendanceForm, lambda meeting: {"attendances": selectors.attendances_of(meeting)}
    )
    if form is not None:
        try:
            services.attendance_record(meeting=meeting, by=request.user, responses=form.responses())
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, "Attendance saved.")
    return _back(meeting)


@login_required
@require_POST
def meeting_held(request, pk: int):
    meeting, _ = _post_action(request, pk)
    try:
        services.meeting_mark_held(meeting=meeting, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Marked as held.")
    return _back(meeting)


@login_required
@require_POST
def meeting_finalise(request, pk: int):
    meeting, _ = _post_action(request, pk)
    try:
        services.meeting_finalise(meeting=meeting, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "The minutes are finalised.")
    return _back(meeting)


@login_required
@require_POST
def meeting_notes(request, pk: int):
    meeting, form = _post_action(request, pk, NotesForm)
    if form is not None:
        try:
            services.meeting_notes_save(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, "Notes saved.")
    return _back(meeting)


@login_required
@require_POST
def item_move(request, pk: int, item_pk: int, direction: str):
    meeting, _ = _post_action(request, pk)
    item = get_item_to_run(request.user, meeting, item_pk)
    try:
        services.agenda_item_move(item=item, by=request.user, up=direction == "up")
    except ValidationError as error:
        _refused(request, error)
    return _back(meeting)


@login_required
@require_POST
def item_minutes(request, pk: int, item_pk: int):
    meeting, form = _post_action(request, pk, MinutesForm)
    if form is not None:
        item = get_item_to_run(request.user, meeting, item_pk)
        try:
            services.agenda_item_set_minutes(item=item, by=request.user, minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            _refused(request, error)
    return _back(meeting)


@login_required
@require_POST
def item_conclude(request, pk: int, item_pk: int):
    meeting, form = _post_action(request, pk, ConcludeForm, lambda meeting: {"area": meeting.area})
    if form is not None:
        item = get_item_to_run(request.user, meeting, item_pk)
        try:
            services.agenda_item_conclude(item=item, by=request.user, **form.details())
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, "Decision recorded on the concern's timeline.")
    return _back(meeting)


@login_required
@require_POST
def item_outcome(request, pk: int, item_pk: int):
    meeting, form = _post_action(request, pk, OutcomeAtMeetingForm)
    if form is not None:
        item = get_item_to_run(request.user, meeting, item_pk)
        try:
            services.agenda_item_record_outcome(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, "Outcome recorded. The volunteer who raised it has been sent the news.")
    return _back(meeting)


@login_required
@require_POST
def action_add(request, pk: int):
    meeting, form = _post_action(
        request,
        pk,
        ActionForm,
        lambda meeting: {
            "meeting": meeting,
            "items": meeting.items.select_related("client", "risk__category"),
        },
    )
    if form is not None:
        try:
            create_once(
                request,
                form,
                lambda data: services.action_add(meeting=meeting, by=request.user, **data),
                done="Action recorded.",
            )
        except ValidationError as error:
            _refused(request, error)
    return _back(meeting)


@login_required
@require_POST
def action_done(request, pk: int, action_pk: int):
    meeting, page = get_meeting_for(request.user, pk)
    action = get_object_or_404(Action, pk=action_pk, meeting=meeting)
    if page != MeetingPage.RUN and action.owner_id != request.user.pk:
        raise Http404("No action found")
    try:
        services.action_complete(action=action, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Action marked as done.")
    return _back(meeting)


@login_required
def raise_concern(request, pk: int):
    meeting = get_meeting_to_run(request.user, pk)
    if meeting.kind != MeetingKind.COFFEE_MORNING:
        raise Http404("Concerns are raised this way at coffee mornings")
    form = RaiseConcernForm(_posted(request), user=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        volunteer = form.cleaned_data.pop("volunteer")
        try:
            create_once(
                request,
                form,
                lambda data: services.coffee_concern_raise(
                    meeting=meeting, by=request.user, volunteer=volunteer, **data
                ),
                done=f"Concern recorded for {volunteer.get_full_name()}. "
                "Give it an owner and a due date below.",
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return _back(meeting)
    return render(
        request,
        "meetings/raise_concern.html",
        {"form": form, "meeting": meeting, "categories": RiskCategory.objects.all()},
    )


# --- MDT ------------------------------------------------------------------------------------


@login_required
def agenda_add(request, pk: int):
    meeting = get_meeting_to_run(request.user, pk)
    if not meeting.is_mdt:
        raise Http404("Clients are added this way to MDT meetings")
    form = AddClientForm(
        _posted(request), candidates=services.mdt_candidates(meeting), practice=meeting.practice
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mdt_agenda_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['client'].full_name} is on the agenda.")
            return _back(meeting)
    return render(request, "meetings/agenda_add.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def agenda_publish(request, pk: int):
    meeting, _ = _post_action(request, pk)
    try:
        services.mdt_agenda_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "The agenda is published: the clinicians invited can read it now.")
    return _back(meeting)


@login_required
@require_POST
def item_remove(request, pk: int, item_pk: int):
    meeting, _ = _post_action(request, pk)
    item = get_item_to_run(request.user, meeting, item_pk)
    try:
        services.mdt_agenda_remove(item=item, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Taken off the agenda.")
    return _back(meeting)


@login_required
def item_volunteer(request, pk: int, item_pk: int):
    """The chair's checklist of the local protocol, then the confirmation."""
    meeting = get_meeting_to_run(request.user, pk)
    if not meeting.is_mdt:
        raise Http404("Volunteers present items at MDT meetings only")
    item = get_item_to_run(request.user, meeting, item_pk)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = VolunteerChoiceForm(data, item=item)
    checklist = None
    if form.is_bound and form.is_valid():
        volunteer = form.cleaned_data["volunteer"]
        reason = form.cleaned_data.get("conflict_reason", "")
        checklist = services.protocol_checklist(item=item, volunteer=volunteer, conflict_reason=reason)
        if request.method == "POST":
            if not form.cleaned_data.get("confirm"):
                form.add_error("confirm", "Tick the box to confirm you have checked every condition.")
            else:
                try:
                    services.mdt_volunteer_confirm(
                        item=item, by=request.user, volunteer=volunteer, conflict_reason=reason
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        f"{volunteer.name} will present this item. "
                        "They have been sent an invitation for their slot.",
                    )
                    return _back(meeting)
    return render(
        request,
        "meetings/item_volunteer.html",
        {
            "form": form,
            "meeting": meeting,
            "item": item,
            "checklist": checklist,
            "all_met": checklist is not None and all(condition.met for condition in checklist),
            "protocol": services.current_protocol(meeting.practice),
        },
    )


@login_required
@require_POST
def item_volunteer_remove(request, pk: int, item_pk: int):
    meeting, _ = _post_action(request, pk)
    item = get_item_to_run(request.user, meeting, item_pk)
    try:
        services.mdt_volunteer_remove(item=item, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "The volunteer no longer presents this item.")
    return _back(meeting)


@login_required
def client_summary(request, pk: int, client_pk: int):
    """A client's MDT summary: the minimum necessary, and every opening is logged."""
    meeting, page = get_meeting_for(request.user, pk)
    item = get_summary_for(request.user, meeting, client_pk)
    client = item.client
    for_volunteer = page == MeetingPage.VOLUNTEER
    risks = client.risks.select_related("category").order_by("-reported_at")
    if for_volunteer:
        risks = risks.reported_by_volunteer(request.user)
    risks = list(risks[:20])
    timelines = {risk.pk: list(risk_timeline(risk)) for risk in risks}
    client_access_log(
        client=client, user=request.user, page="volunteer_mdt_summary" if for_volunteer else "mdt_summary"
    )
    return render(
        request,
        "meetings/client_summary.html",
        {
            "meeting": meeting,
            "client": client,
            "item": item,
            "for_volunteer": for_volunteer,
            "risks": [(risk, timelines[risk.pk]) for risk in risks],
        },
    )


@role_required(Role.MDT_CHAIR)
def protocol_edit(request, practice_pk: int):
    practice = get_object_or_404(practices_of(request.user), pk=practice_pk)
    current = services.current_protocol(practice)
    form = ProtocolForm(_posted(request), initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            protocol = services.protocol_publish(
                practice=practice, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {protocol.version} of the protocol is published.")
            return redirect("meetings:list")
    return render(
        request,
        "meetings/protocol_form.html",
        {
            "form": form,
            "practice": practice,
            "current": current,
            "earlier": practice.protocols.order_by("-version")[1:6],
        },
    )
