"""A database the size of a county's programme, for measuring: each app's `scale.seed`
adds its part with set-based SQL, in INSTALLED_APPS order (an app after the apps it builds
on), the same way `seed_demo` finds each app's `demo.seed`. The platform names no app."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

# Every account seed_scale makes has a username that starts with this, so that a scale
# database is recognised, and the demo accounts' database is not taken for one.
SCALE_PREFIX = "scale-"


@dataclass(frozen=True)
class ScaleSizes:
    clients: int
    volunteers: int
    risks: int
    seed: int = 1

    @classmethod
    def proportional(cls, risks: int, seed: int = 1) -> ScaleSizes:
        """The proportions of the measured programme: 50,000 clients and 5,000 volunteers
        for 1,000,000 concerns (at least one of each)."""
        return cls(clients=max(risks // 20, 1), volunteers=max(risks // 200, 1), risks=risks, seed=seed)


def scale_seeders() -> list:
    ours = [
        config for config in apps.get_app_configs() if Path(config.path).is_relative_to(settings.BASE_DIR)
    ]
    found = []
    for app_config in ours:
        if find_spec(f"{app_config.name}.scale") is not None:
            module = import_module(f"{app_config.name}.scale")
            if hasattr(module, "seed"):
                found.append(module.seed)
    return found


def run(sql: str, params: dict | None = None) -> int:
    """One set-based statement; the number of rows it wrote."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.rowcount


# Each area's first coordinator (by id), as (area_id, user_id): who owns, and who chairs.
AREA_COORDINATOR_SQL = """
    SELECT DISTINCT ON (m.area_id) m.area_id, m.user_id
    FROM accounts_areamembership AS m
    JOIN accounts_user_groups AS ug ON ug.user_id = m.user_id
    JOIN auth_group AS g ON g.id = ug.group_id AND g.name = 'coordinator'
    ORDER BY m.area_id, m.user_id
"""
