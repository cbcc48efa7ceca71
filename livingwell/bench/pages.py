"""The key pages of each role, with the people and records they are opened as.

People and records are picked by SQL among those the role may see (the volunteer among
the clients they are granted; staff within their areas; the chair within their practice),
so that every page answers 200 on any scale database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from livingwell.scale import SCALE_PREFIX

FLOOR_URL = "/accounts/password_change/"


@dataclass(frozen=True)
class KeyPage:
    role: str
    username: str
    label: str
    url: str


def one(sql: str, params: dict | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        row = cursor.fetchone()
    return row[0] if row else None


def busiest_scale_volunteer() -> str | None:
    """A volunteer with clients to visit now, and among those the one who raised most concerns."""
    return one(
        """
        WITH visiting AS (
            SELECT p.user_id, count(*) AS clients
            FROM clients_clientuserobjectpermission AS p
            JOIN auth_permission AS perm ON perm.id = p.permission_id
            JOIN accounts_user AS u ON u.id = p.user_id
            WHERE perm.codename = 'view_client_visit_page' AND u.username LIKE %(pattern)s
            GROUP BY p.user_id ORDER BY count(*) DESC, p.user_id LIMIT 20
        )
        SELECT u.username FROM visiting JOIN accounts_user AS u ON u.id = visiting.user_id
        ORDER BY (SELECT count(*) FROM risks_riskreport AS r WHERE r.reported_by_id = u.id) DESC, u.id
        LIMIT 1
        """,
        {"pattern": f"{SCALE_PREFIX}volunteer-%"},
    )


def visited_client(username: str) -> int | None:
    return one(
        """
        SELECT p.content_object_id FROM clients_clientuserobjectpermission AS p
        JOIN auth_permission AS perm ON perm.id = p.permission_id
        JOIN accounts_user AS u ON u.id = p.user_id
        WHERE perm.codename = 'view_client_visit_page' AND u.username = %(username)s
        ORDER BY p.content_object_id LIMIT 1
        """,
        {"username": username},
    )


AREAS_OF = """
    SELECT m.area_id FROM accounts_areamembership AS m JOIN accounts_user AS u ON u.id = m.user_id
    WHERE u.username = %(username)s AND m.started_on <= current_date
      AND (m.ended_on IS NULL OR m.ended_on > current_date)
"""


def busiest_client(username: str) -> int | None:
    """The client of the person's areas with most concerns: the longest record."""
    return one(
        f"""
        SELECT r.client_id FROM risks_riskreport AS r
        WHERE r.area_id IN ({AREAS_OF})
        GROUP BY r.client_id ORDER BY count(*) DESC, r.client_id LIMIT 1
        """,
        {"username": username},
    )


def escalated_concern(username: str) -> int | None:
    return one(
        f"""
        SELECT r.id FROM risks_riskreport AS r
        WHERE r.area_id IN ({AREAS_OF}) AND r.status = 'escalated'
        ORDER BY r.id DESC LIMIT 1
        """,
        {"username": username},
    )


def volunteer_with_most_clients_of(username: str) -> int | None:
    """The volunteer of the team leader's areas with most clients: the phone form's longest list."""
    return one(
        f"""
        SELECT p.user_id FROM clients_clientuserobjectpermission AS p
        JOIN auth_permission AS perm ON perm.id = p.permission_id
        JOIN clients_client AS c ON c.id = p.content_object_id
        WHERE perm.codename = 'view_client_visit_page' AND c.area_id IN ({AREAS_OF})
        GROUP BY p.user_id ORDER BY count(*) DESC, p.user_id LIMIT 1
        """,
        {"username": username},
    )


def meeting_of_area(username: str) -> int | None:
    """The latest held or finalised meeting of the person's areas, of the kind with most agenda."""
    return one(
        f"""
        SELECT m.id FROM meetings_meeting AS m
        WHERE m.area_id IN ({AREAS_OF}) AND m.status IN ('held', 'finalised')
        ORDER BY (SELECT count(*) FROM meetings_agendaitem AS i WHERE i.meeting_id = m.id) DESC,
                 m.starts_at DESC
        LIMIT 1
        """,
        {"username": username},
    )


def meeting_chaired(username: str) -> int | None:
    """The chair's next Multi-Disciplinary Team meeting, whose agenda they are preparing
    (or, with none planned, the latest)."""
    return one(
        """
        SELECT m.id FROM meetings_meeting AS m
        JOIN accounts_practicemembership AS pm ON pm.practice_id = m.practice_id AND pm.ended_on IS NULL
        JOIN accounts_user AS u ON u.id = pm.user_id
        WHERE u.username = %(username)s AND m.kind = 'mdt' AND m.status <> 'cancelled'
        ORDER BY m.ends_at <= now(), abs(extract(epoch FROM m.starts_at - now())) LIMIT 1
        """,
        {"username": username},
    )


def key_pages() -> tuple[list[KeyPage], list[str]]:
    """Every key page, and what could not be found in this database (each one is an error)."""
    pages: list[KeyPage] = []
    missing: list[str] = []

    def add(role, username, label, url):
        if username is None or url is None:
            missing.append(f"{role}: {label}")
        else:
            pages.append(KeyPage(role, username, label, url))

    def with_id(pattern: str, pk):
        return None if pk is None else pattern.format(pk)

    volunteers = [name for name in (busiest_scale_volunteer(), "vera") if name]
    if not volunteers:
        missing.append("volunteer: a volunteer with clients")
    for username in volunteers:
        role = "volunteer" if username != "vera" else "volunteer (vera)"
        add(role, username, "Home", "/")
        add(role, username, "Report a concern", "/risks/new/")
        add(role, username, "My concerns", "/risks/mine/")
        add(role, username, "My clients", "/clients/")
        client = visited_client(username)
        if client is not None or username != "vera":
            add(role, username, "A client's visit page", with_id("/clients/{}/", client))

    cora = "cora"
    add("coordinator", cora, "Home", "/")
    add("coordinator", cora, "Triage queue", "/risks/queue/")
    add("coordinator", cora, "Triage queue, deepest page", "queue-deepest")
    add("coordinator", cora, "Triage queue, urgent", "/risks/queue/?severity=urgent")
    add("coordinator", cora, "Clients", "/clients/")
    add("coordinator", cora, "Clients, search", "/clients/?q=smith")
    add("coordinator", cora, "A client's record", with_id("/clients/{}/", busiest_client(cora)))
    add("coordinator", cora, "A concern", with_id("/risks/{}/", escalated_concern(cora)))
    add("coordinator", cora, "Volunteers", "/volunteers/")
    add("coordinator", cora, "Directory", "/directory/")
    add("coordinator", cora, "Rota", "/risks/rota/")
    add("coordinator", cora, "Meetings", "/meetings/")
    add("coordinator", cora, "A meeting", with_id("/meetings/{}/", meeting_of_area(cora)))
    add("coordinator", cora, "Stories", "/stories/")

    tom = "tom"
    add("team leader", tom, "Phone form, volunteer found", "/risks/phone/?volunteer_name=a")
    volunteer = volunteer_with_most_clients_of(tom)
    add("team leader", tom, "Phone form, volunteer chosen", with_id("/risks/phone/?volunteer={}", volunteer))

    add("manager", "mona", "Reports", "/reports/")
    add("manager", "mona", "Reports, last 12 months", "/reports/?period=last_12_months")
    add("manager", "mona", "Trials", "/reports/trials/")

    add("MDT chair", "drchen", "Meetings", "/meetings/")
    add("MDT chair", "drchen", "An MDT meeting", with_id("/meetings/{}/", meeting_chaired("drchen")))
    return pages, missing
