#!/usr/bin/env bash
# Runs the app locally: Azurite in memory, then the local Functions host with demo data
# (SKUs, three Shanghai stores with stock) on http://127.0.0.1:${PORT:-7071}/api.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/npm-tools.sh"
cd "$repo_root"

node scripts/local-settings.js local.settings.sample.json functions/local.settings.json

node_modules/.bin/azurite --inMemoryPersistence --silent --skipApiVersionCheck --disableTelemetry &
azurite_pid=$!
trap 'kill $azurite_pid 2>/dev/null || true' EXIT

dotnet run --project tools/O2O.LocalHost -- --port "${PORT:-7071}" --settings "$repo_root/functions/local.settings.json" --demo-data
