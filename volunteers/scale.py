"""Scale data: a volunteer profile for each volunteer's account."""

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
    return f"{made:,} volunteers"
