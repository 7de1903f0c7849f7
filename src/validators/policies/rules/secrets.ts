import type { PolicyFinding, Rule } from '../types.js';

/** Patterns for material that must never be committed (from common secret scanners). */
const PATTERNS: [string, RegExp][] = [
  ['AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['private key', /-----BEGIN ((RSA|EC|DSA|OPENSSH|PGP) )?PRIVATE KEY( BLOCK)?-----/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['Slack token', /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/],
  // A secret-like key assigned a literal (YAML `password: x`, JSON `"password": "x"`); ARNs such as
  // "arn:aws:secretsmanager:…:secret:name" have no space after the colon and do not match.
  ['password assignment', /(?:^|[\s"'{,])(password|passwd|secret|api[_-]?key|token)["']?\s*(?::\s+|=\s*)["']?(?![{$<]|arn:|\/|"|'|\s)[^\s"',}]{8,}/im],
];

/** Shannon entropy per character: random keys score high, words and identifiers low. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / s.length) * Math.log2(c / s.length);
  return h;
}

const SUSPICIOUS_KEY = /(password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)["']?\s*(?::\s+|=\s*)["']?([A-Za-z0-9+/=_-]{20,})/gi;

/** The same two key rules, for structured data: the key itself, and the literal under it. */
const SECRET_KEY_EXACT = /^(password|passwd|secret|api[_-]?key|token)$/i;
const SECRET_KEY_SUFFIX = /(password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)$/i;
const isLiteral = (v: string): boolean => v.length >= 8 && !/^([{$<]|arn:|\/)/.test(v) && !/[\s"',}]/.test(v);
const highEntropy = (v: string): boolean => /^[A-Za-z0-9+/=_-]{20,}$/.test(v) && entropy(v) > 4 && !/^[a-z0-9-]+$/.test(v);

/**
 * A cheap first look: a string that matches none of these cannot match any pattern above, so
 * most strings (names, ARNs, CIDRs) are passed over after one scan instead of five.
 */
const MAY_MATCH_A_PATTERN = /AKIA|ASIA|-----BEGIN|gh[pousr]_|xox[baprs]-|passw|secret|api[_-]?key|token/i;

/** Calls visit with every string in a value and the map key it sits under (none at the top of a list). */
function eachString(value: unknown, key: string | undefined, visit: (key: string | undefined, value: string) => void): void {
  if (typeof value === 'string') visit(key, value);
  else if (Array.isArray(value)) for (const v of value) eachString(v, key, visit);
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) eachString((value as Record<string, unknown>)[k], k, visit);
}

export const noSecretMaterial: Rule = {
  id: 'INV014',
  title: 'No secret material in any artifact',
  principle: 'secret hygiene',
  severity: 'error',
  hint: 'keep secrets in Secrets Manager and reference them; never write values into the spec or the output',
  help: 'No artifact contains AWS keys, private keys, tokens, passwords or high-entropy strings under secret-like keys.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { path, data } of ctx.artifacts) {
      if (data === undefined) continue;
      // Structured data: the patterns over every string, and the key rules over key and value.
      eachString(data, undefined, (key, value) => {
        if (MAY_MATCH_A_PATTERN.test(value)) for (const [name, re] of PATTERNS) if (re.test(value)) out.push({ rule: this.id, message: `${path} contains what looks like a ${name}${key ? ` under "${key}"` : ''}`, artifact: path, target: name });
        if (key && SECRET_KEY_EXACT.test(key) && isLiteral(value)) out.push({ rule: this.id, message: `${path} contains what looks like a password assignment under "${key}"`, artifact: path, target: 'password assignment' });
        if (key && SECRET_KEY_SUFFIX.test(key) && highEntropy(value)) out.push({ rule: this.id, message: `${path} has a high-entropy value under "${key}"`, artifact: path, target: key });
      });
    }
    for (const { path, content } of ctx.texts()) {
      for (const [name, re] of PATTERNS) {
        const m = re.exec(content);
        if (m) out.push({ rule: this.id, message: `${path} contains what looks like a ${name} at offset ${m.index}`, artifact: path, target: name });
      }
      for (const m of content.matchAll(SUSPICIOUS_KEY)) {
        const value = m[2]!;
        if (entropy(value) > 4 && !/^[a-z0-9-]+$/.test(value)) out.push({ rule: this.id, message: `${path} has a high-entropy value under "${m[1]}"`, artifact: path, target: m[1]! });
      }
    }
    return out;
  },
};
