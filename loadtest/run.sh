#!/usr/bin/env bash
# `make loadtest` / `make loadtest-smoke`: the production set-up (gunicorn, production settings,
# collected static files) on 127.0.0.1 against a PostgreSQL database seeded with the NE demo
# data, topped up to LOADTEST_LISTINGS listings, with load-test provider and broker accounts and
# a brokerage queue; then locust headless, bounded in users and time (families, providers,
# brokers and an open data harvester: loadtest/locustfile.py); prints the figures, stops the
# server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV_BIN:-.venv/bin}
USERS=${LOADTEST_USERS:-50}
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-5}
RUN_TIME=${LOADTEST_RUN_TIME:-10m}
LISTINGS=${LOADTEST_LISTINGS:-0}  # in all, demo listings included; 0 keeps the demo data alone
REQUESTS=${LOADTEST_REQUESTS:-40}  # waiting in the brokers' queue
PORT=${LOADTEST_PORT:-$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
OUT=${LOADTEST_OUT:-loadtest/results}
# Postcode areas whose gazetteer is loaded ("NE": the demo's; "all": England, where the
# listings beyond the demo's are then spread, as a national directory's would be).
AREAS=${LOADTEST_AREAS:-NE}
# Before the load: the CPU a search costs, and the curve of users against p95 (users a step,
# each step CURVE_STEP long); empty skips both (the smoke).
CURVE=${LOADTEST_CURVE:-}
CURVE_STEP=${LOADTEST_CURVE_STEP:-60s}

export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL=${LOADTEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/short_breaks_loadtest}
export SECRET_KEY=${SECRET_KEY:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')}
# Plain HTTP on this machine only: no HTTPS redirect, cookies allowed over HTTP.
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=off SECURE_COOKIES=off
export GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_ACCESS_LOG=${GUNICORN_ACCESS_LOG:-/dev/null}

echo "--- database ($DATABASE_URL): gazetteer ($AREAS) and demo data, first run only"
"$BIN/python" config/create_database.py "$DATABASE_URL"
"$BIN/python" manage.py migrate --no-input --verbosity 0
"$BIN/python" manage.py collectstatic --no-input --verbosity 0
"$BIN/python" manage.py setup_site >/dev/null
if [ "$AREAS" = all ]; then
  "$BIN/python" manage.py load_gazetteer --if-empty --verbosity 0
else
  # shellcheck disable=SC2086 # areas are words
  "$BIN/python" manage.py load_gazetteer --if-empty --areas $AREAS --verbosity 0
fi
# Production settings refuse demo accounts (their password is published); this database is the
# load test's own, so the demo data goes in under the production-like benchmark settings.
DJANGO_SETTINGS_MODULE=config.settings.bench "$BIN/python" manage.py seed_demo --if-empty --seed 1 >/dev/null

# Then the load test's own data (demo/loadtest.py), under the same settings for the same
# reason: the directory topped up to LOADTEST_LISTINGS listings (in the NE, the only postcodes
# loaded), requests waiting in the brokers' queue, and a provider and a broker account for each
# locust user (so no broker's code is used twice), signing in with a password made for this run
# and given to locust alone.
echo "--- load-test data: $LISTINGS listings in all (0: the demo's), $USERS accounts of each kind"
PASSWORD=${LOADTEST_PASSWORD:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(24))')}
LOADTEST_PASSWORD=$PASSWORD DJANGO_SETTINGS_MODULE=config.settings.bench \
  "$BIN/python" manage.py seed_loadtest --listings "$LISTINGS" --accounts "$USERS" --requests "$REQUESTS"

echo "--- gunicorn on 127.0.0.1:$PORT, and the task worker"
mkdir -p "$OUT"
"$BIN/gunicorn" -c config/gunicorn.conf.py config.wsgi >"$OUT/server.log" 2>&1 &
server=$!
"$BIN/python" manage.py db_worker >"$OUT/worker.log" 2>&1 &
worker=$!
trap 'kill -TERM $server $worker 2>/dev/null; wait $server $worker 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
  sleep 1
done
# Warm every worker (templates, the site root) so a short run measures a running site, not
# its first requests.
for _ in $(seq 1 12); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" || true
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/search/?postcode=NE46+3NR" || true
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/admin/login/" || true
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/openreferral/services?per_page=100" || true
done
curl -fsS "http://127.0.0.1:$PORT/readyz"; echo

if [ -n "$CURVE" ]; then
  echo "--- the CPU one search costs, and this machine's limit"
  "$BIN/python" loadtest/cpu_cost.py --host "http://127.0.0.1:$PORT" --server-pid "$server" \
    --database "${DATABASE_URL##*/}"
  echo "--- the curve: searchers with no pause, $CURVE users, $CURVE_STEP a step"
  # shellcheck disable=SC2086 # users are words
  LOADTEST_PASSWORD=$PASSWORD "$BIN/python" loadtest/curve.py --host "http://127.0.0.1:$PORT" \
    --users $CURVE --step-time "$CURVE_STEP" --out "$OUT"
fi

echo "--- locust: $USERS users (${LOADTEST_MIX:-families,providers,brokers,harvesters}), $SPAWN_RATE a second, for $RUN_TIME"
busy_before=$(awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)
LOADTEST_PASSWORD=$PASSWORD LOADTEST_USERS=$USERS LOADTEST_ACCOUNTS=$USERS \
  "$BIN/locust" -f loadtest/locustfile.py --headless --only-summary \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --exit-code-on-error 0 \
  >"$OUT/locust.log" 2>&1 || { tail -40 "$OUT/locust.log"; exit 1; }

busy_after=$(awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)
# shellcheck disable=SC2086 # two numbers each
awk -v cores="$(nproc)" 'NR==1{b=$1; i=$2} NR==2{db=$1-b; di=$2-i;
  printf "machine busy during the run: %.0f%% of %d cores (web server, database and locust)\n",
  100*db/(db+di), cores}' <(echo $busy_before; echo $busy_after)
echo "--- results (also in $OUT/locust_stats.csv)"
"$BIN/python" loadtest/report.py "$OUT/locust"
