"""Every change to clients, allocations and consent. Each checks its rule, writes the change
and its access consequences in one transaction; auditlog keeps the history."""

from __future__ import annotations

import datetime
from typing import Required, TypedDict, Unpack

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients import access
from clients.models import NOTE_MAX_LENGTH, Allocation, Client, Consent, ConsentScope
from clients.signals import consent_withdrawn
from livingwell.accounts.models import Area, AreaMembership, GPPractice, User
from livingwell.accounts.selectors import is_staff_of
from livingwell.dates import EARLIEST_RECORD
from livingwell.notifications.services import good_news_redact
from livingwell.text import clean_text, normalise_text
from volunteers.models import Volunteer


class ClientDetails(TypedDict, total=False):
    """What a coordinator records about a client, in the order the form shows it."""

    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: datetime.date
    address: str
    postcode: str
    phone: str
    nhs_number: str
    gp_practice: GPPractice
    area: Area | None  # blank: the GP practice's area
    practical_needs: str
    support_wanted: list[str]
    communication_needs: str
    next_of_kin_name: str
    next_of_kin_relationship: str
    next_of_kin_phone: str
    status: str
    closed_reason: str


class NewClientDetails(ClientDetails, total=False):
    first_name: Required[str]
    last_name: Required[str]
    date_of_birth: Required[datetime.date]
    address: Required[str]
    postcode: Required[str]
    gp_practice: Required[GPPractice]


CLIENT_FIELDS = tuple(ClientDetails.__annotations__)


def _known(details: dict) -> dict:
    # Type checkers hold callers to ClientDetails; this keeps callers without one honest.
    unknown = set(details) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    return details


class PossibleDuplicate(ValidationError):
    """The client may already be registered; `matches` are the records that look the same."""

    def __init__(self, matches: list[Client]):
        super().__init__(
            "This may be someone already registered. Check the possible matches, then tick this box "
            "if it is a different person.",
            code="possible_duplicate",
        )
        self.matches = matches


def _check_staff(user, area) -> None:
    if not is_staff_of(user, area):
        raise PermissionDenied("Only coordinators and team leaders of this client's area may do this.")


@transaction.atomic
def client_create(
    *, by: User, confirm_not_duplicate: bool = False, **details: Unpack[NewClientDetails]
) -> Client:
    """Register a client. Someone with the same name and date of birth may already be
    registered (perhaps in another area): unless the person registering has checked and
    confirmed it is somebody else, PossibleDuplicate is raised with the matches."""
    fields = _known(details)
    if not fields.get("area"):
        fields["area"] = fields["gp_practice"].area
    _check_staff(by, fields["area"])
    matches = list(
        possible_duplicates(
            first_name=fields["first_name"],
            last_name=fields["last_name"],
            date_of_birth=fields["date_of_birth"],
        )
    )
    if matches and not confirm_not_duplicate:
        raise PossibleDuplicate(matches)
    client = Client(**fields, created_by=by)
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def client_update(*, client: Client, by: User, **changes: Unpack[ClientDetails]) -> Client:
    fields = _known(changes)
    client = Client.objects.select_for_update().get(pk=client.pk)
    _check_staff(by, client.area)
    was_closed = client.status == Client.Status.CLOSED
    old_area_id = client.area_id
    for name, value in fields.items():
        setattr(client, name, value)
    if not client.area_id:
        client.area = client.gp_practice.area
    # Moving a client to another area is only for someone who works there too.
    _check_staff(by, client.area)
    client.full_clean()
    client.save()
    if client.area_id != old_area_id:
        # Volunteers who do not work in the new area stop visiting, and lose access with it.
        allocations_end_all(
            allocations=client.allocations.exclude(volunteer__in=Volunteer.objects.in_areas([client.area])),
            by=by,
            reason="The client moved to another area",
        )
    if client.status == Client.Status.CLOSED and not was_closed:
        # Nobody visits a closed record, so nobody keeps access to it.
        allocations_end_all(
            allocations=client.allocations.all(), by=by, reason="The client's record was closed"
        )
    return client


def possible_duplicates(*, first_name: str, last_name: str, date_of_birth: datetime.date, exclude_pk=None):
    """Clients with the same name and date of birth, anywhere (a duplicate may sit in another area)."""
    # Normalised as stored, so that "Edith" with an invisible space still matches "Edith".
    found = Client.objects.filter(
        first_name__iexact=normalise_text(first_name),
        last_name__iexact=normalise_text(last_name),
        date_of_birth=date_of_birth,
    ).select_related("area")
    return found.exclude(pk=exclude_pk) if exclude_pk else found


