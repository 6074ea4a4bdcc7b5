#!/usr/bin/env bash
# The production processes side by side: gunicorn (config/gunicorn.conf.py) and the task worker
# (emails, reminders, re-indexing). If either stops, the other is stopped too, so a supervisor
# (systemd, a container runtime) sees the failure and restarts both. `make serve-production`
# runs this after migrating and collecting static files.
set -uo pipefail
# Each process in its own process group: a Ctrl-C or a signal to the group reaches this script
# alone, which passes one SIGTERM on (a second one would make the worker abandon its task).
set -m
cd "$(dirname "$0")/.."
BIN=${VENV_BIN:-.venv/bin}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.production}

# The worker has a fixed id, so that when it starts again every task still marked as its own
# was left half-done by the one before (killed mid-task) and is run again (core/worker.py).
WORKER_ID=${TASK_WORKER_ID:-"$(hostname | cut -c1-40)-worker"}
"$BIN/python" manage.py requeue_abandoned_tasks --worker-id "$WORKER_ID" || exit 1
"$BIN/python" manage.py db_worker --worker-id "$WORKER_ID" &
worker=$!
"$BIN/gunicorn" -c config/gunicorn.conf.py config.wsgi &
web=$!

stop() {
  kill -TERM "$web" "$worker" 2>/dev/null
  wait "$web" "$worker" 2>/dev/null
}
trap 'stop; exit 0' INT TERM
wait -n "$web" "$worker"
status=$?
stop
exit "$status"
