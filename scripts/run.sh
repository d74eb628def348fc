#!/usr/bin/env bash
# Runs the app locally: Azurite in memory, then the local Functions host with demo data
# (SKUs, three Shanghai stores with stock) on http://127.0.0.1:${PORT:-7071}/api.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/npm-tools.sh"
cd "$repo_root"

[ -f functions/local.settings.json ] || cp local.settings.sample.json functions/local.settings.json
# Settings added to the sample since the copy was made join it (values already there are kept).
node -e '
  const fs = require("fs");
  const sample = JSON.parse(fs.readFileSync("local.settings.sample.json", "utf8"));
  const local = JSON.parse(fs.readFileSync("functions/local.settings.json", "utf8"));
  const added = Object.keys(sample.Values).filter(k => !(k in local.Values));
  for (const k of added) local.Values[k] = sample.Values[k];
  // The sample'"'"'s own secrets are public: this machine gets secrets of its own, made once.
  const secrets = ["Auth__AdminApiKey", "Auth__SessionSigningKey", "Auth__StoreKeyPepper"];
  const made = secrets.filter(k => !local.Values[k] || local.Values[k] === sample.Values[k] || local.Values[k].includes("change-me"));
  for (const k of made) local.Values[k] = require("crypto").randomBytes(32).toString("base64url");
  if (added.length || made.length) fs.writeFileSync("functions/local.settings.json", JSON.stringify(local, null, 2) + "\n");
  if (added.length) console.log("Added to functions/local.settings.json: " + added.join(", "));
  if (made.length) console.log("Generated for this machine: " + made.join(", "));
  console.log("The admin key (Auth__AdminApiKey) is in functions/local.settings.json; for curl:");
  console.log("  K=\"Authorization: Bearer $(node -p \x27require(\"./functions/local.settings.json\").Values.Auth__AdminApiKey\x27)\"");'

node_modules/.bin/azurite --inMemoryPersistence --silent --skipApiVersionCheck --disableTelemetry &
azurite_pid=$!
trap 'kill $azurite_pid 2>/dev/null || true' EXIT

dotnet run --project tools/O2O.LocalHost -- --port "${PORT:-7071}" --settings "$repo_root/functions/local.settings.json" --demo-data
