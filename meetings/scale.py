"""Scale data: three years of meetings, and the next three months' already planned. Each
area's monthly formal meeting discusses the formal-route concerns reported in the month
before it (the next one has them on its agenda); Central Cornwall-style coffee-morning areas
meet fortnightly; each practice's Multi-Disciplinary Team (MDT) meeting is monthly. The
area's coordinator chairs (the practice's first chair for MDT meetings), and the volunteers
whose concerns are on the agenda attend the meetings that were held."""

from livingwell.scale import AREA_COORDINATOR_SQL, ScaleSizes, run

AGENDA_ITEMS_PER_MEETING = 30
MDT_AGENDA_ITEMS = 8


def seed(sizes: ScaleSizes) -> str:
    meetings = run(
        f"""
        WITH chairs AS (
            {AREA_COORDINATOR_SQL}
        ),
        mdt_chairs AS (
            SELECT DISTINCT ON (pm.practice_id) pm.practice_id, pm.user_id
            FROM accounts_practicemembership AS pm
            JOIN accounts_user_groups AS ug ON ug.user_id = pm.user_id
            JOIN auth_group AS g ON g.id = ug.group_id AND g.name = 'mdt_chair'
            ORDER BY pm.practice_id, pm.user_id
        ),
        months AS (
            SELECT date_trunc('month', now()) - make_interval(months => k) + interval '9 days 10 hours' AS at
            FROM generate_series(-3, 36) AS k
        ),
        planned AS (
            SELECT 'formal' AS kind, a.id AS area_id, NULL::bigint AS practice_id, c.user_id AS chair_id,
                   months.at AS starts_at, 'The community centre' AS place
            FROM accounts_area AS a JOIN chairs AS c ON c.area_id = a.id, months
            WHERE a.default_route = 'formal_meeting'
            UNION ALL
            SELECT 'coffee_morning', a.id, NULL, c.user_id, months.at + make_interval(days => half * 14),
                   'The church hall'
            FROM accounts_area AS a JOIN chairs AS c ON c.area_id = a.id, months,
                 generate_series(0, 1) AS half
            WHERE a.default_route = 'coffee_morning'
            UNION ALL
            SELECT 'mdt', p.area_id, p.id, mc.user_id, months.at + interval '5 days', p.name
            FROM accounts_gppractice AS p JOIN mdt_chairs AS mc ON mc.practice_id = p.id, months
        )
        INSERT INTO meetings_meeting (kind, area_id, practice_id, chair_id, created_by_id, starts_at, ends_at,
                                      place, status, notes, invitation_sequence, cancelled_reason, held_at,
                                      finalised_at, finalised_by_id, created_at)
        SELECT kind, area_id, practice_id, chair_id, chair_id, starts_at, starts_at + interval '90 minutes',
               place, held.status, '', 0, '', held.at, held.at + interval '2 days',
               CASE WHEN held.at IS NOT NULL THEN chair_id END, starts_at - interval '3 weeks'
        FROM planned,
             LATERAL (SELECT CASE WHEN starts_at < now() THEN 'finalised' ELSE 'planned' END AS status,
                             CASE WHEN starts_at < now() THEN starts_at END AS at) AS held
        WHERE starts_at < now() + interval '3 months'
        """
    )
    run(
        """
        INSERT INTO meetings_attendance (meeting_id, person_id, role, response, invited_at)
        SELECT id, chair_id, 'chair', CASE WHEN status = 'planned' THEN 'invited' ELSE 'attended' END,
               created_at
        FROM meetings_meeting
        """
    )
    # Each formal meeting discusses the most serious of its area's formal-route concerns of
    # the month before: as many as fit in an evening.
    items = run(
        """
        INSERT INTO meetings_agendaitem (meeting_id, risk_id, client_id, position, minutes,
                                         presented_by_volunteer, discussion_note, result, conflict_reason,
                                         added_by_id, added_at)
        SELECT meeting_id, risk_id, client_id, position, 10, false, '',
               CASE WHEN status = 'planned' THEN '' ELSE 'taken' END, '', chair_id, reported_at
        FROM (
            SELECT m.id AS meeting_id, m.status, r.id AS risk_id, r.client_id, m.chair_id, r.reported_at,
                   row_number() OVER (PARTITION BY m.id ORDER BY r.severity = 'high' DESC, r.reported_at)
                       AS position
            FROM meetings_meeting AS m
            JOIN risks_riskreport AS r
              ON r.area_id = m.area_id AND r.route = 'formal_meeting'
             AND r.reported_at >= m.starts_at - interval '1 month' AND r.reported_at < m.starts_at
            WHERE m.kind = 'formal'
        ) AS ranked
        WHERE position <= %(per_meeting)s
        """,
        {"per_meeting": AGENDA_ITEMS_PER_MEETING},
    )
    # Each practice's next Multi-Disciplinary Team meeting has the chair's draft agenda (not
    # yet published): clients who agreed to be discussed there, with a serious concern of
    # the month before.
    items += run(
        """
        INSERT INTO meetings_agendaitem (meeting_id, risk_id, client_id, position, minutes,
                                         presented_by_volunteer, discussion_note, result, conflict_reason,
                                         added_by_id, added_at)
        SELECT meeting_id, risk_id, client_id, position, 10, false, '', '', '', chair_id, reported_at
        FROM (
            SELECT m.id AS meeting_id, r.id AS risk_id, r.client_id, m.chair_id, r.reported_at,
                   row_number() OVER (PARTITION BY m.id ORDER BY r.severity = 'high' DESC, r.reported_at DESC)
                       AS position
            FROM (
                SELECT DISTINCT ON (practice_id) id, practice_id, chair_id, starts_at
                FROM meetings_meeting
                WHERE kind = 'mdt' AND status = 'planned'
                ORDER BY practice_id, starts_at
            ) AS m
            JOIN LATERAL (
                SELECT DISTINCT ON (r.client_id) r.id, r.client_id, r.severity, r.reported_at
                FROM risks_riskreport AS r JOIN clients_client AS c ON c.id = r.client_id
                WHERE c.gp_practice_id = m.practice_id AND r.severity IN ('high', 'urgent')
                  AND r.reported_at >= m.starts_at - interval '2 months'
                  AND EXISTS (SELECT 1 FROM clients_consent AS k
                              WHERE k.client_id = c.id AND k.scope = 'share_with_mdt'
                                AND k.withdrawn_at IS NULL)
                ORDER BY r.client_id, r.reported_at DESC
            ) AS r ON true
        ) AS ranked
        WHERE position <= %(per_meeting)s
        """,
        {"per_meeting": MDT_AGENDA_ITEMS},
    )
    run(
        """
        INSERT INTO meetings_attendance (meeting_id, person_id, role, response, invited_at)
        SELECT DISTINCT i.meeting_id, r.reported_by_id, 'volunteer', 'attended', i.added_at
        FROM meetings_agendaitem AS i JOIN risks_riskreport AS r ON r.id = i.risk_id
        JOIN meetings_meeting AS m ON m.id = i.meeting_id AND m.status = 'finalised'
        ON CONFLICT DO NOTHING
        """
    )
    return f"{meetings:,} meetings, {items:,} agenda items"
