#!/usr/bin/env bash
# The performance benchmark (not part of ./test.sh; see bench/README.md):
#   bench/run.sh
# Sets up what is missing, builds the release app and the dev server, serves a copy
# of the build plus the hand-written baseline page from the dev server on a free
# loopback port, measures in headless Chromium through Playwright, prints one
# markdown table and writes it to bench/results/latest.md and bench/LATEST.md.
#
# Environment (all optional):
#   BENCH_DIST=DIR     build the measured release app into DIR instead of dist/
#   CARGO_TARGET_DIR   honoured by cargo and trunk as usual
#   BENCH_LOADS=N      cold page loads per page (default 20, at least 10)
#   BENCH_REPS=N       render repetitions per renderer and size (default 60)
#   BENCH_HUGE_RUNS=N  100,000-tool refreshes, median reported (default 3)
#   CHROMIUM=PATH      browser binary (default /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/setup.sh
setup_tests

# Sizes are measured on the release build as shipped; timings on a second build that
# adds the benchmark's hooks (src/bench.rs, the `bench` feature), which the release
# build leaves out.
DIST="${BENCH_DIST:-$ROOT/dist}"
RESULTS="$ROOT/bench/results"
say "building the app (release) into $DIST"
trunk build --release --dist "$DIST"
say "building it again with the benchmark's hooks into bench/results/timed"
trunk build --release --features split,bench --dist "$RESULTS/timed"

# Release build: the dev server stands in for a production static host here, and a
# debug build's slower file serving would weigh on the larger app more than on the
# baseline page it is compared with.
say "building the dev server (release)"
cargo build -q --release -p dev-api
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
DEV_API="$TARGET/release/dev-api"

# The site: a copy of the build plus the baseline page under /bench/, so the app and
# the baseline come from the same server with the same headers and compression.
SITE="$RESULTS/site"
rm -rf "$SITE"
mkdir -p "$SITE/bench"
cp -R "$RESULTS/timed"/. "$SITE"/
cp bench/baseline/signin.html bench/baseline/signin.js "$SITE/bench/"
CSS=( "$DIST"/app-*.css )
cp "${CSS[0]}" "$SITE/bench/app.css"
node -e '
  const fs = require("fs"), path = require("path"), z = require("zlib");
  const dir = process.argv[1];
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f), data = fs.readFileSync(p);
    fs.writeFileSync(p + ".br", z.brotliCompressSync(data, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    fs.writeFileSync(p + ".gz", z.gzipSync(data, { level: 9 }));
  }' "$SITE/bench"

say "starting the dev server on a free loopback port"
LOG="$RESULTS/dev-api.log"
"$DEV_API" --host 127.0.0.1 --port 0 --demo-advance --dist "$SITE" --examples "$RESULTS/no-examples" >"$LOG" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
ORIGIN=""
for _ in $(seq 1 100); do
  ORIGIN="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$LOG" | head -n 1 || true)"
  [ -n "$ORIGIN" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ORIGIN" ] || { echo "dev server did not start" >&2; cat "$LOG" >&2; exit 1; }
say "measuring against $ORIGIN (takes a few minutes)"

BENCH_NPROC="$(nproc)" node bench/measure.js --origin "$ORIGIN" --dist "$DIST" \
  --out "$RESULTS/latest.md" --latest "$ROOT/bench/LATEST.md"