@transaction.atomic
def allocation_start(
    *, client: Client, volunteer: Volunteer, by, started_on: datetime.date | None = None
) -> Allocation:
    client = Client.objects.select_for_update().get(pk=client.pk)
    # Locked, so that a volunteer leaving or changing area at this moment is seen.
    volunteer = Volunteer.objects.select_for_update().select_related("user").get(pk=volunteer.pk)
    _check_staff(by, client.area)
    if client.status != Client.Status.ACTIVE:
        raise ValidationError(
            f"{client.full_name}'s record is {client.get_status_display().lower()}: "
            "reopen it before allocating a volunteer."
        )
    if volunteer.status != Volunteer.Status.ACTIVE:
        raise ValidationError(
            f"{volunteer.name} is {volunteer.get_status_display().lower()}, so cannot be allocated."
        )
    if not Volunteer.objects.in_areas([client.area]).filter(pk=volunteer.pk).exists():
        raise ValidationError(f"{volunteer.name} does not volunteer in {client.area}.")
    if Allocation.objects.filter(client=client, volunteer=volunteer, ended_on__isnull=True).exists():
        raise ValidationError(f"{volunteer.name} already visits {client.full_name}.")
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError("An allocation cannot start in the future.")
    try:
        with transaction.atomic():
            allocation = Allocation.objects.create(
                client=client, volunteer=volunteer, started_on=started_on, allocated_by=by
            )
    except IntegrityError as error:  # a second coordinator allocated the same pair just now
        raise ValidationError(f"{volunteer.name} already visits {client.full_name}.") from error
    access.allocation_started(allocation)
    return allocation


@transaction.atomic
def allocation_end(*, allocation: Allocation, by, reason: str = "") -> Allocation:
    allocation = (
        Allocation.objects.select_for_update()
        .select_related("client", "volunteer__user")
        .get(pk=allocation.pk)
    )
    _check_staff(by, allocation.client.area)
    if allocation.ended_on is not None:
        raise ValidationError("This allocation has already ended.")
    return _end(allocation, by=by, reason=reason)


def _end(allocation: Allocation, *, by, reason: str) -> Allocation:
    allocation.ended_on = timezone.localdate()
    allocation.end_reason = clean_text(reason, max_length=200, what="Why it is ending")
    allocation.ended_by = by
    allocation.save(update_fields=["ended_on", "end_reason", "ended_by"])
    access.allocation_ended(allocation)
    return allocation


def allocations_end_all(*, allocations, by, reason: str) -> int:
    """End every open allocation in `allocations`, revoking access with each. For other
    services whose change means the visits stop (a record closed, a volunteer leaving);
    they have checked the permission for that change."""
    ended = 0
    for allocation in (
        allocations.filter(ended_on__isnull=True)
        .select_for_update()
        .select_related("client", "volunteer__user")
    ):
        _end(allocation, by=by, reason=reason)
        ended += 1
    return ended


def end_visits_of_volunteer_who_left(sender, *, volunteer: Volunteer, by: User, **kwargs) -> None:
    """A volunteer who has left visits nobody, so keeps no access to anybody's details."""
    allocations_end_all(allocations=volunteer.allocations.all(), by=by, reason="The volunteer has left")


def end_visits_in_area_left(sender, *, membership: AreaMembership, by: User | None, **kwargs) -> None:
    """A volunteer who no longer volunteers in an area stops visiting its clients."""
    allocations_end_all(
        allocations=Allocation.objects.filter(
            volunteer__user=membership.user_id, client__area=membership.area_id
        ),
        by=by,
        reason="The volunteer no longer volunteers in this area",
    )


@transaction.atomic
def consent_give(
    *, client: Client, scope: str, given_on: datetime.date, how_given: str, by, note: str = ""
) -> Consent:
    client = Client.objects.select_for_update().get(pk=client.pk)
    _check_staff(by, client.area)
    if scope not in ConsentScope.values:
        raise ValidationError("Choose what the client is agreeing to.")
    if given_on > timezone.localdate():
        raise ValidationError("The date consent was given cannot be in the future.")
    if given_on < EARLIEST_RECORD:
        raise ValidationError("Check the year: consent recorded here was given in 2000 or later.")
    if client.consents.active().filter(scope=scope).exists():
        raise ValidationError(f"This consent is already recorded: {ConsentScope(scope).label}.")
    consent = Consent(
        client=client, scope=scope, given_on=given_on, how_given=how_given, note=note.strip(), recorded_by=by
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent: Consent, by, note: str = "", withdrawn_on: datetime.date | None = None
) -> Consent:
    """Withdrawal takes effect in this transaction: access that depended on it ends with it."""
    consent = Consent.objects.select_for_update().select_related("client").get(pk=consent.pk)
    _check_staff(by, consent.client.area)
    if consent.withdrawn_at is not None:
        raise ValidationError("This consent has already been withdrawn.")
    withdrawn_on = withdrawn_on or timezone.localdate()
    if withdrawn_on > timezone.localdate():
        raise ValidationError("The date consent was withdrawn cannot be in the future.")
    if withdrawn_on < consent.given_on:
        raise ValidationError("Consent cannot be withdrawn before the date it was given.")
    note = clean_text(note, max_length=NOTE_MAX_LENGTH, multiline=True, what="The note")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = by
    consent.withdrawal_note = note.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawn_on", "withdrawn_by", "withdrawal_note"])
    if consent.scope == ConsentScope.SHARE_WITH_MDT:
        access.mdt_consent_withdrawn(consent.client)
    if consent.scope == ConsentScope.OUTCOME_TO_VOLUNTEER:
        # The volunteer keeps that there was good news, no longer what it was.
        good_news_redact(links=[f"/risks/{pk}/" for pk in consent.client.risks.values_list("pk", flat=True)])
    consent_withdrawn.send(sender=Consent, consent=consent, by=by)
    return consent


def client_access_log(*, client: Client, user, page: str) -> LogEntry:
    """Record that `user` looked at `client` (which page), for "who has looked at this record"."""
    return LogEntry.objects.log_create(
        client, force_log=True, action=LogEntry.Action.ACCESS, actor=user, additional_data={"page": page}
    )
