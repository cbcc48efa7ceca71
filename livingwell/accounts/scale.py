"""Scale data: the demo's places and staff, the volunteers' accounts, each working in one
area, and two more team leaders for each area, who share its on-call rota."""

from livingwell.accounts import demo
from livingwell.accounts.roles import Role
from livingwell.scale import SCALE_PREFIX, ScaleSizes, run

FIRST_NAMES = [
    "Ann", "Bill", "Carol", "David", "Edna", "Frank", "Gwen", "Harry", "Iris", "Jack",
    "Kath", "Len", "Mary", "Ned", "Olive", "Peter", "Rose", "Sam", "Tess", "Wilf",
]  # fmt: skip
LAST_NAMES = [
    "Angove", "Bolitho", "Chegwidden", "Dunstan", "Eddy", "Furse", "Glasson", "Hocking",
    "Jago", "Kitto", "Lanyon", "Nance", "Oates", "Pascoe", "Rowe", "Trevail", "Uren", "Vingoe",
]  # fmt: skip


TEAM_LEADERS_PER_AREA = 2


def seed(sizes: ScaleSizes) -> str:
    demo.seed()
    users = run(
        """
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
                                   is_staff, is_active, date_joined, phone)
        SELECT '!', false, %(prefix)s || 'volunteer-' || n,
               (%(first)s::text[])[1 + n %% cardinality(%(first)s::text[])],
               (%(last)s::text[])[1 + (n / 7) %% cardinality(%(last)s::text[])],
               %(prefix)s || 'volunteer-' || n || '@example.org', false, true,
               now() - make_interval(days => (random() * 1500)::int), ''
        FROM generate_series(1, %(volunteers)s) AS n
        """,
        {"prefix": SCALE_PREFIX, "first": FIRST_NAMES, "last": LAST_NAMES, "volunteers": sizes.volunteers},
    )
    run(
        """
        INSERT INTO accounts_user_groups (user_id, group_id)
        SELECT u.id, g.id FROM accounts_user AS u, auth_group AS g
        WHERE u.username LIKE %(pattern)s AND g.name = %(role)s
        """,
        {"pattern": f"{SCALE_PREFIX}volunteer-%", "role": Role.VOLUNTEER},
    )
    # Volunteers spread over the areas in turn, since they joined.
    run(
        """
        WITH areas AS (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_area)
        INSERT INTO accounts_areamembership (user_id, area_id, started_on)
        SELECT u.id, areas.ids[1 + u.id %% cardinality(areas.ids)], u.date_joined::date
        FROM accounts_user AS u, areas
        WHERE u.username LIKE %(pattern)s
        """,
        {"pattern": f"{SCALE_PREFIX}volunteer-%"},
    )
    leaders = run(
        """
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
                                   is_staff, is_active, date_joined, phone)
        SELECT '!', false, %(prefix)s || 'team-leader-' || a.id || '-' || k,
               (%(first)s::text[])[1 + (a.id * 3 + k) %% cardinality(%(first)s::text[])],
               (%(last)s::text[])[1 + (a.id * 5 + k) %% cardinality(%(last)s::text[])],
               %(prefix)s || 'team-leader-' || a.id || '-' || k || '@example.org', false, true,
               now() - interval '3 years', '07700 9' || lpad((a.id * 10 + k)::text, 5, '0')
        FROM accounts_area AS a, generate_series(1, %(per_area)s) AS k
        """,
        {"prefix": SCALE_PREFIX, "first": FIRST_NAMES, "last": LAST_NAMES, "per_area": TEAM_LEADERS_PER_AREA},
    )
    run(
        """
        INSERT INTO accounts_user_groups (user_id, group_id)
        SELECT u.id, g.id FROM accounts_user AS u, auth_group AS g
        WHERE u.username LIKE %(pattern)s AND g.name = %(role)s
        """,
        {"pattern": f"{SCALE_PREFIX}team-leader-%", "role": Role.TEAM_LEADER},
    )
    run(
        """
        INSERT INTO accounts_areamembership (user_id, area_id, started_on)
        SELECT u.id, split_part(u.username, '-', 4)::bigint, u.date_joined::date
        FROM accounts_user AS u WHERE u.username LIKE %(pattern)s
        """,
        {"pattern": f"{SCALE_PREFIX}team-leader-%"},
    )
    return f"{users:,} volunteers' accounts, {leaders:,} team leaders"
