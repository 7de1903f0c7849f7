import { entropy, highEntropy, MAY_BE_A_SECRET_FORMAT, NOT_A_SECRET_VALUE, SECRET_FORMATS, SECRET_NAME } from '../../secret-patterns.js';
import type { PolicyFinding, Rule } from '../types.js';

/** The shared formats (../../secret-patterns.ts) and, for text, a secret-like key assigned a literal. */
const PATTERNS: (readonly [string, RegExp])[] = [
  ...SECRET_FORMATS,
  // A secret-like key assigned a literal (YAML `password: x`, JSON `"password": "x"`); ARNs such as
  // "arn:aws:secretsmanager:…:secret:name" have no space after the colon and do not match.
  ['password assignment', /(?:^|[\s"'{,])(password|passwd|secret|api[_-]?key|token)["']?\s*(?::\s+|=\s*)["']?(?![{$<]|arn:|\/|"|'|\s)[^\s"',}]{8,}/im],
];

const SUSPICIOUS_KEY = /(password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)["']?\s*(?::\s+|=\s*)["']?([A-Za-z0-9+/=_-]{20,})/gi;

/** A YAML env entry as text: `- name: X` followed by `value: …` (templates rendered without data). */
const ENV_PAIR = /-\s+name:\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?[ \t]*\r?\n[ \t]*value:[ \t]*([^\n]*)/g;

/** The same two key rules, for structured data: the key itself, and the literal under it. */
const SECRET_KEY_EXACT = /^(password|passwd|secret|api[_-]?key|token)$/i;
const SECRET_KEY_SUFFIX = /(password|passwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential)$/i;
const isLiteral = (v: string): boolean => v.length >= 8 && !/^([{$<]|arn:|\/)/.test(v) && !/[\s"',}]/.test(v);

/**
 * A cheap first look: a string that matches none of these cannot match any pattern above, so
 * most strings (names, ARNs, CIDRs) are passed over after one scan instead of six.
 */
const MAY_MATCH_A_PATTERN = new RegExp(`${MAY_BE_A_SECRET_FORMAT.source}|passw|secret|api[_-]?key|token`, 'i');

/**
 * Calls visit with every string in a value and the map key it sits under (none at the top of a
 * list). A `{name, value}` pair (a Kubernetes env entry; CloudFormation tags are `{Key, Value}`)
 * stands for `name: value`: its key is the name, never the literal word "value", and `pair` is set.
 */
function eachString(value: unknown, key: string | undefined, visit: (key: string | undefined, value: string, pair?: boolean) => void): void {
  if (typeof value === 'string') visit(key, value);
  else if (Array.isArray(value)) for (const v of value) eachString(v, key, visit);
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const pairName = typeof o.name === 'string' ? o.name : typeof o.Key === 'string' ? o.Key : undefined;
    const pairValue = typeof o.name === 'string' ? o.value : o.Value;
    for (const k of Object.keys(o)) {
      if (pairName !== undefined && typeof pairValue === 'string' && (k === 'value' || k === 'Value') && o[k] === pairValue) visit(pairName, pairValue, true);
      else eachString(o[k], k, visit);
    }
  }
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
      eachString(data, undefined, (key, value, pair) => {
        // An environment variable named like a secret holds a literal: it belongs in a secretKeyRef.
        if (pair && key && SECRET_NAME.test(key) && !NOT_A_SECRET_VALUE.test(value)) out.push({ rule: this.id, message: `${path} sets ${key} to a literal value (a secret belongs in a secretKeyRef)`, artifact: path, target: key });
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
      for (const m of content.matchAll(ENV_PAIR)) {
        const value = m[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
        // A Helm action ({{ .Values… }}) is not the value: the values file is checked as data.
        if (SECRET_NAME.test(m[1]!) && !NOT_A_SECRET_VALUE.test(value) && !value.startsWith('{{')) out.push({ rule: this.id, message: `${path} sets ${m[1]} to a literal value (a secret belongs in a secretKeyRef)`, artifact: path, target: m[1]! });
      }
      for (const m of content.matchAll(SUSPICIOUS_KEY)) {
        const value = m[2]!;
        if (entropy(value) > 4 && !/^[a-z0-9-]+$/.test(value)) out.push({ rule: this.id, message: `${path} has a high-entropy value under "${m[1]}"`, artifact: path, target: m[1]! });
      }
    }
    return out;
  },
};
