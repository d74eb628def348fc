// Makes functions/local.settings.json for this machine (the run.sh step): a copy of the sample on
// the first start, settings added to the sample since then joined in (values already there are
// kept), and the sample's own secrets (public, so refused by a deployed app) replaced once by
// secrets of this machine's own. Usage: node scripts/local-settings.js SAMPLE LOCAL
const fs = require('fs');
const crypto = require('crypto');
const [samplePath, localPath] = process.argv.slice(2);
const sample = JSON.parse(fs.readFileSync(samplePath, 'utf8'));
const local = fs.existsSync(localPath) ? JSON.parse(fs.readFileSync(localPath, 'utf8')) : structuredClone(sample);
const added = Object.keys(sample.Values).filter(k => !(k in local.Values));
for (const k of added) local.Values[k] = sample.Values[k];
const secrets = ['Auth__AdminApiKey', 'Auth__SessionSigningKey', 'Auth__StoreKeyPepper'];
const made = secrets.filter(k => !local.Values[k] || local.Values[k] === sample.Values[k] || local.Values[k].includes('change-me'));
for (const k of made) local.Values[k] = crypto.randomBytes(32).toString('base64url');
if (added.length || made.length || !fs.existsSync(localPath)) fs.writeFileSync(localPath, JSON.stringify(local, null, 2) + '\n');
if (added.length) console.log(`Added to ${localPath}: ${added.join(', ')}`);
if (made.length) console.log(`Generated for this machine: ${made.join(', ')}`);
console.log(`The admin key (Auth__AdminApiKey) is in ${localPath}; for curl:`);
console.log(`  K="Authorization: Bearer $(node -p 'require("./${localPath}").Values.Auth__AdminApiKey')"`);
