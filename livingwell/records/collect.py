"""Everything held about one client or one volunteer, as rows of each kind of record, for
a subject access copy (`services.export_approve` turns it into a ZIP).

Each kind of record is one file named by its model (`clients.consent.json`), in Django's
serialisation format, so that the copy can be checked against the tables it came from.
Nothing is copied that is about somebody else's client: every query starts from the one
person whose copy this is."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet

from clients.models import (
    Allocation,
    Client,
    ClientGroupObjectPermission,
    ClientUserObjectPermission,
    Consent,
)
from livingwell.accounts.models import AreaMembership, User
from livingwell.notifications.models import Notification
from livingwell.records.models import ExportRequest, SecurityEvent
from meetings.models import Action, AgendaItem, Attendance
from risks.models import Outcome, Referral, RiskEvent, RiskReport
from stories.models import SuccessStory
from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingRecord, Volunteer

# Never copied: a password hash is not information about the person, and the archive of an
# earlier copy would nest copies inside copies.
LEFT_OUT_FIELDS = {User: {"password"}, ExportRequest: {"archive"}}


@dataclass
class Section:
    """One kind of record and its rows."""

    title: str
    rows: QuerySet

    @property
    def model(self):
        return self.rows.model

    @property
    def filename(self) -> str:
        return f"{self.model._meta.label_lower}.json"


@dataclass
class Holdings:
    """What is held about one person: sections of records, then the access log about them."""

    subject: str
    sections: list[Section] = field(default_factory=list)

    def add(self, title: str, rows: QuerySet) -> QuerySet:
        self.sections.append(Section(title, rows.order_by("pk")))
        return rows

    def access_log(self) -> QuerySet[LogEntry]:
        """django-auditlog's rows about the records copied: every change to them, and every
        time somebody looked at the person's record."""
        where = Q(pk__in=[])
        for section in self.sections:
            content_type = ContentType.objects.get_for_model(section.model)
            ids = [str(pk) for pk in section.rows.values_list("pk", flat=True)]
            if ids:
                where |= Q(content_type=content_type, object_pk__in=ids)
        return (
            LogEntry.objects.filter(where).select_related("actor", "content_type").order_by("timestamp", "pk")
        )

    def files(self) -> dict[str, str]:
        """File name -> JSON text, one file per kind of record and one for the access log."""
        found = {}
        for section in self.sections:
            left_out = LEFT_OUT_FIELDS.get(section.model, set())
            names = [f.name for f in section.model._meta.concrete_fields if f.name not in left_out]
            rows = serializers.serialize("python", section.rows, fields=names)
            found[section.filename] = json.dumps(rows, cls=DjangoJSONEncoder, indent=2)
        log = [
            {
                "id": entry.pk,
                "at": entry.timestamp,
                "what": entry.get_action_display(),
                "record": f"{entry.content_type.app_label}.{entry.content_type.model}",
                "record_id": entry.object_pk,
                "by": str(entry.actor) if entry.actor else "",
                "changes": entry.changes,
                "additional_data": entry.additional_data,
            }
            for entry in self.access_log()
        ]
        found["access_log.json"] = json.dumps(log, cls=DjangoJSONEncoder, indent=2)
        return found


def concern_links(concerns: QuerySet[RiskReport]) -> list[str]:
    """The addresses of concern pages, as notifications about them link to them."""
    return [f"/risks/{pk}/" for pk in concerns.values_list("pk", flat=True)]


def client_holdings(client: Client) -> Holdings:
    held = Holdings(subject=client.full_name)
    held.add("Client record", Client.objects.filter(pk=client.pk))
    held.add("Consent, with its history", Consent.objects.filter(client=client))
    held.add("Volunteers who visit or visited", Allocation.objects.filter(client=client))
    held.add("Who may see the record", ClientUserObjectPermission.objects.filter(content_object=client))
    held.add(
        "Groups who may see the record", ClientGroupObjectPermission.objects.filter(content_object=client)
    )
    concerns = held.add("Concerns", RiskReport.objects.filter(client=client))
    held.add("Timeline of each concern", RiskEvent.objects.filter(risk__client=client))
    held.add("Referrals", Referral.objects.filter(risk__client=client))
    held.add("Outcomes", Outcome.objects.filter(risk__client=client))
    items = held.add(
        "Meeting agenda items and what was said",
        AgendaItem.objects.filter(Q(client=client) | Q(risk__client=client)),
    )
    held.add("Actions agreed at meetings", Action.objects.filter(item__in=items.values("pk")))
    held.add("Success stories", SuccessStory.objects.filter(outcome__risk__client=client))
    # Notifications carry no key to a client: those about this client's concerns link to them.
    held.add(
        "Messages about the concerns (good news among them)",
        Notification.objects.filter(link__in=[*concern_links(concerns), f"/clients/{client.pk}/"]),
    )
    held.add("Requests for a copy of the record", ExportRequest.objects.filter(client=client))
    return held


def volunteer_holdings(volunteer: Volunteer) -> Holdings:
    user = volunteer.user
    held = Holdings(subject=volunteer.name)
    held.add("Account", User.objects.filter(pk=user.pk))
    held.add("Volunteer profile", Volunteer.objects.filter(pk=volunteer.pk))
    held.add("Areas", AreaMembership.objects.filter(user=user))
    held.add("Background checks", DBSCheck.objects.filter(volunteer=volunteer))
    held.add("Training", TrainingRecord.objects.filter(volunteer=volunteer))
    held.add("Confidentiality agreements", ConfidentialityAgreement.objects.filter(volunteer=volunteer))
    held.add("Clients visited", Allocation.objects.filter(volunteer=volunteer))
    held.add("Concerns raised", RiskReport.objects.reported_by_volunteer(user))
    held.add("Meetings attended", Attendance.objects.filter(person=user))
    held.add("Notifications", Notification.objects.filter(recipient=user))
    held.add("Sign-in and security events", SecurityEvent.objects.filter(user=user))
    held.add("Requests for a copy of the record", ExportRequest.objects.filter(volunteer=volunteer))
    return held


def holdings_for(export: ExportRequest) -> Holdings:
    return client_holdings(export.client) if export.client_id else volunteer_holdings(export.volunteer)
