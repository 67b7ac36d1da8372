#!/usr/bin/env bash
# SAU at a million tickets: seeds a data directory through the bulk path
# (skipped when DATA_DIR already holds a seeded database), starts `sau serve`
# on it, and times pages, searches and creates against it.
#
#   bench/scale.sh                         # 1,000,000 tickets on SQLite
#   TICKETS=20000 bench/scale.sh           # a quick look
#   SAU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sau_scale bench/scale.sh
#   DATA_DIR=/var/tmp/sau-1m bench/scale.sh --runs 500   # keep the seed for another run
#
# Arguments after the script's name go to `sau-scale-bench measure`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TICKETS="${TICKETS:-1000000}"
PORT="${PORT:-18090}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
URL="http://127.0.0.1:$PORT"
DATA_DIR="${DATA_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/sau-scale.XXXXXX")}"
LOG="$DATA_DIR/server.log"

cargo build --release -p sau -p sau-bench

DB_ARGS=()
if [[ -n "${SAU_DATABASE_URL:-}" ]]; then
    DB_ARGS=(--database-url "$SAU_DATABASE_URL")
fi
if [[ ! -f "$DATA_DIR/seeded" ]]; then
    /usr/bin/time -v "$TARGET_DIR/release/sau-scale-bench" seed --dir "$DATA_DIR" --tickets "$TICKETS" "${DB_ARGS[@]}" \
        2> >(grep -E "seed:|Maximum resident|Elapsed" >&2)
    touch "$DATA_DIR/seeded"
fi

SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    echo "scale.sh: data kept in $DATA_DIR (server log: $LOG)" >&2
}
trap cleanup EXIT

"$TARGET_DIR/release/sau" serve --addr "127.0.0.1:$PORT" --data-dir "$DATA_DIR" >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -fsS -o /dev/null --max-time 2 "$URL/healthz" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "scale.sh: the server exited" >&2; tail -20 "$LOG" >&2; exit 1; }
    sleep 0.5
done

"$TARGET_DIR/release/sau-scale-bench" measure --url "$URL" --server-pid "$SERVER_PID" \
    --dir "$DATA_DIR" --tickets "$TICKETS" "$@"
