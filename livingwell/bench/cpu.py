"""Where the CPU of a run goes: the processor time of the web server's processes, the
database's, the worker's and the load generator's own, read from /proc (Linux), so that a
figure per report says which part to make cheaper. Processes that start or end during the
run are counted too: an ended process's time is added to its parent's count of its ended
children (the database server's, for a backend whose connection was closed and opened
again; gunicorn's master, for a worker it replaced)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _processes() -> list[tuple[int, int, int, float, float]]:
    """(pid, parent pid, process group, CPU seconds used, CPU seconds of its ended children)
    of every process we may read."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name, in brackets, may hold spaces: the fields that follow are fixed.
        fields = text[text.rindex(")") + 2 :].split()
        own = (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND
        ended_children = (int(fields[13]) + int(fields[14])) / TICKS_PER_SECOND
        found.append((int(entry.name), int(fields[1]), int(fields[2]), own, ended_children))
    return found


def database_server_pid() -> int | None:
    """The PostgreSQL server process behind Django's connection, when it runs on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        text = Path(f"/proc/{backend}/stat").read_text()
    except OSError:
        return None
    return int(text[text.rindex(")") + 2 :].split()[1])


@dataclass(frozen=True)
class CpuSnapshot:
    web: float
    database: float
    worker: float
    load_generator: float


class CpuMeter:
    """CPU seconds of the web server's and worker's process groups (each started in its own
    session), of the database server and its backends, and of this process."""

    def __init__(self, *, web_group: int, worker_group: int):
        self.web_group = web_group
        self.worker_group = worker_group
        self.database_pid = database_server_pid()

    def snapshot(self) -> CpuSnapshot:
        web = worker = database = 0.0
        for pid, parent, group, seconds, ended_children in _processes():
            # A group's leader (gunicorn's master, the worker's main process) and the
            # database server reap their children: theirs is the ended ones' time.
            if group == self.web_group:
                web += seconds + (ended_children if pid == group else 0)
            elif group == self.worker_group:
                worker += seconds + (ended_children if pid == group else 0)
            elif pid == self.database_pid:
                database += seconds + ended_children
            elif parent == self.database_pid:
                database += seconds
        own = os.times()
        return CpuSnapshot(web, database, worker, own.user + own.system)


def per_item_ms(before: CpuSnapshot, after: CpuSnapshot, items: int) -> dict[str, float]:
    """Milliseconds of CPU per item (per report), by part."""
    count = max(items, 1)
    return {
        "web": (after.web - before.web) * 1000 / count,
        "database": (after.database - before.database) * 1000 / count,
        "worker": (after.worker - before.worker) * 1000 / count,
        "load generator": (after.load_generator - before.load_generator) * 1000 / count,
    }
