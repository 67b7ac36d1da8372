#!/usr/bin/env bash
# Runs SAU's whole test suite. Store and service tests always run on SQLite, and
# also on PostgreSQL when one answers on 127.0.0.1:5432 (or at
# SAU_TEST_POSTGRES_URL). Under CI=true a missing PostgreSQL fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

default_pg="postgres://postgres@127.0.0.1:5432/postgres"
if [[ -z "${SAU_TEST_POSTGRES_URL:-}" ]]; then
    if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
        export SAU_TEST_POSTGRES_URL="$default_pg"
    elif [[ "${CI:-}" == "true" ]]; then
        echo "CI=true but no PostgreSQL answers on 127.0.0.1:5432" >&2
        exit 1
    else
        echo "note: no PostgreSQL on 127.0.0.1:5432; running the SQLite half only" >&2
    fi
fi
if [[ -n "${SAU_TEST_POSTGRES_URL:-}" ]]; then
    echo "PostgreSQL tests: ${SAU_TEST_POSTGRES_URL%%@*}@…" >&2
fi

# The mail suites speak to a real SMTP server on loopback: aiosmtpd, from PyPI.
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    echo "tests: installing aiosmtpd from PyPI (the mail suites' SMTP server)" >&2
    python3 -m pip install --quiet aiosmtpd
fi

# The OTRS API suite drives SAU with pyotrs, a client written for OTRS, from PyPI.
if ! python3 -c 'import pyotrs' 2>/dev/null; then
    echo "tests: installing pyotrs from PyPI (the OTRS API suite's client)" >&2
    python3 -m pip install --quiet pyotrs
fi

# The JSON API's OpenAPI document is held to by schemathesis, from PyPI.
if ! command -v schemathesis >/dev/null 2>&1; then
    echo "tests: installing schemathesis from PyPI (fuzzes the JSON API against its OpenAPI document)" >&2
    python3 -m pip install --quiet schemathesis
fi

# The IMAP suites speak to a real Dovecot on loopback, from Debian.
if [[ ! -x /usr/sbin/dovecot ]]; then
    if [[ "$(id -u)" == 0 ]]; then
        echo "tests: installing dovecot-imapd from Debian (the IMAP suites' server)" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
    else
        echo "tests: /usr/sbin/dovecot is missing; install Debian's dovecot-imapd (sudo apt-get install dovecot-imapd)" >&2
        exit 1
    fi
fi

# Search reads scans and photos with Tesseract (Spanish data) and renders
# scanned PDFs' pages with Poppler's pdftoppm, all from Debian.
if [[ ! -x /usr/bin/tesseract || ! -f /usr/share/tesseract-ocr/5/tessdata/spa.traineddata || ! -x /usr/bin/pdftoppm ]]; then
    if [[ "$(id -u)" == 0 ]]; then
        echo "tests: installing tesseract-ocr, tesseract-ocr-spa and poppler-utils from Debian (reading attachments for search)" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-spa poppler-utils >/dev/null
    else
        echo "tests: tesseract or pdftoppm is missing; install Debian's tesseract-ocr tesseract-ocr-spa poppler-utils" >&2
        exit 1
    fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --all-targets 2>&1 | tee "$log" || status=$?
# The browser suite (e2e/): Debian's Chromium driven by Playwright, under node --test.
e2e_status=0
{
    cargo build -p sau &&
    if [[ ! -x /usr/bin/chromium && "$(id -u)" == 0 ]]; then
        echo "e2e: /usr/bin/chromium is missing; running: apt-get update && apt-get install -y chromium"
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
    elif [[ ! -x /usr/bin/chromium ]]; then
        echo "e2e: /usr/bin/chromium is missing; install Debian's chromium (sudo apt-get install chromium)" >&2
        false
    fi &&
    (cd e2e && npm ci --no-audit --no-fund && node --test)
} 2>&1 | tee -a "$log" || e2e_status=$?
if [[ "$status" == 0 ]]; then status="$e2e_status"; fi
# One closing line for the whole run, summed over every test binary and the
# browser suite (node --test's "# pass N" / "# fail M", or "ℹ pass N" on a terminal);
# a browser suite that failed before reporting counts as one failure.
awk -v e2e_status="$e2e_status" '
     /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1) } }
     /^(#|ℹ) pass [0-9]+$/ { p += $3 }
     /^(#|ℹ) fail [0-9]+$/ { f += $3; ef += $3 }
     END { if (e2e_status != 0 && ef == 0) f += 1; printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
