"""Demo clients across Cornwall, with allocations and consent of every scope (some
withdrawn). Made through the services, so access is granted as in real use. Idempotent."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from clients import services
from clients.models import Client, ConsentScope
from livingwell.accounts.models import GPPractice, User
from volunteers.models import Skill, Volunteer

COORDINATORS = {"West Cornwall": "cora", "Central Cornwall": "colin", "East Cornwall": "esme"}

FIRST_NAMES = [
    "Edith",
    "Arthur",
    "Dorothy",
    "Harold",
    "Joan",
    "Wilfred",
    "Margery",
    "Stanley",
    "Beryl",
    "Reginald",
    "Ivy",
    "Cyril",
    "Gwen",
    "Percy",
    "Hilda",
    "Norman",
    "Mabel",
    "Leonard",
    "Winifred",
    "Albert",
    "Elsie",
    "Frank",
    "Violet",
    "Ernest",
    "Phyllis",
    "Walter",
    "Ada",
    "Jack",
    "Queenie",
    "Bert",
]
LAST_NAMES = [
    "Tregarthen",
    "Pengelly",
    "Rowe",
    "Nancarrow",
    "Polglase",
    "Trewin",
    "Hosken",
    "Chenoweth",
    "Eddy",
    "Bolitho",
    "Tremayne",
    "Kitto",
    "Penrose",
    "Carne",
    "Oates",
    "Uren",
    "Vivian",
    "Hicks",
    "Jewell",
    "Lanyon",
    "Mitchell",
    "Opie",
    "Rowse",
    "Sandow",
    "Thomas",
    "Varcoe",
    "Warne",
    "Yeo",
    "Pascoe",
    "Roskilly",
]
STREETS = [
    "Chapel Street",
    "Fore Street",
    "Trelawney Road",
    "Morrab Road",
    "Market Jew Street",
    "Alma Place",
    "Bread Street",
    "Causewayhead",
    "Clarence Street",
    "Daniel Place",
]
NEEDS = [
    "Key safe by the back door; the code is with the coordinator. Friendly spaniel called Jasper.",
    "Uses a walking frame; please allow time to answer the door. Best visited after 10am.",
    "Steep steps to the front door; ring the bell twice. Likes a cup of tea with visitors.",
    "Lives alone since their partner died last year. Enjoys talking about the garden.",
    "Hard of hearing; the doorbell has a flashing light. Prefers afternoons.",
    "Ground-floor flat, entry by intercom (flat 3). Cat indoors: please keep the door closed.",
]
COMMUNICATION = [
    "Hard of hearing in the left ear: sit on the right.",
    "Wears glasses for reading letters.",
    "Speaks slowly after a stroke; give time to answer.",
    "",
    "Some memory loss: gentle reminders help.",
    "",
]
SUPPORT = [
    [Skill.BEFRIENDER],
    [Skill.DRIVER],
    [Skill.DIY, Skill.DIGITAL],
    [Skill.DEMENTIA_FRIEND],
    [Skill.BENEFITS],
    [Skill.BEFRIENDER, Skill.BEREAVEMENT],
]
RELATIVES = ["Susan", "Peter", "Karen", "Michael", "Julie"]
# Alverton Practice clients that vera visits, so she attends one practice's meetings.
VERA_CLIENTS = 4


def seed() -> dict[str, int]:
    if Client.objects.exists():
        return {"clients": Client.objects.count()}
    rng = random.Random(2026)
    today = timezone.localdate()
    practices = list(GPPractice.objects.select_related("area").order_by("area__name", "name"))
    alverton = GPPractice.objects.get(name="Alverton Practice")
    vera = Volunteer.objects.get(user__username="vera")
    clients = []
    for index in range(30):
        practice = alverton if index < VERA_CLIENTS + 2 else practices[index % len(practices)]
        coordinator = User.objects.get(username=COORDINATORS[practice.area.name])
        town = practice.address.rsplit(",", 1)[-1].strip()
        born = datetime.date(1928 + index % 20, 1 + index % 12, 1 + (index * 7) % 28)
        client = services.client_create(
            by=coordinator,
            first_name=FIRST_NAMES[index],
            last_name=LAST_NAMES[index],
            preferred_name="Queenie" if FIRST_NAMES[index] == "Queenie" else "",
            date_of_birth=born,
            address=f"{index + 2} {STREETS[index % len(STREETS)]}\n{town.rsplit(' ', 2)[0]}",
            postcode=town.split()[-2] + " " + town.split()[-1] if len(town.split()) >= 2 else "TR18 4AA",
            phone=f"01736 {rng.randint(100000, 999999)}",
            gp_practice=practice,
            practical_needs=NEEDS[index % len(NEEDS)],
            communication_needs=COMMUNICATION[index % len(COMMUNICATION)],
            support_wanted=list(SUPPORT[index % len(SUPPORT)]),
            next_of_kin_name=f"{rng.choice(RELATIVES)} {LAST_NAMES[index]}",
            next_of_kin_relationship=rng.choice(["Daughter", "Son", "Niece", "Nephew"]),
            # Ofcom's range kept for drama, so no demo number is anybody's real phone.
            next_of_kin_phone=f"07700 900{rng.randint(100000, 999999) % 1000:03d}",
        )
        clients.append((client, coordinator))

    for index, (client, coordinator) in enumerate(clients):
        if index < VERA_CLIENTS:
            volunteer = vera
        else:
            candidates = list(
                Volunteer.objects.active().in_areas([client.area]).exclude(pk=vera.pk).order_by("pk")
            )
            volunteer = candidates[index % len(candidates)] if candidates else None
        if volunteer is not None and index % 7 != 6:  # a few are still waiting for a volunteer
            services.allocation_start(
                client=client,
                volunteer=volunteer,
                by=coordinator,
                started_on=today - datetime.timedelta(days=30 + index * 11),
            )
        given_on = today - datetime.timedelta(days=20 + index * 5)
        services.consent_give(
            client=client,
            scope=ConsentScope.OUTCOME_TO_VOLUNTEER,
            given_on=given_on,
            how_given="verbal" if index % 2 else "written",
            by=coordinator,
        )
        if client.gp_practice.mdt_welcomes_volunteers or index % 3 == 0:
            consent = services.consent_give(
                client=client,
                scope=ConsentScope.SHARE_WITH_MDT,
                given_on=given_on,
                how_given="written",
                by=coordinator,
                note="Discussed with the client and their daughter.",
            )
            if index % 5 == 4:
                services.consent_withdraw(
                    consent=consent, by=coordinator, note="Changed their mind after talking to family."
                )
        if client.gp_practice.mdt_welcomes_volunteers and index % 2 == 0:
            services.consent_give(
                client=client,
                scope=ConsentScope.VOLUNTEER_AT_MDT,
                given_on=given_on,
                how_given="verbal",
                by=coordinator,
            )
    # One older allocation that has ended, so the history shows one.
    first, coordinator = clients[VERA_CLIENTS]
    for allocation in first.allocations.filter(ended_on__isnull=True):
        services.allocation_end(allocation=allocation, by=coordinator, reason="Volunteer moved away")
    return {"clients": len(clients)}
