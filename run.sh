#!/usr/bin/env bash
# Sets up what is missing, builds the app, and runs it with the local dev server
# (a stand-in for the Freddy API on the same origin). Prints the URL and a demo key.
#   PORT=8080 ./run.sh                       (default port 8080)
#   ./run.sh --upstream https://api.freddy.aitronos.com   (proxy /v1/* to the real API)
#   ./run.sh --mcp mine=http://127.0.0.1:3001/mcp        (also list and refresh your MCP server)
# Extra arguments go to the dev server (see dev-api/README.md). --demo-advance: each refresh
# of a demo configuration first moves its bundled MCP server to its next tool set.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
setup_app
say "building the app (release)"
trunk build --release
say "building the dev server"
cargo build --release -p dev-api
exec target/release/dev-api --port "${PORT:-8080}" --dist dist --demo-advance "$@"
