#!/usr/bin/env bash
# The scale-out proof on this machine: starts a PostgreSQL primary and a streaming replica made
# with pg_basebackup (two new clusters, never the shared server), Redis, moto's S3 API server
# (moto in server mode, standing in for MinIO or a cloud bucket), two RQ workers and two web
# processes (gunicorn), then runs tests/scaleout against them. Cleans up on exit; bounded in time.
#
#   tests/scaleout/run.sh            # ~3-6 minutes on 2 cores (200 certificate PDFs)
#   SCALEOUT_CERTIFICATES=40 tests/scaleout/run.sh   # quicker
#
# Ports (override by env): primary 5433, replica 5434, Redis 6391, S3 8228, web 8221 and 8222.
set -euo pipefail
cd "$(dirname "$0")/../.."
PROJECT=$(pwd)
PY=${PY:-$PROJECT/.venv/bin/python}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PRIMARY_PORT=${SCALEOUT_PRIMARY_PORT:-5433}
REPLICA_PORT=${SCALEOUT_REPLICA_PORT:-5434}
REDIS_PORT=${SCALEOUT_REDIS_PORT:-6391}
S3_PORT=${SCALEOUT_S3_PORT:-8228}
WEB_A=${SCALEOUT_WEB_A_PORT:-8221}
WEB_B=${SCALEOUT_WEB_B_PORT:-8222}
WORK=$(mktemp -d /tmp/thidua-scaleout.XXXXXX)
PIDS=()

log() { echo "== scaleout: $*"; }

# PostgreSQL refuses to run as root: as root, the clusters belong to the postgres user
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null
  for cluster in replica primary; do
    [ -f "$WORK/$cluster/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/$cluster" -m immediate -w stop >/dev/null 2>&1
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM


for port in $PRIMARY_PORT $REPLICA_PORT $REDIS_PORT $S3_PORT $WEB_A $WEB_B; do
  if (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
    echo "port $port is in use: set SCALEOUT_*_PORT" >&2
    exit 1
  fi
done

log "PostgreSQL primary on $PRIMARY_PORT and streaming replica on $REPLICA_PORT ($PG_BIN)"
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
chmod 755 "$WORK"
as_pg "$PG_BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
CONF
as_pg "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$WORK/replica" -R -X stream
sed -i "s/^port = $PRIMARY_PORT/port = $REPLICA_PORT/" "$WORK/replica/postgresql.conf"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/replica" -l "$WORK/replica.log" -w start >/dev/null
psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qc "CREATE DATABASE thidua"

log "Redis on $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$WORK/redis.pid" --dir "$WORK" --logfile "$WORK/redis.log"

log "S3 API server (moto, server mode) on $S3_PORT"
"$PROJECT/.venv/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT" >"$WORK/moto.log" 2>&1 &
PIDS+=($!)

export DJANGO_SETTINGS_MODULE=thidua.settings THIDUA_ENV=development DEBUG=false
export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/thidua"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/thidua"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" TASKS_BACKEND=rq
export MEDIA_STORAGE=s3 S3_BUCKET=thidua S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" \
  S3_ACCESS_KEY_ID=scaleout S3_SECRET_ACCESS_KEY=scaleout S3_REGION=us-east-1
export REPLICA_MAX_LAG_SECONDS=8 REPLICA_CHECK_SECONDS=1 READ_YOUR_WRITES_SECONDS=60
export CERTIFICATE_CHUNK_SIZE=${CERTIFICATE_CHUNK_SIZE:-20}
export SITE_URL="http://127.0.0.1:$WEB_A" LOG_FORMAT=json
export SCALEOUT_WEB_A="http://127.0.0.1:$WEB_A" SCALEOUT_WEB_B="http://127.0.0.1:$WEB_B"
export SCALEOUT_REPLICA_PGDATA="$WORK/replica" SCALEOUT_PG_BIN="$PG_BIN"
# the tests import the probe task from the project folder, and so do the workers
export PYTHONPATH="$PROJECT:$PROJECT/src"

log "migrate"
"$PY" manage.py migrate --verbosity 0

for name in a b; do
  "$PY" manage.py rqworker default --job-class django_tasks_rq.Job --name "worker-$name" \
    >"$WORK/worker-$name.log" 2>&1 &
  PIDS+=($!)
done
"$PROJECT/.venv/bin/gunicorn" thidua.wsgi --workers 1 --no-control-socket --bind "127.0.0.1:$WEB_A" \
  >"$WORK/web-a.log" 2>&1 &
PIDS+=($!)
"$PROJECT/.venv/bin/gunicorn" thidua.wsgi --workers 1 --no-control-socket --bind "127.0.0.1:$WEB_B" \
  >"$WORK/web-b.log" 2>&1 &
PIDS+=($!)
for url in "$SCALEOUT_WEB_A/healthz" "$SCALEOUT_WEB_B/healthz" "$S3_ENDPOINT_URL/"; do
  for _ in $(seq 60); do curl -fs -o /dev/null "$url" && break; sleep 0.5; done
done

log "tests"
status=0
timeout "${SCALEOUT_TIMEOUT:-900}" "$PY" -m pytest tests/scaleout -p no:cacheprovider -q \
  --ds thidua.settings -o addopts="" -m scaleout "$@" || status=$?
if [ "$status" != 0 ]; then
  for file in worker-a worker-b web-a web-b; do
    echo "---- $file (last lines)"; tail -n 20 "$WORK/$file.log"
  done
fi
exit "$status"
