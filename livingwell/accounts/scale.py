"""Scale data: the demo's places and staff, and the volunteers' accounts, each working in
one area."""

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
    return f"{users:,} volunteers' accounts"
