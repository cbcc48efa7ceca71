"""Demo places and people: Cornwall's three areas, their GP practices, and one account
per role. Every function is idempotent: it finds what exists and adds what is missing."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts import second_factor
from livingwell.accounts.models import (
    Area,
    AreaMembership,
    GPPractice,
    Organisation,
    PracticeMembership,
    Route,
    User,
)
from livingwell.accounts.roles import Role

ORGANISATIONS = [
    ("Age UK Cornwall", Organisation.Kind.CHARITY, "https://www.ageuk.org.uk/cornwall/"),
    ("Volunteer Cornwall", Organisation.Kind.CHARITY, "https://www.volunteercornwall.org.uk/"),
    ("NHS Kernow", Organisation.Kind.NHS, "https://www.kernowccg.nhs.uk/"),
]

# name, organisation, default route, allowed routes. As the review found them: West and
# East Cornwall bring concerns to a formal monthly meeting, Central Cornwall to a coffee
# morning; every area has the team leader's phone line (urgent concerns go that way), and
# West and East are trialling their GP practices' Multi-Disciplinary Team meetings.
AREAS = [
    (
        "West Cornwall",
        "Age UK Cornwall",
        Route.FORMAL_MEETING,
        [Route.FORMAL_MEETING, Route.TEAM_LEADER_PHONE, Route.MDT],
    ),
    (
        "Central Cornwall",
        "Age UK Cornwall",
        Route.COFFEE_MORNING,
        [Route.COFFEE_MORNING, Route.TEAM_LEADER_PHONE],
    ),
    (
        "East Cornwall",
        "Volunteer Cornwall",
        Route.FORMAL_MEETING,
        [Route.FORMAL_MEETING, Route.TEAM_LEADER_PHONE, Route.MDT],
    ),
]

# name, code, area, address, phone, MDT welcomes volunteers
PRACTICES = [
    (
        "Alverton Practice",
        "L85004",
        "West Cornwall",
        "7 Alverton Terrace, Penzance TR18 4JH",
        "01736 363741",
        True,
    ),
    (
        "Bellair Surgery",
        "L85015",
        "West Cornwall",
        "Bellair Road, Madron, Penzance TR20 8SP",
        "01736 362008",
        False,
    ),
    ("St Ives Surgery", "L85030", "West Cornwall", "Stennack, St Ives TR26 1RU", "01736 793333", True),
    (
        "Helston Medical Centre",
        "L85037",
        "West Cornwall",
        "Trelawney Road, Helston TR13 8AU",
        "01326 572637",
        False,
    ),
    (
        "Lander Medical Practice",
        "L85016",
        "Central Cornwall",
        "Infirmary Hill, Truro TR1 2JA",
        "01872 279933",
        True,
    ),
    (
        "Newquay Health Centre",
        "L85033",
        "Central Cornwall",
        "St Thomas Road, Newquay TR7 1RU",
        "01637 893600",
        False,
    ),
    (
        "St Austell Healthcare",
        "L85066",
        "Central Cornwall",
        "Polkyth Road, St Austell PL25 4JR",
        "01726 75555",
        True,
    ),
    ("Rosedean Surgery", "L85021", "East Cornwall", "8 Dean Street, Liskeard PL14 4AQ", "01579 343133", True),
    (
        "Launceston Medical Centre",
        "L85023",
        "East Cornwall",
        "Landlake Road, Launceston PL15 9HH",
        "01566 772131",
        False,
    ),
    (
        "Bodmin Health Centre",
        "L85055",
        "East Cornwall",
        "Boundary Road, Bodmin PL31 2QR",
        "01208 72911",
        True,
    ),
]

# username, first name, last name, roles, organisation, areas, practices, superuser
PEOPLE = [
    ("vera", "Vera", "Pascoe", [Role.VOLUNTEER], "Volunteer Cornwall", ["West Cornwall"], [], False),
    ("victor", "Victor", "Trelawny", [Role.VOLUNTEER], "Volunteer Cornwall", ["Central Cornwall"], [], False),
    ("cora", "Cora", "Penrose", [Role.COORDINATOR], "Age UK Cornwall", ["West Cornwall"], [], False),
    ("tom", "Tom", "Nance", [Role.TEAM_LEADER], "Age UK Cornwall", ["West Cornwall"], [], False),
    ("colin", "Colin", "Jory", [Role.COORDINATOR], "Age UK Cornwall", ["Central Cornwall"], [], False),
    ("esme", "Esme", "Rowse", [Role.COORDINATOR], "Volunteer Cornwall", ["East Cornwall"], [], False),
    (
        "drchen",
        "Li",
        "Chen",
        [Role.MDT_CHAIR, Role.CLINICIAN],
        "NHS Kernow",
        [],
        ["Alverton Practice"],
        False,
    ),
    ("mona", "Mona", "Rowe", [Role.MANAGER], "Age UK Cornwall", [], [], False),
    ("admin", "Ada", "Admin", [], "Age UK Cornwall", [], [], True),
]


def seed() -> dict[str, int]:
    organisations = {}
    for name, kind, website in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "website": website}
        )

    areas = {}
    for name, organisation, default_route, allowed in AREAS:
        # update_or_create: a demo database seeded before keeps up with the story.
        areas[name], _ = Area.objects.update_or_create(
            name=name,
            defaults={
                "organisation": organisations[organisation],
                "default_route": default_route,
                "allowed_routes": list(allowed),
            },
        )

    practices = {}
    for name, code, area, address, phone, welcomes in PRACTICES:
        practices[name], _ = GPPractice.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "area": areas[area],
                "address": address,
                "phone": phone,
                "mdt_welcomes_volunteers": welcomes,
            },
        )

    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    for username, first, last, roles, organisation, area_names, practice_names, superuser in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                organisation=organisations[organisation],
                is_staff=superuser,
                is_superuser=superuser,
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        user.groups.add(*(groups[role] for role in roles))
        for area_name in area_names:
            AreaMembership.objects.get_or_create(user=user, area=areas[area_name], ended_on=None)
        for practice_name in practice_names:
            PracticeMembership.objects.get_or_create(
                user=user, practice=practices[practice_name], ended_on=None
            )
    return {
        "organisations": len(organisations),
        "areas": len(areas),
        "practices": len(practices),
        "people": len(PEOPLE),
    }


def enrol_in_two_step_sign_in() -> int:
    """Every demo account that needs two-step sign-in gets an authenticator app set up with
    the published demo secret (settings.DEMO_SECOND_FACTOR_SECRET; `manage.py demo_code`
    prints its current code), so that each role can still be tried. Run after every app's
    demo people exist."""
    key = second_factor.key_from_secret(settings.DEMO_SECOND_FACTOR_SECRET)
    enrolled = 0
    for user in User.objects.filter(is_active=True).exclude(totpdevice__confirmed=True):
        if second_factor.required_of(user):
            TOTPDevice.objects.create(user=user, name=second_factor.APP_DEVICE_NAME, key=key, confirmed=True)
            enrolled += 1
    return enrolled
