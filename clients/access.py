"""Who may see which client, granted and revoked in one place.

- A volunteer may open the visit page (practical information only) of a client while an
  allocation between them is active: a django-guardian object permission, granted when the
  allocation starts and revoked, in the same transaction, when it ends.
- Coordinators and team leaders see the clients of the areas where they work today. That
  follows their area membership directly (no per-client rows to go stale when a client
  moves area or a person leaves).
- Managers see no client record.
- Multi-Disciplinary Team summaries are granted per meeting and only with active
  `share_with_mdt` consent; withdrawing that consent revokes every such grant at once.

Views never check these rules themselves: they call the getter of the object they take
an id for (`get_client_for`, `get_consent_for`, `get_allocation_for`).
"""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from clients.models import (
    Allocation,
    Client,
    ClientGroupObjectPermission,
    ClientUserObjectPermission,
    Consent,
)

VISIT_PAGE = "view_client_visit_page"
MDT_SUMMARY = "view_client_mdt_summary"


class ClientPage(StrEnum):
    RECORD = "record"  # the full record, for coordinators and team leaders
    VISIT = "visit"  # practical information, for the allocated volunteer


def allocation_started(allocation: Allocation) -> None:
    assign_perm(f"clients.{VISIT_PAGE}", allocation.volunteer.user, allocation.client)


def allocation_ended(allocation: Allocation) -> None:
    still_visiting = (
        Allocation.objects.active()
        .filter(client=allocation.client, volunteer=allocation.volunteer)
        .exclude(pk=allocation.pk)
        .exists()
    )
    if not still_visiting:
        remove_perm(f"clients.{VISIT_PAGE}", allocation.volunteer.user, allocation.client)


def mdt_consent_withdrawn(client: Client) -> None:
    """Remove every grant of this client's meeting summary, to people and to groups."""
    ClientUserObjectPermission.objects.filter(
        content_object=client, permission__codename=MDT_SUMMARY
    ).delete()
    ClientGroupObjectPermission.objects.filter(
        content_object=client, permission__codename=MDT_SUMMARY
    ).delete()


def holds_mdt_summary(user, client: Client | int) -> bool:
    """Whether `user` holds the Multi-Disciplinary Team summary of `client` now."""
    return ClientUserObjectPermission.objects.filter(
        user=user, content_object=client, permission__codename=MDT_SUMMARY
    ).exists()


def client_page_for(user, client: Client) -> ClientPage | None:
    if Client.objects.in_staff_areas_of(user).filter(pk=client.pk).exists():
        return ClientPage.RECORD
    if Client.objects.allocated_to(user).filter(pk=client.pk).exists():
        return ClientPage.VISIT
    return None


def get_client_for(user, pk: int) -> tuple[Client, ClientPage]:
    """The client and the page this person may see of them, or 404 (never reveal whether a
    client exists to someone who may not see them)."""
    client = Client.objects.select_related("gp_practice", "area").filter(pk=pk).first()
    page = client_page_for(user, client) if client else None
    if page is None:
        raise Http404("No client found")
    return client, page


def can_manage_client(user, client: Client) -> bool:
    return client_page_for(user, client) == ClientPage.RECORD


def get_consent_for(user, pk: int) -> Consent:
    """A consent record of a client whose full record this person manages (staff of the
    client's area), or 404: never reveal whether it exists to anybody else."""
    consent = (
        Consent.objects.select_related("client__area", "client__gp_practice")
        .filter(pk=pk, client__in=Client.objects.in_staff_areas_of(user))
        .first()
    )
    if consent is None:
        raise Http404("No consent record found")
    return consent


def get_allocation_for(user, pk: int) -> Allocation:
    """An allocation of a client whose full record this person manages (staff of the
    client's area), or 404: never reveal whether it exists to anybody else."""
    allocation = (
        Allocation.objects.select_related("client__area", "volunteer__user")
        .filter(pk=pk, client__in=Client.objects.in_staff_areas_of(user))
        .first()
    )
    if allocation is None:
        raise Http404("No allocation found")
    return allocation
