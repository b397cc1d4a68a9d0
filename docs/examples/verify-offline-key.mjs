// Checks a Beacon offline license key with nothing but a saved copy of Beacon's JWKS: what an
// air-gapped install (or its vendor's support) can run without any network.
//
//   curl -s https://BEACON/.well-known/jwks.json > jwks.json   # once, anywhere online
//   node verify-offline-key.mjs jwks.json "$OFFLINE_LICENSE_KEY" [at]
//
// Needs the `jose` package (npm install jose). Prints the key's header id and claims as JSON, or fails
// with jose's reason (bad signature, unknown kid, expired, not yet valid). `at` (ISO 8601) checks the
// key as of another time; BEACON_ISSUER overrides the expected issuer (default "beacon").
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';

const [jwksFile, licenseKey, at] = process.argv.slice(2);
if (!jwksFile || !licenseKey) {
  console.error('usage: node verify-offline-key.mjs jwks.json LICENSE_KEY [at]');
  process.exit(2);
}
const keys = createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
const { payload, protectedHeader } = await jwtVerify(licenseKey, keys, {
  issuer: process.env.BEACON_ISSUER ?? 'beacon',
  algorithms: ['ES256'],
  currentDate: at ? new Date(at) : undefined,
});
if (payload.offline !== true) throw new Error('This is not an offline license key.');
console.log(JSON.stringify({ kid: protectedHeader.kid, ...payload }));
