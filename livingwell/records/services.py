"""Writing the security events log; asking for, deciding on and taking a copy of what is
held about a person; anonymising client records kept past the retention period."""

from __future__ import annotations

import datetime
import io
import zipfile

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateTimeField, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Greatest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst

from clients.models import Allocation, Client, Consent
from livingwell.accounts.models import User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import is_staff_of, managed_organisations_of, staff_areas_of
from livingwell.notifications.models import Notification
from livingwell.records.collect import LEFT_OUT_FIELDS, concern_links, holdings_for
from livingwell.records.models import ExportRequest, SecurityEvent
from livingwell.text import clean_text
from meetings.models import Action, AgendaItem
from risks.models import Outcome, Referral, RiskEvent, RiskReport
from volunteers.models import Volunteer

EXPORT_VALID_FOR = datetime.timedelta(days=7)
REASON_MAX_LENGTH = 1000
REASON_REQUIRED = "Say why a copy is needed: who asked for it, and how they asked."

Kind = SecurityEvent.Kind


def security_event_record(
    *,
    kind: str,
    user: User | None = None,
    username: str = "",
    ip_address: str | None = None,
    details: dict | None = None,
) -> SecurityEvent:
    """Write one security event. `username` is what was typed; it defaults to the user's."""
    if user is not None and not user.is_authenticated:
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.username if user else ""))[:150],
        ip_address=ip_address or None,
        details=details or {},
    )


# --- Copies of records (subject access) ---------------------------------------------------


def may_request_client_copy(user: User, client: Client) -> bool:
    """Coordinators of the client's area ask for copies of a client's record."""
    return is_staff_of(user, client.area_id, roles=[Role.COORDINATOR])


def may_decide(user: User, export: ExportRequest) -> bool:
    """A second person decides: another coordinator or team leader of the subject's area,
    or a manager of its organisation. Never the person who asked."""
    if not user.is_authenticated or user.pk == export.requested_by_id:
        return False
    if is_staff_of(user, export.area_id):
        return True
    return managed_organisations_of(user).filter(pk=export.area.organisation_id).exists()


def may_download(user: User, export: ExportRequest) -> bool:
    return user.is_authenticated and user.pk in {export.requested_by_id, export.decided_by_id}


def _reason(reason: str) -> str:
    return clean_text(
        reason,
        max_length=REASON_MAX_LENGTH,
        multiline=True,
        required=True,
        what="Why it is needed",
        required_message=REASON_REQUIRED,
    )


def _event(kind: str, export: ExportRequest, by: User) -> None:
    security_event_record(
        kind=kind,
        user=by,
        details={
            "export": export.pk,
            "subject": export.subject_kind,
            "subject_id": export.client_id or export.volunteer_id,
        },
    )


@transaction.atomic
def export_request_client(*, client: Client, by: User, reason: str) -> ExportRequest:
    """Ask for a copy of everything held about `client`."""
    if not may_request_client_copy(by, client):
        raise PermissionDenied("Only coordinators of this client's area may ask for a copy of their record.")
    export = ExportRequest.objects.create(
        client=client, area_id=client.area_id, reason=_reason(reason), requested_by=by
    )
    _event(Kind.EXPORT_REQUESTED, export, by)
    return export


def volunteer_area_for(user: User, volunteer: Volunteer):
    """An area where `user` is a coordinator and `volunteer` volunteers today, or None."""
    return (
        volunteer.user.area_memberships.current()
        .filter(area__in=staff_areas_of(user, roles=[Role.COORDINATOR]))
        .values_list("area", flat=True)
        .first()
    )


@transaction.atomic
def export_request_volunteer(*, volunteer: Volunteer, by: User, reason: str) -> ExportRequest:
    """Ask for a copy of everything held about `volunteer`."""
    area_id = volunteer_area_for(by, volunteer)
    if area_id is None:
        raise PermissionDenied(
            "Only coordinators of this volunteer's area may ask for a copy of their record."
        )
    export = ExportRequest.objects.create(
        volunteer=volunteer, area_id=area_id, reason=_reason(reason), requested_by=by
    )
    _event(Kind.EXPORT_REQUESTED, export, by)
    return export


def _locked(export: ExportRequest) -> ExportRequest:
    # Two people may decide on one request at the same moment: the second waits, then
    # finds it decided.
    return (
        ExportRequest.objects.select_for_update(of=("self",))
        .select_related("area", "client", "volunteer__user")
        .get(pk=export.pk)
    )


