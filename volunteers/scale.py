"""Scale data: a volunteer profile for each volunteer's account, and their DBS checks."""

from livingwell.scale import SCALE_PREFIX, ScaleSizes, run


def seed(sizes: ScaleSizes) -> str:
    made = run(
        """
        INSERT INTO volunteers_volunteer (user_id, address, postcode, skills, languages, background,
                                          availability, capacity, status, mdt_opt_in, created_at)
        SELECT u.id, (1 + u.id %% 90) || ' Fore Street, Penzance', 'TR18 4AB', '{}', '', '',
               'Weekday mornings', 2 + (u.id %% 3),
               CASE WHEN u.id %% 20 = 0 THEN 'paused' WHEN u.id %% 20 = 1 THEN 'left' ELSE 'active' END,
               u.id %% 5 = 0, u.date_joined
        FROM accounts_user AS u
        WHERE u.username LIKE %(pattern)s
        """,
        {"pattern": f"{SCALE_PREFIX}volunteer-%"},
    )
    # Nearly every volunteer has a check, taken over the last three years and renewed three
    # years on (as `dbs_check_record` does), so that some fall due soon; one in twenty has
    # none recorded yet.
    checks = run(
        """
        INSERT INTO volunteers_dbscheck (volunteer_id, checked_on, reference, renewal_due_on)
        SELECT v.id, c.checked_on, 'SCALE' || lpad(v.id::text, 8, '0'),
               (c.checked_on + interval '3 years')::date
        FROM volunteers_volunteer AS v
        JOIN accounts_user AS u ON u.id = v.user_id
        CROSS JOIN LATERAL (SELECT CURRENT_DATE - ((v.id * 7919 + %(seed)s) %% 1095)::int AS checked_on) AS c
        WHERE u.username LIKE %(pattern)s AND v.id %% 20 <> 7
        """,
        {"pattern": f"{SCALE_PREFIX}volunteer-%", "seed": sizes.seed},
    )
    return f"{made:,} volunteers, {checks:,} DBS checks"
