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

export const noSecretMaterial: Rule = {
  id: 'INV014',
  title: 'No secret material in any artifact',
  principle: 'secret hygiene',
  severity: 'error',
  hint: 'keep secrets in Secrets Manager and reference them; never write values into the spec or the output',
  help: 'No artifact contains AWS keys, private keys, tokens, passwords or high-entropy strings under secret-like keys.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { path, content } of ctx.texts) {
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
