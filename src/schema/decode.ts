/**
 * Stage 2: plain data -> Spec. zod checks shape, strictness and formats and applies
 * literal defaults; its issues become findings with our codes and wording.
 */
import type * as z from 'zod/mini';
import { finding, type Finding } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../util/suggest.js';
import { credentialKeyFinding } from './credentials.js';
import { salvageSection, type SetAside } from './salvage.js';
import { specSchema, type Spec } from './spec.js';
import { keysAt } from './walk.js';

export interface Decoded {
  readonly spec: Spec | undefined;
  /** The top-level sections that decoded on their own (all of them when spec is set). */
  readonly partial: Partial<Spec>;
  readonly findings: readonly Finding[];
  /** Collection entries left out of `partial` because they have issues of their own (salvage.ts). */
  readonly setAside: readonly SetAside[];
}

export function decodeSpec(value: unknown): Decoded {
  const result = specSchema.safeParse(value);
  // Every section is sound, including optional ones that are absent (organization, ingress):
  // they are own properties (possibly undefined) so validators that read them still run.
  if (result.success) return { spec: result.data, partial: everySection(result.data), findings: [], setAside: [] };
  return { spec: undefined, ...decodeSections(value), findings: result.error.issues.flatMap((i) => issueToFindings(i, value)) };
}

const everySection = (spec: Spec): Partial<Spec> =>
  Object.fromEntries(Object.keys(specSchema.shape).map((k) => [k, spec[k as keyof Spec]])) as Partial<Spec>;

/**
 * Each section through its own schema, so validators of the sound sections can still run; a
 * section whose only issues are inside collection entries decodes without those entries.
 */
function decodeSections(value: unknown): { partial: Partial<Spec>; setAside: SetAside[] } {
  const partial: Record<string, unknown> = {};
  const setAside: SetAside[] = [];
  const input = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  for (const [key, schema] of Object.entries(specSchema.shape)) {
    const r = salvageSection(key, schema as z.ZodMiniType, Object.hasOwn(input, key) ? input[key] : undefined);
    if ('value' in r) partial[key] = r.value;
    setAside.push(...r.setAside);
  }
  return { partial: partial as Partial<Spec>, setAside };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let v: unknown = root;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, seg as string)) return { found: false, value: undefined };
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return { found: true, value: v };
}

const describe = (v: unknown): string =>
  v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a map' : typeof v === 'string' ? `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `${typeof v} ${String(v)}`;

function issueToFindings(issue: z.core.$ZodIssue, root: unknown): Finding[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(specSchema, path);
      return issue.keys.map((key) => {
        const guess = didYouMean(key, known);
        // A credential (database.password) is said where it belongs, not "unknown key" (credentials.ts).
        const credential = guess ? undefined : credentialKeyFinding(path, key);
        if (credential) return credential;
        return finding('INN011', [...path, key], `unknown key "${key}"${guess ? `; did you mean "${guess}"?` : ''}`, guess ? `rename it to "${guess}"` : known.length > 0 ? `allowed keys here: ${known.join(', ')}` : undefined);
      });
    }
    case 'invalid_type': {
      const at = valueAt(root, path);
      if (!at.found) return [finding('INN013', path, `"${String(path.at(-1))}" is required`)];
      return [finding('INN012', path, `expected ${issue.expected}, got ${describe(at.value)}`)];
    }
    case 'too_small':
    case 'too_big': {
      const word = issue.code === 'too_small' ? (issue.inclusive === false ? 'more than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most';
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' || issue.origin === 'set' ? ' items' : '';
      return [finding('INN014', path, `must be ${word} ${String(bound)}${unit}`)];
    }
    case 'invalid_format':
      return [finding('INN015', path, issue.message.startsWith('must') ? issue.message : `is not a valid ${issue.format}`)];
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      const at = valueAt(root, path);
      if (path.length === 1 && (path[0] === 'apiVersion' || path[0] === 'kind')) {
        return [finding('INN017', path, at.found ? `must be ${allowed.join(' or ')}, got ${describe(at.value)}` : `"${String(path[0])}" is required and must be ${allowed.join(' or ')}`)];
      }
      const guess = typeof at.value === 'string' ? didYouMean(at.value, allowed) : undefined;
      return [finding('INN016', path, `must be one of: ${allowed.join(', ')}${guess ? `; did you mean "${guess}"?` : ''}`)];
    }
    case 'invalid_key':
      // zod reports a bad record key at the key's path: say which key, and point at it.
      return [{ ...finding('INN015', path, `the key ${JSON.stringify(String(path.at(-1)))} ${issue.issues.flatMap((i) => issueToFindings(i, undefined)).map((f) => f.message).join('; ')}`), atKey: true }];
    case 'invalid_element':
      return issue.issues.flatMap((i) => issueToFindings({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue, root));
    case 'invalid_union':
      return [finding('INN012', path, 'does not match any allowed form')];
    case 'not_multiple_of':
      return [finding('INN014', path, `must be a multiple of ${String(issue.divisor)}`)];
    case 'custom':
    default:
      return [finding('INN018', path, issue.message)];
  }
}
