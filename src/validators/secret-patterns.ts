/**
 * What secret material looks like, shared by the spec-level check (spec-text.ts, at the spec
 * line, before anything is emitted) and the artifact-level invariant INV014 (policies), so
 * the two can never disagree about what a secret is.
 */

/** Formats of material that must never be committed (from common secret scanners). */
export const SECRET_FORMATS: readonly (readonly [string, RegExp])[] = [
  ['AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['private key', /-----BEGIN ((RSA|EC|DSA|OPENSSH|PGP) )?PRIVATE KEY( BLOCK)?-----/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['Slack token', /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/],
  // scheme://user:password@host: a connection string with its password in it.
  ['password in a URL', /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i],
];

/** A cheap first look: a string that matches none of these cannot match a format above. */
export const MAY_BE_A_SECRET_FORMAT = /AKIA|ASIA|-----BEGIN|gh[pousr]_|xox[baprs]-|:\/\//;

/** Shannon entropy per character: random keys score high, words and identifiers low. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / s.length) * Math.log2(c / s.length);
  return h;
}

/** 20+ characters of base64-ish text with the entropy of random bytes (an AWS secret key is 40). */
export const highEntropy = (v: string): boolean => /^[A-Za-z0-9+/=_-]{20,}$/.test(v) && entropy(v) > 4 && !/^[a-z0-9-]+$/.test(v);

/**
 * The name of a variable or key that holds a secret: DATABASE_PASSWORD, JWT_SECRET, GITHUB_TOKEN,
 * API_KEY, AWS_SECRET_ACCESS_KEY, DB_PASS, client-credentials. Not SECRET_NAME, TOKEN_URL or
 * AWS_ACCESS_KEY_ID (an id, whose AKIA value the formats above catch).
 */
export const SECRET_NAME = /(password|passwd|passphrase|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|secret[_-]?key|credentials?|(^|[_-])pass)$/i;

/**
 * A value that cannot itself be a secret even under a secret-looking name: nothing, a flag, a
 * number, an ARN or a path naming where the secret lives, a Kubernetes $(VAR) reference.
 */
export const NOT_A_SECRET_VALUE = /^(|true|false|yes|no|on|off|\d+|arn:aws[a-z-]*:.*|\/[\w./-]*|\$\([A-Za-z_][A-Za-z0-9_]*\))$/i;
