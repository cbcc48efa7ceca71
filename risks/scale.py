"""Scale data: concerns over three years in every state, with the events of their life,
referrals, outcomes and the good news sent. Each is about a client of the area, raised by
the volunteer who visits them, and owned by the area's coordinator once taken."""

import json

from django.conf import settings

from livingwell.scale import AREA_COORDINATOR_SQL, ScaleSizes, run
from risks.models import RiskCategory
from risks.taxonomy import ensure_categories

# Typical first-action delay of each route, in hours (the formal meeting is monthly).
ROUTE_DELAY_HOURS = {"team_leader_phone": 2, "coffee_morning": 36, "mdt": 190, "formal_meeting": 280}
OUTCOME_KINDS = ["support_arranged", "health_checked", "home_made_safer", "connected", "advice_given"]


def seed(sizes: ScaleSizes) -> str:
    # The categories come with the migrations, but a database emptied since (a flush) has none.
    ensure_categories(RiskCategory)
    targets = settings.RISK_TARGET_HOURS
    run("DROP TABLE IF EXISTS scale_concern")
    # Every figure of a concern first, in a work table (ids taken from the table's own
    # sequence, so the events can name them); then each table is written from it.
    run(
        f"""
        CREATE TEMPORARY TABLE scale_concern AS
        WITH clients AS (
            SELECT c.id, c.area_id, row_number() OVER (ORDER BY c.id) - 1 AS position,
                   (SELECT v.user_id FROM clients_allocation AS a
                    JOIN volunteers_volunteer AS v ON v.id = a.volunteer_id
                    WHERE a.client_id = c.id ORDER BY a.started_on DESC LIMIT 1) AS volunteer_id,
                   EXISTS (SELECT 1 FROM clients_consent AS k WHERE k.client_id = c.id
                           AND k.scope = 'outcome_to_volunteer' AND k.withdrawn_at IS NULL) AS may_tell
            FROM clients_client AS c
        ),
        categories AS (SELECT array_agg(id ORDER BY id) AS ids FROM risks_riskcategory),
        owners AS (
            {AREA_COORDINATOR_SQL}
        ),
        drawn AS (
            SELECT n, random() AS r_severity, random() AS r_age, random() AS r_delay, random() AS r_state,
                   random() AS r_stuck,
                   (SELECT count(*) FROM clients) AS client_count
            FROM generate_series(1, %(risks)s) AS n
        ),
        concern AS (
            SELECT nextval('risks_riskreport_id_seq') AS id, d.n, c.id AS client_id, c.area_id,
                   c.volunteer_id, c.may_tell, o.user_id AS owner_id,
                   categories.ids[1 + d.n %% cardinality(categories.ids)] AS category_id,
                   CASE WHEN d.r_severity < 0.08 THEN 'urgent' WHEN d.r_severity < 0.30 THEN 'high'
                        WHEN d.r_severity < 0.70 THEN 'medium' ELSE 'low' END AS severity,
                   now() - make_interval(secs => d.r_age * 3 * 365 * 86400) AS reported_at,
                   d.r_delay, d.r_state, d.r_stuck, a.default_route
            FROM drawn AS d
            JOIN clients AS c ON c.position = (d.n * 13) %% d.client_count
            JOIN accounts_area AS a ON a.id = c.area_id
            LEFT JOIN owners AS o ON o.area_id = c.area_id
            CROSS JOIN categories
            WHERE c.volunteer_id IS NOT NULL
        ),
        routed AS (
            SELECT *, CASE WHEN severity = 'urgent' THEN 'team_leader_phone' ELSE default_route END AS route
            FROM concern
        ),
        timed AS (
            SELECT *,
                   reported_at + make_interval(hours => (%(targets)s::jsonb ->> severity)::int) AS due_at,
                   reported_at + make_interval(secs => (0.2 + 1.6 * r_delay)
                       * (%(delays)s::jsonb ->> route)::int * 3600) AS triaged_at_planned
            FROM routed
        )
        SELECT *,
               triaged_at_planned + interval '2 days' AS escalated_at_planned,
               triaged_at_planned + interval '12 days' AS outcome_at_planned,
               triaged_at_planned + interval '13 days' AS closed_at_planned,
               -- The furthest a concern goes. Of the last four months' concerns some stop early;
               -- older ones are closed, but for one in twelve that is still waiting somewhere,
               -- so an area of 330,000 concerns has about 40,000 open, as in a busy programme.
               CASE WHEN reported_at < now() - interval '120 days' AND r_stuck >= 0.08 THEN 5
                    WHEN reported_at < now() - interval '120 days'
                    THEN CASE WHEN r_state < 0.1 THEN 1 WHEN r_state < 0.3 THEN 2 WHEN r_state < 0.5 THEN 3
                              ELSE 4 END
                    WHEN r_state < 0.05 THEN 1 WHEN r_state < 0.12 THEN 2 WHEN r_state < 0.20 THEN 3
                    WHEN r_state < 0.45 THEN 4 ELSE 5 END AS furthest
        FROM timed
        """,
        {"risks": sizes.risks, "targets": _json(targets), "delays": _json(ROUTE_DELAY_HOURS)},
    )
    # What has happened by now: each step only if its time has come and the concern goes so far.
    run(
        """
        ALTER TABLE scale_concern
            ADD COLUMN triaged_at timestamptz, ADD COLUMN escalated_at timestamptz,
            ADD COLUMN outcome_at timestamptz, ADD COLUMN closed_at timestamptz;
        UPDATE scale_concern SET
            triaged_at = CASE WHEN furthest >= 2 AND triaged_at_planned < now() THEN triaged_at_planned END,
            escalated_at = CASE WHEN furthest >= 3 AND escalated_at_planned < now()
                                THEN escalated_at_planned END,
            outcome_at = CASE WHEN furthest >= 4 AND outcome_at_planned < now() THEN outcome_at_planned END,
            closed_at = CASE WHEN furthest >= 5 AND closed_at_planned < now() THEN closed_at_planned END;
        UPDATE scale_concern SET escalated_at = NULL WHERE triaged_at IS NULL;
        UPDATE scale_concern SET outcome_at = NULL WHERE escalated_at IS NULL;
        UPDATE scale_concern SET closed_at = NULL WHERE outcome_at IS NULL;
        """
    )
    concerns = run(
        """
        INSERT INTO risks_riskreport (id, client_id, area_id, category_id, severity, route, status,
                                      what_was_seen, observed_at, action_taken, client_wishes,
                                      reported_by_id, owner_id, reported_at, due_at, triaged_at,
                                      escalated_at, outcome_at, closed_at, close_reason)
        SELECT id, client_id, area_id, category_id, severity, route,
               CASE WHEN closed_at IS NOT NULL THEN 'closed'
                    WHEN outcome_at IS NOT NULL THEN 'outcome_recorded'
                    WHEN escalated_at IS NOT NULL THEN 'escalated'
                    WHEN triaged_at IS NOT NULL THEN 'triaged' ELSE 'reported' END,
               'Noticed on a visit: things at home have changed.', reported_at - interval '3 hours', '', '',
               volunteer_id, CASE WHEN triaged_at IS NOT NULL THEN owner_id END, reported_at, due_at,
               triaged_at, escalated_at, outcome_at, closed_at,
               CASE WHEN closed_at IS NOT NULL THEN 'Resolved' ELSE '' END
        FROM scale_concern ORDER BY id
        """
    )
    events = run(
        """
        INSERT INTO risks_riskevent (risk_id, actor_id, at, from_status, to_status, note)
        SELECT id, volunteer_id, reported_at, '', 'reported', '' FROM scale_concern
        UNION ALL SELECT id, owner_id, triaged_at, 'reported', 'triaged', '' FROM scale_concern
            WHERE triaged_at IS NOT NULL
        UNION ALL SELECT id, owner_id, escalated_at, 'triaged', 'escalated', '' FROM scale_concern
            WHERE escalated_at IS NOT NULL
        UNION ALL SELECT id, owner_id, outcome_at, 'escalated', 'outcome_recorded', '' FROM scale_concern
            WHERE outcome_at IS NOT NULL
        UNION ALL SELECT id, owner_id, closed_at, 'outcome_recorded', 'closed', 'Resolved' FROM scale_concern
            WHERE closed_at IS NOT NULL
        """
    )
    run(
        """
        INSERT INTO risks_referral (risk_id, service_id, key_worker, reference, made_by_id, made_at)
        SELECT c.id, s.id, CASE WHEN s.id IS NULL THEN 'Dr Pengelly' ELSE '' END, '',
               c.owner_id, c.escalated_at
        FROM scale_concern AS c
        LEFT JOIN LATERAL (
            SELECT sa.service_id AS id FROM risks_service_areas AS sa WHERE sa.area_id = c.area_id
            ORDER BY (sa.service_id + c.n) %% 97 LIMIT 1
        ) AS s ON true
        WHERE c.escalated_at IS NOT NULL
        """
    )
    outcomes = run(
        """
        INSERT INTO risks_outcome (risk_id, kind, volunteer_told_detail, staff_summary, volunteer_message,
                                   recorded_by_id, recorded_at)
        SELECT id, (%(kinds)s::text[])[1 + n %% cardinality(%(kinds)s::text[])], may_tell,
               'Support arranged.', 'Thank you: help has been arranged.', owner_id, outcome_at
        FROM scale_concern WHERE outcome_at IS NOT NULL
        """,
        {"kinds": OUTCOME_KINDS},
    )
    news = run(
        """
        INSERT INTO notifications_notification (recipient_id, kind, title, body, link, created_at, read_at,
                                                delivered_at, emailed_at, attempts, last_error,
                                                attachment_content, attachment_content_type,
                                                attachment_filename)
        SELECT volunteer_id, 'good_news', 'Good news about a concern you raised',
               CASE WHEN may_tell THEN 'Thank you: help has been arranged.'
                    ELSE 'A concern you raised has been followed up and acted on.' END,
               '/risks/' || id || '/', outcome_at, outcome_at + interval '1 day', outcome_at, outcome_at,
               1, '', '', '', ''
        FROM scale_concern WHERE outcome_at IS NOT NULL
        """
    )
    run("DROP TABLE scale_concern")
    # Each area's on-call rota, four weeks back and twelve ahead: a day's shift from 8 in the
    # morning, its team leaders taking turns, the next in turn as back-up.
    shifts = run(
        """
        WITH leaders AS (
            SELECT m.area_id, array_agg(m.user_id ORDER BY m.user_id) AS ids
            FROM accounts_areamembership AS m
            JOIN accounts_user_groups AS ug ON ug.user_id = m.user_id
            JOIN auth_group AS g ON g.id = ug.group_id AND g.name = 'team_leader'
            WHERE m.ended_on IS NULL
            GROUP BY m.area_id
        )
        INSERT INTO risks_oncallshift (area_id, team_leader_id, backup_id, starts_at, ends_at)
        SELECT l.area_id, l.ids[1 + (d + 28) %% cardinality(l.ids)],
               CASE WHEN cardinality(l.ids) > 1 THEN l.ids[1 + (d + 29) %% cardinality(l.ids)] END,
               day.at, day.at + interval '1 day'
        FROM leaders AS l, generate_series(-28, 83) AS d,
             LATERAL (SELECT date_trunc('day', now()) + interval '8 hours' + make_interval(days => d)
                      AS at) AS day
        """
    )
    return (
        f"{concerns:,} concerns, {events:,} events, {outcomes:,} outcomes, {news:,} notifications, "
        f"{shifts:,} on-call shifts"
    )


def _json(mapping) -> str:
    return json.dumps(mapping)
