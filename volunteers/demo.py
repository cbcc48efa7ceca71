"""Demo volunteers across Cornwall, with checks, training and agreements. Idempotent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from livingwell.accounts.models import Area, AreaMembership, GPPractice, Organisation, User
from livingwell.accounts.roles import Role
from volunteers.models import (
    ConfidentialityAgreement,
    DBSCheck,
    Skill,
    TrainingModule,
    TrainingRecord,
    Volunteer,
)

# username, first, last, area, skills, capacity, MDT opt-in, own practice code, status
VOLUNTEERS = [
    (
        "vera",
        "Vera",
        "Pascoe",
        "West Cornwall",
        [Skill.FORMER_NURSE, Skill.BEFRIENDER],
        5,
        True,
        None,
        "active",
    ),
    ("wenna", "Wenna", "Hocking", "West Cornwall", [Skill.DRIVER, Skill.DIY], 3, False, "L85004", "active"),
    ("jago", "Jago", "Curnow", "West Cornwall", [Skill.BEFRIENDER, Skill.DIGITAL], 2, True, None, "active"),
    (
        "morwenna",
        "Morwenna",
        "Trevail",
        "West Cornwall",
        [Skill.CARER, Skill.DEMENTIA_FRIEND],
        2,
        False,
        None,
        "paused",
    ),
    (
        "victor",
        "Victor",
        "Trelawny",
        "Central Cornwall",
        [Skill.DRIVER, Skill.BENEFITS],
        4,
        False,
        None,
        "active",
    ),
    (
        "tamsin",
        "Tamsin",
        "Angove",
        "Central Cornwall",
        [Skill.DEMENTIA_FRIEND, Skill.BEFRIENDER],
        3,
        True,
        None,
        "active",
    ),
    (
        "kerensa",
        "Kerensa",
        "Bray",
        "Central Cornwall",
        [Skill.FIRST_AID, Skill.CARER],
        2,
        True,
        "L85016",
        "active",
    ),
    ("piran", "Piran", "Jenkin", "Central Cornwall", [Skill.DIY], 2, False, None, "active"),
    (
        "demelza",
        "Demelza",
        "Rowe",
        "East Cornwall",
        [Skill.FORMER_NURSE, Skill.BEREAVEMENT],
        3,
        True,
        None,
        "active",
    ),
    ("bryok", "Bryok", "Williams", "East Cornwall", [Skill.DRIVER], 3, False, None, "active"),
    (
        "elowen",
        "Elowen",
        "Penhaligon",
        "East Cornwall",
        [Skill.DIGITAL, Skill.BEFRIENDER],
        2,
        False,
        None,
        "active",
    ),
    ("lowen", "Lowen", "Tonkin", "East Cornwall", [Skill.BENEFITS, Skill.BEFRIENDER], 2, True, None, "left"),
]


def seed() -> dict[str, int]:
    today = timezone.localdate()
    group = Group.objects.get(name=Role.VOLUNTEER)
    organisation = Organisation.objects.get(name="Volunteer Cornwall")
    modules = list(TrainingModule.objects.order_by("pk"))
    for index, (username, first, last, area_name, skills, capacity, mdt, practice_code, status) in enumerate(
        VOLUNTEERS
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                organisation=organisation,
                phone=f"07700 900{index:03d}",
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        user.groups.add(group)
        AreaMembership.objects.get_or_create(user=user, area=Area.objects.get(name=area_name), ended_on=None)
        volunteer, created = Volunteer.objects.get_or_create(
            user=user,
            defaults={
                "skills": list(skills),
                "capacity": capacity,
                "mdt_opt_in": mdt,
                "status": status,
                "availability": ["Weekday mornings", "Afternoons", "Most days", "Weekends"][index % 4],
                "languages": "Cornish" if index % 5 == 0 else "",
                "own_gp_practice": GPPractice.objects.filter(code=practice_code).first(),
                "postcode": f"TR{index % 20 + 1} {index % 9 + 1}AB",
            },
        )
        if not created:
            continue
        checked_on = today - datetime.timedelta(days=200 + 90 * index)
        DBSCheck.objects.create(
            volunteer=volunteer,
            checked_on=checked_on,
            reference=f"0014{index:08d}",
            renewal_due_on=checked_on + datetime.timedelta(days=3 * 365),
        )
        for offset, module in enumerate(modules[: 2 + index % 3]):
            TrainingRecord.objects.create(
                volunteer=volunteer,
                module=module,
                completed_on=checked_on + datetime.timedelta(days=14 + offset * 7),
            )
        if mdt:
            ConfidentialityAgreement.objects.create(
                volunteer=volunteer, signed_on=checked_on + datetime.timedelta(days=30), version="2026.1"
            )
    return {"volunteers": len(VOLUNTEERS)}
