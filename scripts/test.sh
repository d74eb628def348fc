#!/usr/bin/env bash
# Runs the whole test suite: the Bicep build and lint (unit tests read the compiled ARM), unit
# tests, integration tests against a real Azurite that the tests start themselves, and the store
# console's tests in headless Chromium (screenshots in TestResults/screenshots/). Ends with the line "N passed, N failed[, N skipped]" counted from
# the TRX results; exits non-zero if any test failed or none ran.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/npm-tools.sh"
cd "$repo_root"
bash scripts/bicep.sh

# The house style (.editorconfig): whitespace, usings and naming, as `dotnet format` would leave them.
echo "Checking the code style (dotnet format --verify-no-changes)..."
dotnet format Serverless.sln --verify-no-changes

# The store console's browser tests drive Debian's chromium (Playwright's own browser download is
# not reachable here), with a CJK font so that the screenshots show the Chinese text.
if ! dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1; then
  echo "Installing chromium and a CJK font (Debian) for the store console's browser tests..."
  (apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei; }) >/dev/null
fi

results="$repo_root/TestResults"
rm -rf "$results"
status=0
dotnet test Serverless.sln --logger "trx;LogFilePrefix=results" --results-directory "$results" "$@" || status=$?

shopt -s nullglob
trx_files=("$results"/*.trx)
summary=$(node scripts/trx-summary.js "${trx_files[@]}") || status=1
echo "$summary"
exit $status
