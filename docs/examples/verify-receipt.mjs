// Checks a Beacon usage-report receipt with nothing but a saved copy of Beacon's JWKS, and optionally
// that it is the receipt of a given file: what a customer keeps to prove what Beacon accepted.
//
//   curl -s https://BEACON/.well-known/jwks.json > jwks.json
//   node verify-receipt.mjs jwks.json "$RECEIPT" [usage.csv]
//
// Needs the `jose` package (npm install jose). Prints the receipt's key id and payload (report_id,
// license_id, days, totals, sha256, previous_sha256) as JSON, or fails with jose's reason, or with
// "sha256 mismatch" when the file is not the one the receipt names. BEACON_ISSUER overrides the
// expected issuer (default "beacon"). Receipts chain: each one's previous_sha256 is the sha256 of the
// license's report before it (null for the first).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, compactVerify } from 'jose';

const [jwksFile, receipt, file] = process.argv.slice(2);
if (!jwksFile || !receipt) {
  console.error('usage: node verify-receipt.mjs jwks.json RECEIPT [usage.csv]');
  process.exit(2);
}
const keys = createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
const { payload, protectedHeader } = await compactVerify(receipt, keys, { algorithms: ['ES256'] });
const claims = JSON.parse(new TextDecoder().decode(payload));
if (claims.iss !== (process.env.BEACON_ISSUER ?? 'beacon')) throw new Error(`Unexpected issuer ${claims.iss}.`);
if (file) {
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (sha256 !== claims.sha256) {
    console.error(`sha256 mismatch: the file is ${sha256}, the receipt names ${claims.sha256}`);
    process.exit(1);
  }
}
console.log(JSON.stringify({ kid: protectedHeader.kid, ...claims }));
