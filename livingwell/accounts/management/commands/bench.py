import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError

from livingwell.accounts.models import User
from livingwell.bench import good_news, http_load, inprocess, pages, servers, table
from livingwell.bench.cpu import CpuMeter
from livingwell.scale import SCALE_PREFIX


def from_env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


class Command(BaseCommand):
    help = (
        "Time every key page against the floor, and measure reports per second and good-news "
        "delivery over HTTP, on a scale database. Run by `make bench`, which builds that database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size-label", default="", help="BENCH_SIZE as given, for the report.")
        parser.add_argument("--risks", type=int, default=0, help="The concerns asked of seed_scale.")
        parser.add_argument("--requests", type=int, default=from_env("BENCH_REQUESTS", 30))
        parser.add_argument("--http-seconds", type=float, default=from_env("BENCH_HTTP_SECONDS", 20))
        parser.add_argument("--volunteers", type=int, default=from_env("BENCH_VOLUNTEERS", 50))
        parser.add_argument("--good-news", type=int, default=from_env("BENCH_GOOD_NEWS", 30))
        parser.add_argument("--web-workers", type=int, default=from_env("WEB_CONCURRENCY", 3))
        parser.add_argument("--worker-concurrency", type=int, default=from_env("WORKER_CONCURRENCY", 4))
        parser.add_argument("--output", default=os.environ.get("BENCH_OUTPUT") or "docs/benchmarks.md")
        parser.add_argument("--logs", default=os.environ.get("BENCH_LOGS") or ".data/bench/logs")

    def handle(self, *args, **options):
        if not User.objects.filter(username__startswith=SCALE_PREFIX).exists():
            raise CommandError("This database has no scale data: run it through `make bench`.")
        if settings.DEBUG:
            self.stderr.write("Warning: DEBUG is on; the figures are not production-like.")
        started, clock = datetime.now(UTC), time.monotonic()
        logs = Path(options["logs"])
        logs.mkdir(parents=True, exist_ok=True)
        say = self.stdout.write

        # The database as measured, before the reports sent over HTTP add to it.
        counts = table.row_counts()
        key_pages, missing = pages.key_pages()
        say(f"Timing {len(key_pages)} pages in-process, {options['requests']} requests each:")
        timings = inprocess.time_pages(key_pages, options["requests"], say=say)

        # The accounts signed in over HTTP get a password of this run only.
        password = secrets.token_urlsafe(24)
        volunteers = http_load.volunteers_with_clients(options["volunteers"])
        User.objects.filter(username__in=[*volunteers, "cora"]).update(password=make_password(password))

        port = servers.free_port()
        say(f"Starting gunicorn ({options['web_workers']} workers) and a Celery worker; logs in {logs}")
        worker = servers.start_worker(options["worker_concurrency"], logs)
        try:
            web = servers.start_web(port, options["web_workers"], logs)
            try:
                cpu = CpuMeter(web_group=web.process.pid, worker_group=worker.process.pid)
                loads = []
                for opens_form in (False, True):
                    how = "opening the form and sending" if opens_form else "sending only"
                    seconds = options["http_seconds"]
                    say(f"Reports over HTTP, {how}: {len(volunteers)} volunteers for {seconds:g} s")
                    load = http_load.reports_per_second(
                        port, volunteers, password, options["http_seconds"], opens_form=opens_form, cpu=cpu
                    )
                    say(f"  {load.acknowledged} acknowledged, {load.per_second:.1f}/s, {load.errors} errors")
                    loads.append(load)
                say(f"Good news: {options['good_news']} outcomes recorded as cora")
                news = good_news.good_news_latency(port, "cora", password, options["good_news"])
                say(f"  p95 {news.p95_s:.2f} s, {len(news.errors)} errors")
            finally:
                web.stop()
        finally:
            worker.stop()

        text = table.document(
            size_label=options["size_label"],
            risks_asked=options["risks"],
            counts=counts,
            timings=timings,
            missing=missing,
            requests=options["requests"],
            loads=loads,
            good_news=news,
            web_workers=options["web_workers"],
            worker_concurrency=options["worker_concurrency"],
            started=started,
            elapsed_s=time.monotonic() - clock,
        )
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        say("")
        say(text)
        say(f"Written to {output}")

        problems = [f"{t.page.role}: {t.page.label} answered {t.status}" for t in timings if not t.ok]
        problems += [f"not found in this database: {what}" for what in missing]
        for load in loads:
            if load.errors or not load.consistent:
                problems.append(
                    f"reports over HTTP: {load.errors} errors, {load.acknowledged} acknowledged, "
                    f"{load.in_database} in the database"
                )
        if news.errors or not news.latencies:
            problems.append(f"good news: {len(news.errors)} errors, {len(news.latencies)} delivered")
        if problems:
            raise CommandError("The benchmark found errors:\n  " + "\n  ".join(problems))
