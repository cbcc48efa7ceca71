#!/usr/bin/env bash
# `make demo-code`: the six-digit code that the demo accounts' authenticator app would show
# now (the published demo secret), for signing in as a demo coordinator, team leader, chair,
# clinician, manager or administrator.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_venv "$ROOT/requirements.txt"
DEBUG="${DEBUG:-true}" "$PY" manage.py demo_code
