"""The roles people hold, as Django groups, and the model permissions each carries.

Object-level access (which client, which risk) is granted separately in each app's
`access.py`; the permissions here only say what kind of thing a role works with.
"""

from django.db import models


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    COORDINATOR = "coordinator", "Coordinator"
    TEAM_LEADER = "team_leader", "Team leader"
    MDT_CHAIR = "mdt_chair", "Multi-Disciplinary Team meeting chair"
    CLINICIAN = "clinician", "Clinician"
    MANAGER = "manager", "Manager"


# The staff of an area: coordinators and team leaders do the same work there.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.TEAM_LEADER})


# Coordinators and team leaders do the same work in their areas; team leaders also take
# the phone line, and only coordinators keep the directory and the rota.
AREA_STAFF_PERMISSIONS = [
    "accounts.view_area",
    "accounts.view_gppractice",
    "accounts.view_areamembership",
    "clients.view_client",
    "clients.add_client",
    "clients.change_client",
    "clients.view_consent",
    "clients.add_consent",
    "clients.view_allocation",
    "clients.add_allocation",
    "volunteers.view_volunteer",
    "volunteers.add_volunteer",
    "volunteers.change_volunteer",
    "volunteers.add_dbscheck",
    "volunteers.add_trainingrecord",
    "volunteers.add_confidentialityagreement",
    "risks.view_riskreport",
    "risks.change_riskreport",
    "risks.view_service",
    "risks.view_oncallshift",
    "meetings.view_meeting",
    "stories.view_successstory",
]

# "app_label.codename" for every model permission a role carries. Later apps add their
# own; a codename whose model does not exist yet is skipped until it does.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.VOLUNTEER: [
        "accounts.view_gppractice",
        "clients.view_client_visit_page",
        "meetings.view_meeting",
        "risks.add_riskreport",
        "risks.view_service",
        "stories.view_successstory",
    ],
    Role.COORDINATOR: [
        *AREA_STAFF_PERMISSIONS,
        "risks.add_service",
        "risks.change_service",
        "risks.add_oncallshift",
        "risks.change_oncallshift",
        "meetings.add_meeting",
        "meetings.change_meeting",
        "meetings.add_action",
        "stories.add_successstory",
        "stories.change_successstory",
        "stories.publish_successstory",
    ],
    Role.TEAM_LEADER: AREA_STAFF_PERMISSIONS,
    Role.MDT_CHAIR: [
        "accounts.view_gppractice",
        "meetings.view_meeting",
        "meetings.add_meeting",
        "meetings.change_meeting",
        "meetings.add_action",
        "meetings.add_localprotocol",
    ],
    Role.CLINICIAN: [
        "accounts.view_gppractice",
        "meetings.view_meeting",
    ],
    Role.MANAGER: [
        "accounts.view_organisation",
        "accounts.view_area",
        "accounts.view_gppractice",
        "accounts.view_areamembership",
        "stories.view_successstory",
        "stories.publish_successstory",
    ],
}

# What each role is for, in the words shown on its home page.
ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.VOLUNTEER: (
        "You visit older people at home. When you notice something that worries you, "
        "you tell us here, and we let you know what happened."
    ),
    Role.COORDINATOR: (
        "You look after the clients and volunteers of your areas: you decide what happens "
        "to each concern a volunteer raises and make sure somebody owns it."
    ),
    Role.TEAM_LEADER: (
        "You answer the volunteers' phone line when you are on call, and act on concerns in your areas."
    ),
    Role.MDT_CHAIR: (
        "You chair your GP practice's Multi-Disciplinary Team meeting: you see summaries of "
        "clients who have agreed to be discussed there."
    ),
    Role.CLINICIAN: (
        "You attend Multi-Disciplinary Team meetings and take on actions as a key worker "
        "for clients who have agreed to be discussed."
    ),
    Role.MANAGER: (
        "You see how the programme is doing across your organisation's areas, without "
        "seeing anybody's personal details."
    ),
}


def sync_role_groups(group_model, permission_model) -> None:
    """Create every role group and give it exactly the permissions listed above."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".", 1)
            wanted.extend(
                permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def sync_role_groups_after_migrate(sender, using="default", **kwargs) -> None:
    """Connected for the accounts app only, which always has models and so always gets
    post_migrate. Which app's signal comes last depends on the app order, so instead of
    waiting for "the last one" this creates every app's permissions first, then syncs."""
    from django.apps import apps as installed_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in installed_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=installed_apps)
    sync_role_groups(Group, Permission)
