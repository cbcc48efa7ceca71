"""Scale data: clients spread over the areas and their practices, each visited by a
volunteer of the area (two in five still visiting, with the visit page's object permission),
and their consent."""

from django.contrib.auth.models import Permission

from clients.access import VISIT_PAGE
from livingwell.accounts.scale import FIRST_NAMES, LAST_NAMES
from livingwell.scale import SCALE_PREFIX, ScaleSizes, run

STREETS = [
    "Fore Street",
    "Chapel Street",
    "Market Jew Street",
    "Causewayhead",
    "Alverton Road",
    "Trewartha Terrace",
]


def seed(sizes: ScaleSizes) -> str:
    clients = run(
        """
        WITH areas AS (
            SELECT a.id, row_number() OVER (ORDER BY a.id) - 1 AS position,
                   array_agg(p.id ORDER BY p.id) AS practices
            FROM accounts_area AS a JOIN accounts_gppractice AS p ON p.area_id = a.id
            GROUP BY a.id
        ),
        numbered AS (
            SELECT n, (SELECT count(*) FROM areas) AS area_count FROM generate_series(1, %(clients)s) AS n
        )
        INSERT INTO clients_client (first_name, last_name, preferred_name, date_of_birth, address, postcode,
                                    phone, nhs_number, practical_needs, support_wanted, communication_needs,
                                    next_of_kin_name, next_of_kin_relationship, next_of_kin_phone, status,
                                    closed_reason, created_at, area_id, gp_practice_id)
        SELECT (%(first)s::text[])[1 + (n * 3) %% cardinality(%(first)s::text[])],
               (%(last)s::text[])[1 + (n * 11) %% cardinality(%(last)s::text[])],
               '', date '1930-01-01' + (random() * 8000)::int,
               (1 + n %% 120) || ' ' || (%(streets)s::text[])[1 + n %% cardinality(%(streets)s::text[])]
                   || ', Penzance',
               'TR18 ' || (1 + n %% 9) || 'AB', '', '', '', '{}', '', '', '', '', 'active', '',
               now() - make_interval(days => (random() * 1500)::int),
               areas.id, areas.practices[1 + n %% cardinality(areas.practices)]
        FROM numbered JOIN areas ON areas.position = numbered.n %% numbered.area_count
        """,
        {
            "clients": sizes.clients,
            "first": FIRST_NAMES,
            "last": LAST_NAMES,
            "streets": STREETS,
        },
    )
    # Each client is visited by a volunteer of their area; two in five still are.
    allocations = run(
        """
        WITH volunteers AS (
            SELECT v.id, m.area_id, row_number() OVER (PARTITION BY m.area_id ORDER BY v.id) - 1 AS position,
                   count(*) OVER (PARTITION BY m.area_id) AS in_area
            FROM volunteers_volunteer AS v
            JOIN accounts_user AS u ON u.id = v.user_id
            JOIN accounts_areamembership AS m ON m.user_id = u.id
            WHERE u.username LIKE %(pattern)s AND v.status = 'active'
        )
        INSERT INTO clients_allocation (client_id, volunteer_id, started_on, ended_on, end_reason)
        SELECT c.id, v.id, c.created_at::date,
               CASE WHEN c.id %% 5 < 2 THEN NULL ELSE greatest(c.created_at::date, current_date - 30) END,
               CASE WHEN c.id %% 5 < 2 THEN '' ELSE 'The client no longer needed visits' END
        FROM clients_client AS c
        JOIN volunteers AS v ON v.area_id = c.area_id AND v.position = (c.id * 7) %% v.in_area
        """,
        {"pattern": f"{SCALE_PREFIX}volunteer-%"},
    )
    permission = Permission.objects.get(codename=VISIT_PAGE, content_type__app_label="clients")
    run(
        """
        INSERT INTO clients_clientuserobjectpermission (content_object_id, permission_id, user_id)
        SELECT a.client_id, %(permission)s, v.user_id
        FROM clients_allocation AS a JOIN volunteers_volunteer AS v ON v.id = a.volunteer_id
        WHERE a.ended_on IS NULL
        """,
        {"permission": permission.pk},
    )
    consents = run(
        """
        WITH recorder AS (SELECT id FROM accounts_user WHERE username = 'cora')
        INSERT INTO clients_consent (client_id, scope, given_on, how_given, note, recorded_at,
                                     withdrawal_note, recorded_by_id)
        SELECT c.id, scope.name, c.created_at::date, 'written', '', c.created_at, '', recorder.id
        -- Drawn from a hash of the id, not the id itself: a client's practice is picked by
        -- the id's remainder too, and a remainder would give every client of some practices
        -- the consent and none of others.
        FROM clients_client AS c, recorder,
             LATERAL (SELECT abs(hashtext('mdt' || c.id)) AS draw) AS mdt,
             LATERAL (VALUES ('outcome_to_volunteer', c.id %% 5 < 3),
                             ('share_with_mdt', mdt.draw %% 3 = 0),
                             ('volunteer_at_mdt', mdt.draw %% 6 = 0)) AS scope(name, given)
        WHERE scope.given
        """
    )
    return f"{clients:,} clients, {allocations:,} visits, {consents:,} consents"