def _check_decidable(export: ExportRequest, by: User) -> None:
    if not may_decide(by, export):
        if by.pk == export.requested_by_id:
            raise PermissionDenied("Somebody else must decide on a request you made.")
        raise PermissionDenied(
            "Only another coordinator or team leader of the area, or a manager, may decide."
        )
    if export.state != ExportRequest.State.REQUESTED:
        raise ValidationError(f"This request has already been decided: {export.get_state_display().lower()}.")


def build_archive(export: ExportRequest) -> bytes:
    """The ZIP: one JSON file per kind of record, and `index.html` to read them by."""
    held = holdings_for(export)
    files = held.files()
    index = render_to_string(
        "records/export_index.html",
        {"export": export, "held": held, "sections": _readable(held), "made_at": timezone.now()},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", index)
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _readable_value(value) -> object:
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def _readable(held) -> list[dict]:
    """Each section as headings and rows of label/value pairs, for `index.html`."""
    sections = []
    for section in held.sections:
        left_out = LEFT_OUT_FIELDS.get(section.model, set())
        fields = [f for f in section.model._meta.concrete_fields if f.name not in left_out]
        rows = []
        for row in section.rows:
            pairs = []
            for f in fields:
                if f.choices:
                    value = getattr(row, f"get_{f.name}_display")()
                elif f.is_relation:
                    value = getattr(row, f.name)
                else:
                    value = getattr(row, f.attname)
                pairs.append((capfirst(str(f.verbose_name)), _readable_value(value)))
            rows.append(pairs)
        sections.append({"title": section.title, "filename": section.filename, "rows": rows})
    sections.append(
        {
            "title": "Access log: changes to these records and who looked at them",
            "filename": "access_log.json",
            "rows": [
                [
                    ("When", entry.timestamp),
                    ("What", entry.get_action_display()),
                    ("Record", f"{entry.content_type.name} {entry.object_pk}"),
                    ("By", entry.actor or ""),
                    ("Page or changes", entry.additional_data or entry.changes or ""),
                ]
                for entry in held.access_log()
            ],
        }
    )
    return sections


@transaction.atomic
def export_approve(*, export: ExportRequest, by: User) -> ExportRequest:
    """Approve a request and make its copy, downloadable for seven days."""
    export = _locked(export)
    _check_decidable(export, by)
    now = timezone.now()
    export.state = ExportRequest.State.APPROVED
    export.decided_by, export.decided_at = by, now
    export.expires_at = now + EXPORT_VALID_FOR
    export.archive = build_archive(export)
    export.archive_name = (
        f"{export.subject_kind}-{export.client_id or export.volunteer_id}-record-{now:%Y-%m-%d}.zip"
    )
    export.save(update_fields=["state", "decided_by", "decided_at", "expires_at", "archive", "archive_name"])
    _event(Kind.EXPORT_APPROVED, export, by)
    return export


@transaction.atomic
def export_refuse(*, export: ExportRequest, by: User, reason: str) -> ExportRequest:
    export = _locked(export)
    _check_decidable(export, by)
    export.state = ExportRequest.State.REFUSED
    export.decided_by, export.decided_at = by, timezone.now()
    export.refusal_reason = clean_text(
        reason,
        max_length=REASON_MAX_LENGTH,
        multiline=True,
        required=True,
        what="Why it is refused",
        required_message="Say why the request is refused.",
    )
    export.save(update_fields=["state", "decided_by", "decided_at", "refusal_reason"])
    _event(Kind.EXPORT_REFUSED, export, by)
    return export


@transaction.atomic
def export_download(*, export: ExportRequest, by: User) -> tuple[str, bytes]:
    """The copy's file name and bytes, for the person who asked or who approved, while it
    has not expired. Each download is a security event."""
    export = ExportRequest.objects.select_related("client", "volunteer__user").get(pk=export.pk)
    if not may_download(by, export):
        raise PermissionDenied(
            "Only the person who asked for this copy, or who approved it, may download it."
        )
    if not export.is_downloadable() or export.archive is None:
        raise ValidationError(
            "This copy is no longer available: copies can be downloaded for 7 days after approval."
        )
    _event(Kind.EXPORT_DOWNLOADED, export, by)
    return export.archive_name, bytes(export.archive)


def exports_expire(*, now=None) -> int:
    """Empty the archives of copies past their seven days: the request and its decision stay."""
    now = now or timezone.now()
    return ExportRequest.objects.filter(expires_at__lte=now, archive__isnull=False).update(archive=None)


# --- Retention ----------------------------------------------------------------------------

REMOVED = "Removed: kept longer than the retention period."


def _latest(queryset, field_name: str):
    return Subquery(
        queryset.filter(client=OuterRef("pk"))
        .order_by()
        .values("client")
        .annotate(latest=Max(field_name))
        .values("latest")
    )


def _as_moment(expression):
    return Cast(expression, DateTimeField())


def clients_past_retention(*, now=None) -> QuerySet[Client]:
    """Closed client records, not yet anonymised, whose last contact (the latest of: the
    record made, a consent recorded or withdrawn, a visit started or ended, a step in one of
    their concerns) is older than CLIENT_RECORD_RETENTION_YEARS."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=round(365.25 * settings.CLIENT_RECORD_RETENTION_YEARS))
    last_event = Subquery(
        RiskEvent.objects.filter(risk__client=OuterRef("pk"))
        .order_by()
        .values("risk__client")
        .annotate(latest=Max("at"))
        .values("latest")
    )
    return (
        Client.objects.filter(status=Client.Status.CLOSED, anonymised_at__isnull=True)
        .annotate(
            # PostgreSQL's GREATEST skips NULLs: a client with no concerns or visits is
            # judged by what there is.
            last_contact=Greatest(
                F("created_at"),
                _latest(Consent.objects, "recorded_at"),
                _latest(Consent.objects, "withdrawn_at"),
                _as_moment(_latest(Allocation.objects, "started_on")),
                _as_moment(_latest(Allocation.objects, "ended_on")),
                last_event,
            )
        )
        .filter(last_contact__lt=cutoff)
    )


@transaction.atomic
def client_anonymise(*, client: Client, now=None) -> bool:
    """Replace everything that identifies `client`, or was written about them in free text,
    and keep what the reports count: category, route, severity, area, practice, outcome kind
    and every date. Written with `update()` so that no history row copies the old values;
    the history already kept about them loses its values too. Returns False when the record
    was anonymised already."""
    now = now or timezone.now()
    client = Client.objects.select_for_update().filter(pk=client.pk, anonymised_at__isnull=True).first()
    if client is None:
        return False
    Client.objects.filter(pk=client.pk).update(
        first_name="Anonymised",
        last_name=f"client {client.pk}",
        preferred_name="",
        # The year alone: enough for an age band, not enough to find anybody.
        date_of_birth=datetime.date(client.date_of_birth.year, 1, 1),
        address=REMOVED,
        # The outward code (a town or district), like the figures published by postcode district.
        postcode=client.postcode.split(" ")[0],
        phone="",
        nhs_number="",
        practical_needs="",
        communication_needs="",
        next_of_kin_name="",
        next_of_kin_relationship="",
        next_of_kin_phone="",
        closed_reason=REMOVED,
        anonymised_at=now,
    )
    Consent.objects.filter(client=client).update(note="", withdrawal_note="")
    Allocation.objects.filter(client=client).update(end_reason="")
    concerns = RiskReport.objects.filter(client=client)
    links = concern_links(concerns)
    concerns.update(what_was_seen=REMOVED, action_taken="", client_wishes="", close_reason="")
    RiskEvent.objects.filter(risk__client=client).update(note="")
    # The key worker is a professional, not the client, and a referral must name one or a
    # service; the other service's reference would find the client there.
    Referral.objects.filter(risk__client=client).update(reference="")
    Outcome.objects.filter(risk__client=client).update(staff_summary=REMOVED, volunteer_message=REMOVED)
    items = AgendaItem.objects.filter(Q(client=client) | Q(risk__client=client))
    Action.objects.filter(item__in=items.values("pk")).update(what=REMOVED)
    items.update(discussion_note="", conflict_reason="")
    Notification.objects.filter(link__in=links).update(
        title="A message about a concern you raised", body=REMOVED, attachment_content=""
    )
    # A copy of the record made before holds all of it.
    ExportRequest.objects.filter(client=client).update(archive=None, reason=REMOVED, refusal_reason="")
    _forget_history(client)
    return True


def _forget_history(client: Client) -> None:
    """The history of changes keeps old values (a name, an address): keep that a change was
    made, by whom and when, and drop what it was."""
    for model, ids in (
        (Client, [client.pk]),
        (Consent, list(Consent.objects.filter(client=client).values_list("pk", flat=True))),
        (Allocation, list(Allocation.objects.filter(client=client).values_list("pk", flat=True))),
    ):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(pk) for pk in ids]
        ).update(changes=None, changes_text="", object_repr="Anonymised record", serialized_data=None)


def anonymise_expired_client_records(*, now=None) -> int:
    """Anonymise every closed client record past the retention period. Returns how many."""
    done = 0
    for client_id in clients_past_retention(now=now).values_list("pk", flat=True):
        done += client_anonymise(client=Client(pk=client_id), now=now)
    return done
