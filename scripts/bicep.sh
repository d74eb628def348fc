#!/usr/bin/env bash
# Builds and lints infra/main.bicep and infra/subscription.bicep, and checks the dev and prod
# parameter files against them, with the Bicep CLI from NuGet; any warning fails. The lint runs a
# second time with the clock two years ahead (libfaketime), so no rule that reads today's date
# (an API version's age) can fail this commit on a later day.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=0.49.2
dotnet restore "$repo_root/infra/cli/BicepCli.csproj" --verbosity quiet
bicep="${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
chmod +x "$bicep"
if ! command -v faketime >/dev/null; then
  echo "Installing faketime (Debian) for the future-clock lint..."
  (apt-get install -y -qq faketime >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq faketime; }) >/dev/null
fi

out="$repo_root/infra/cli/obj/arm"
mkdir -p "$out"
diagnostics=$(
  for template in main subscription; do
    "$bicep" build "$repo_root/infra/$template.bicep" --outdir "$out" 2>&1
    "$bicep" lint "$repo_root/infra/$template.bicep" 2>&1
    faketime -f '+730d' "$bicep" lint "$repo_root/infra/$template.bicep" 2>&1 | sed 's/^/two years from now: /'
  done
  # The dev and prod parameter files must fit main.bicep; their secrets are read from the
  # environment at deployment, so placeholders stand in for them here.
  for environment in dev prod; do
    env $(grep -o "readEnvironmentVariable('[A-Z0-9_]*'" "$repo_root/infra/main.$environment.bicepparam" | sed "s/.*('\(.*\)'/\1=placeholder-for-a-secret-read-at-deployment-0123456789/") \
      "$bicep" build-params "$repo_root/infra/main.$environment.bicepparam" --outfile "$out/main.$environment.parameters.json" 2>&1
  done
) || { echo "$diagnostics"; exit 1; }
if [ -n "$diagnostics" ]; then
  echo "$diagnostics"
  echo "bicep: warnings are errors here"
  exit 1
fi
echo "bicep: build and lint clean ($(wc -c < "$out/main.json") bytes of ARM)"
