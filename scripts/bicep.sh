#!/usr/bin/env bash
# Builds and lints infra/main.bicep and infra/subscription.bicep with the Bicep CLI from NuGet; any warning fails.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=0.49.2
dotnet restore "$repo_root/infra/cli/BicepCli.csproj" --verbosity quiet
bicep="${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
chmod +x "$bicep"

out="$repo_root/infra/cli/obj/arm"
mkdir -p "$out"
diagnostics=$(
  for template in main subscription; do
    "$bicep" build "$repo_root/infra/$template.bicep" --outdir "$out" 2>&1
    "$bicep" lint "$repo_root/infra/$template.bicep" 2>&1
  done
) || { echo "$diagnostics"; exit 1; }
if [ -n "$diagnostics" ]; then
  echo "$diagnostics"
  echo "bicep: warnings are errors here"
  exit 1
fi
echo "bicep: build and lint clean ($(wc -c < "$out/main.json") bytes of ARM)"
