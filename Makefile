.PHONY: run test lint bench loadtest services-start services-stop backup restore demo-code

# The application with demo data, a worker and a scheduler: http://127.0.0.1:8000
run:
	bash scripts/run.sh

# Every test, browser tests included. Extra pytest arguments: make test ARGS="-x tests/accounts"
test:
	bash scripts/test.sh $(ARGS)

# Key pages timed against the floor, and reports and good news over HTTP, on a scale
# database: make bench BENCH_SIZE=small (10,000 concerns) or a number (default 1,000,000).
bench:
	BENCH_SIZE=$(BENCH_SIZE) bash scripts/bench.sh

# Volunteers and coordinators over HTTP (locust) while a worker is killed, PostgreSQL
# restarts and Redis stops; fails if a report is lost or doubled, or good news is not delivered
# once. LOADTEST_VOLUNTEERS (200), LOADTEST_COORDINATORS (10), LOADTEST_SECONDS (60).
loadtest:
	bash scripts/loadtest.sh

# A pg_dump of the database (DATABASE_URL, else the development one) into BACKUP_DIR
# (default .data/backups/). The file holds personal data: README, "Backups".
backup:
	bash scripts/backup.sh

# Restore a backup into the database: make restore FILE=.data/backups/livingwell-....dump
# Add REPLACE=1 to replace a database that already has data.
restore:
	@if [ -z "$(FILE)" ]; then \
	  echo "Error: say which backup to restore: make restore FILE=path/to/livingwell-....dump (add REPLACE=1 to replace a database that has data)" >&2; \
	  exit 2; \
	fi
	bash scripts/restore.sh "$(FILE)" $(if $(REPLACE),--replace)

# The code the demo accounts' authenticator app shows now (README, "Demo accounts").
demo-code:
	@bash scripts/demo_code.sh

lint:
	.venv/bin/ruff check .

services-start:
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop
