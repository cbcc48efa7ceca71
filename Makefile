.PHONY: run test lint bench services-start services-stop

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

lint:
	.venv/bin/ruff check .

services-start:
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop
