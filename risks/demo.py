"""Demo services directory, on-call rota and risks in every state, with realistic
timelines, outcomes, and good news for vera. Made through the services. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import Area, User
from livingwell.notifications.models import Notification
from risks import services
from risks.models import OnCallShift, RiskCategory, RiskEvent, RiskReport, Service, Severity
from risks.taxonomy import ensure_categories

ALL_AREAS = ["West Cornwall", "Central Cornwall", "East Cornwall"]

# name, kind, medical, helps with, contact, phone, email, hours, areas, category slugs
SERVICES = [
    (
        "Cornwall Council Adult Social Care",
        "social_care",
        False,
        "Assessments for care and support at home, carers' assessments, equipment and urgent help for adults at risk.",
        "Access Team",
        "0300 1234 131",
        "",
        "Mon to Fri 8.30am to 5pm; out of hours 01208 251300",
        ALL_AREAS,
        ["safeguarding", "carer-strain", "memory-confusion"],
    ),
    (
        "Community Transport: Cornwall Rural Community Charity",
        "transport",
        False,
        "Door-to-door transport to GP and hospital appointments, shopping and social activities.",
        "Bookings desk",
        "01872 243585",
        "",
        "Mon to Fri 9am to 4pm",
        ALL_AREAS,
        ["transport"],
    ),
    (
        "Cornwall Fire and Rescue: Safe and Well visits",
        "fire_safety",
        False,
        "Free home visits: smoke alarms fitted, fire risks checked, advice on slips, trips and keeping warm.",
        "Community Safety",
        "0800 358 0535",
        "",
        "Mon to Fri 9am to 5pm",
        ALL_AREAS,
        ["home-safety", "heating-cold", "falls-mobility"],
    ),
    (
        "Disability Cornwall: home adaptations",
        "adaptations",
        False,
        "Advice on grab rails, ramps, stair lifts and getting in and out of the home; help applying for grants.",
        "Advice line",
        "01208 269080",
        "",
        "Mon to Fri 10am to 4pm",
        ALL_AREAS,
        ["building-access", "housing"],
    ),
    (
        "Citizens Advice Cornwall",
        "benefits",
        False,
        "Benefits checks (including Attendance Allowance and Pension Credit), debt, scams and consumer problems.",
        "Adviceline",
        "0800 144 8848",
        "",
        "Mon to Fri 10am to 4pm",
        ALL_AREAS,
        ["money-scams", "housing"],
    ),
    (
        "Age UK Cornwall befriending",
        "befriending",
        False,
        "Weekly visits or phone calls from a trained befriender, and lunch clubs and social groups across the county.",
        "Befriending team",
        "01872 266383",
        "",
        "Mon to Fri 9am to 5pm",
        ALL_AREAS,
        ["loneliness-isolation", "mood"],
    ),
    (
        "Cornwall Carers Service",
        "carers",
        False,
        "Support, breaks and advice for unpaid carers, including emergency planning.",
        "Carers line",
        "01209 615600",
        "",
        "Mon to Fri 9am to 5pm",
        ALL_AREAS,
        ["carer-strain"],
    ),
    (
        "Cornwall Warm Homes",
        "housing",
        False,
        "Help with heating costs, insulation and emergency heaters for people living in cold homes.",
        "Warm homes adviser",
        "0800 954 1956",
        "",
        "Mon to Fri 9am to 5pm",
        ALL_AREAS,
        ["heating-cold"],
    ),
    (
        "District nursing: West Cornwall",
        "district_nursing",
        True,
        "Nursing at home for people who are housebound: wound and pressure care, continence, medication support.",
        "Single point of access",
        "01736 575555",
        "",
        "Every day 8am to 8pm",
        ["West Cornwall"],
        ["skin-pressure", "continence", "medication"],
    ),
    (
        "District nursing: Central Cornwall",
        "district_nursing",
        True,
        "Nursing at home for people who are housebound: wound and pressure care, continence, medication support.",
        "Single point of access",
        "01872 221400",
        "",
        "Every day 8am to 8pm",
        ["Central Cornwall"],
        ["skin-pressure", "continence", "medication"],
    ),
    (
        "District nursing: East Cornwall",
        "district_nursing",
        True,
        "Nursing at home for people who are housebound: wound and pressure care, continence, medication support.",
        "Single point of access",
        "01579 335200",
        "",
        "Every day 8am to 8pm",
        ["East Cornwall"],
        ["skin-pressure", "continence", "medication"],
    ),
    (
        "Falls prevention service",
        "district_nursing",
        True,
        "Assessment after a fall, strength and balance classes, and equipment to reduce the risk of falling.",
        "Falls team",
        "01208 834600",
        "",
        "Mon to Fri 9am to 5pm",
        ALL_AREAS,
        ["falls-mobility", "pain"],
    ),
    (
        "Memory Matters Cornwall",
        "mental_health",
        True,
        "Memory cafés and support for people with memory problems and their families; advice on getting assessed.",
        "Memory Matters",
        "01736 719430",
        "",
        "Mon to Fri 9am to 4.30pm",
        ALL_AREAS,
        ["memory-confusion"],
    ),
    (
        "Outlook South West (talking therapies)",
        "mental_health",
        True,
        "Free talking therapies for low mood, worry and stress; people can refer themselves.",
        "Referrals",
        "01208 871905",
        "",
        "Mon to Fri 8.30am to 5pm",
        ALL_AREAS,
        ["mood"],
    ),
    (
        "Cornwall Food Access Alliance",
        "other",
        False,
        "Food banks, community fridges and meal services, including delivered hot meals.",
        "Food helpline",
        "01872 266383",
        "",
        "Mon to Fri 10am to 3pm",
        ALL_AREAS,
        ["nutrition-hydration"],
    ),
]

# client index, category, severity, what was seen, days ago, how far it got, reporter
STORIES = [
    (
        "falls-mobility",
        Severity.HIGH,
        "Edith told me she fell in the kitchen on Sunday night and lay on the floor "
        "until morning. She has a bruise on her arm and is frightened it will happen again.",
        20,
        "outcome",
    ),
    (
        "loneliness-isolation",
        Severity.MEDIUM,
        "Arthur says he has not spoken to anyone since my last visit. His "
        "son has moved away and the lunch club closed.",
        14,
        "outcome",
    ),
    (
        "heating-cold",
        Severity.HIGH,
        "The house was very cold (I could see my breath) and Dorothy said she keeps "
        "the heating off because of the bills.",
        9,
        "escalated",
    ),
    (
        "medication",
        Severity.MEDIUM,
        "Harold had several boxes of tablets unopened on the table and was not sure "
        "which ones to take in the morning.",
        3,
        "triaged",
    ),
    (
        "money-scams",
        Severity.HIGH,
        "Edith showed me letters saying she has won a prize and must send £200 to "
        "claim it. She was about to post a cheque.",
        1,
        "reported",
    ),
    (
        "transport",
        Severity.LOW,
        "Arthur has missed two hospital appointments because he cannot get to Treliske.",
        40,
        "closed",
    ),
    (
        "home-safety",
        Severity.URGENT,
        "Smell of gas in Dorothy's kitchen when I arrived. I opened the windows and "
        "she phoned the gas emergency line.",
        0,
        "reported",
    ),
    (
        "mood",
        Severity.MEDIUM,
        "Harold seemed very low and said there is not much point to anything any more.",
        6,
        "no_action",
    ),
]


def seed() -> dict[str, int]:
    ensure_categories(RiskCategory)
    categories = {category.slug: category for category in RiskCategory.objects.all()}
    areas = {area.name: area for area in Area.objects.all()}
    for name, kind, medical, helps, contact, phone, email, hours, area_names, slugs in SERVICES:
        service, created = Service.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "is_medical": medical,
                "helps_with": helps,
                "contact_person": contact,
                "phone": phone,
                "email": email,
                "hours": hours,
            },
        )
        if created:
            service.areas.set([areas[area] for area in area_names])
            service.categories.set([categories[slug] for slug in slugs])

    tom = User.objects.get(username="tom")
    tom.phone = tom.phone or "07700 900123"
    tom.save(update_fields=["phone"])
    if not OnCallShift.objects.exists():
        start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
        for day in range(-1, 7):
            OnCallShift.objects.create(
                area=areas["West Cornwall"],
                team_leader=tom,
                starts_at=start + datetime.timedelta(days=day),
                ends_at=start + datetime.timedelta(days=day + 1),
            )

    if RiskReport.objects.exists():
        return {"services": len(SERVICES), "risks": RiskReport.objects.count()}
    vera = User.objects.get(username="vera")
    cora = User.objects.get(username="cora")
    vera_clients = list(Client.objects.allocated_to(vera).order_by("pk"))
    adult_care = Service.objects.get(name="Cornwall Council Adult Social Care")
    warm_homes = Service.objects.get(name="Cornwall Warm Homes")
    befriending = Service.objects.get(name="Age UK Cornwall befriending")
    now = timezone.now()
    for index, (slug, severity, seen, days_ago, how_far) in enumerate(STORIES):
        client = vera_clients[index % len(vera_clients)]
        with transaction.atomic():
            risk = services.risk_report(
                by=vera,
                client=client,
                category=categories[slug],
                severity=severity,
                what_was_seen=seen,
                observed_at=now - datetime.timedelta(days=days_ago, hours=2),
                action_taken="Talked it through with them and said I would let the team know.",
                client_wishes="Would like some help, but does not want a fuss.",
            )
            _backdate(risk, days_ago)
            if how_far == "reported":
                continue
            services.risk_triage(risk=risk, by=cora, note="I'll take this one.")
            if how_far == "triaged":
                continue
            if how_far == "no_action":
                services.risk_close(
                    risk=risk,
                    by=cora,
                    reason="No action needed: his GP is already "
                    "supporting him and he has a review next week.",
                )
                continue
            target = {"heating-cold": warm_homes, "loneliness-isolation": befriending}.get(slug, adult_care)
            services.risk_escalate(
                risk=risk,
                by=cora,
                service=target,
                reference=f"LW-{2026}-{index + 101}",
                expected_response_on=timezone.localdate() + datetime.timedelta(days=7),
            )
            if how_far == "escalated":
                continue
            services.risk_record_outcome(
                kind="support_arranged",
                risk=risk,
                by=cora,
                staff_summary=f"{target.name} visited and put support in place; follow-up booked.",
                volunteer_message=OUTCOME_MESSAGES.get(slug, "Thanks to you, help has been arranged."),
            )
            if how_far == "closed":
                services.risk_close(risk=risk, by=cora, reason="Resolved")
    for risk in RiskReport.objects.all():
        _spread_timeline(risk)
    # The demo's messages are stories, not deliveries: mark them sent so none is emailed.
    Notification.objects.filter(delivered_at__isnull=True).update(delivered_at=now)
    return {"services": len(SERVICES), "risks": RiskReport.objects.count()}


OUTCOME_MESSAGES = {
    "falls-mobility": "Thanks to you, the falls team visited Edith. She now has a pendant alarm and grab rails "
    "in the kitchen, and has started a strength and balance class.",
    "loneliness-isolation": "Thanks to you, Arthur now has a weekly befriending call and goes to the lunch club "
    "in Penzance on Thursdays. He says it has made his week.",
    "transport": "Thanks to you, community transport now takes Arthur to his hospital appointments.",
}


def _backdate(risk: RiskReport, days_ago: int) -> None:
    """Demo stories happened in the past: move the report and its first event back."""
    if not days_ago:
        return
    shift = datetime.timedelta(days=days_ago)
    RiskReport.objects.filter(pk=risk.pk).update(
        reported_at=risk.reported_at - shift, due_at=risk.due_at - shift
    )
    RiskEvent.objects.filter(risk=risk).update(at=risk.reported_at - shift)
    risk.refresh_from_db()


# Hours after the report at which each later step happened, in the demo's stories.
STEP_HOURS = [0, 3, 27, 24 * 6, 24 * 8]
STAMPS = {
    "triaged": "triaged_at",
    "escalated": "escalated_at",
    "outcome_recorded": "outcome_at",
    "closed": "closed_at",
}


def _spread_timeline(risk: RiskReport) -> None:
    """Space a demo risk's steps out after its report, as they would have happened."""
    now = timezone.now()
    stamps = {}
    for step, event in enumerate(risk.events.order_by("at", "pk")):
        at = min(risk.reported_at + datetime.timedelta(hours=STEP_HOURS[min(step, len(STEP_HOURS) - 1)]), now)
        RiskEvent.objects.filter(pk=event.pk).update(at=at)
        if event.to_status in STAMPS:
            stamps[STAMPS[event.to_status]] = at
    if stamps:
        RiskReport.objects.filter(pk=risk.pk).update(**stamps)
    if "escalated_at" in stamps:
        risk.referrals.update(made_at=stamps["escalated_at"])
    if "outcome_at" in stamps:
        risk.outcomes.update(recorded_at=stamps["outcome_at"])
