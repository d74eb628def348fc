#!/usr/bin/env bash
# Runs the whole test suite: the Bicep build and lint (unit tests read the compiled ARM), unit
# tests, and integration tests against a real Azurite that the tests start themselves. Ends with the line "N passed, N failed[, N skipped]" counted from
# the TRX results; exits non-zero if any test failed or none ran.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/npm-tools.sh"
cd "$repo_root"
bash scripts/bicep.sh

results="$repo_root/TestResults"
rm -rf "$results"
status=0
dotnet test Serverless.sln --logger "trx;LogFilePrefix=results" --results-directory "$results" "$@" || status=$?

shopt -s nullglob
trx_files=("$results"/*.trx)
summary=$(node scripts/trx-summary.js "${trx_files[@]}") || status=1
echo "$summary"
exit $status
