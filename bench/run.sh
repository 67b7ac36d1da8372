#!/usr/bin/env bash
# Builds SAU and its load generator in release mode, starts `sau serve --demo` on loopback
# with a fresh data directory, runs `sau-bench` against it and stops the server.
#
#   bench/run.sh [sau-bench options...]
#   bench/run.sh --seed 20000 --creates 5000 --reads 5000 --concurrency 16
#   PORT=19000 SAU_DATABASE_URL=postgres://... bench/run.sh
#
#   BENCH_BIN=sau-upload-bench bench/run.sh --files 10 --mib 20
#
# Environment: PORT (default 18080); KEEP_DATA=1 keeps the data directory and server log;
# BENCH_BIN picks the load generator (sau-bench, or sau-upload-bench for attachments).
# Everything else in the environment (SAU_DATABASE_URL, RUST_LOG, ...) reaches the server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-18080}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
SAU="$TARGET_DIR/release/sau"
BENCH="$TARGET_DIR/release/${BENCH_BIN:-sau-bench}"
URL="http://127.0.0.1:$PORT"

cargo build --release -p sau -p sau-bench

if curl -fsS -o /dev/null --max-time 2 "$URL/healthz" 2>/dev/null; then
    echo "run.sh: something already answers on $URL; set PORT to a free port" >&2
    exit 1
fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sau-bench-data.XXXXXX")"
LOG="$(mktemp "${TMPDIR:-/tmp}/sau-bench-server.XXXXXX.log")"
SERVER_PID=""

cleanup() {
    local status=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "run.sh: server did not stop within 10 s; killing it" >&2
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ $status -ne 0 ]]; then
        echo "run.sh: failed (status $status); last lines of the server log ($LOG):" >&2
        tail -n 30 "$LOG" >&2 || true
    fi
    if [[ "${KEEP_DATA:-0}" == "1" ]]; then
        echo "run.sh: kept data directory $DATA_DIR and server log $LOG" >&2
    else
        rm -rf "$DATA_DIR"
        [[ $status -ne 0 ]] || rm -f "$LOG"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "run.sh: starting $SAU serve --demo --addr 127.0.0.1:$PORT --data-dir $DATA_DIR (log: $LOG)" >&2
"$SAU" serve --demo --addr "127.0.0.1:$PORT" --data-dir "$DATA_DIR" >"$LOG" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 1 600); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "run.sh: the server exited before becoming ready" >&2
        exit 1
    fi
    if curl -fsS -o /dev/null --max-time 2 "$URL/healthz" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.1
done
if [[ $ready -ne 1 ]]; then
    echo "run.sh: $URL/healthz not ready after 60 s" >&2
    exit 1
fi
echo "run.sh: server ready (pid $SERVER_PID)" >&2

"$BENCH" --url "$URL" --server-pid "$SERVER_PID" "$@"
