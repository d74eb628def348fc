// Sums the <Counters> of TRX files into "N passed, N failed[, N skipped]".
// Exits 1 when a test failed or no test ran, so callers cannot mistake silence for success.
const fs = require("fs");

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of process.argv.slice(2)) {
  const counters = fs.readFileSync(file, "utf8").match(/<Counters\b[^>]*>/);
  if (!counters) continue;
  const count = (name) => Number((counters[0].match(new RegExp(`\\b${name}="(\\d+)"`)) || [0, 0])[1]);
  totals.passed += count("passed");
  totals.failed += count("failed") + count("error") + count("timeout") + count("aborted");
  totals.skipped += count("notExecuted") + count("inconclusive");
}

let line = `${totals.passed} passed, ${totals.failed} failed`;
if (totals.skipped > 0) line += `, ${totals.skipped} skipped`;
console.log(line);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
