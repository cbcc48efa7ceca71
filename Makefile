.PHONY: run test lint services-start services-stop

# The application with demo data, a worker and a scheduler: http://127.0.0.1:8000
run:
	bash scripts/run.sh

# Every test, browser tests included. Extra pytest arguments: make test ARGS="-x tests/accounts"
test:
	bash scripts/test.sh $(ARGS)

lint:
	.venv/bin/ruff check .

services-start:
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop
