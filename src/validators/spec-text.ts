/**
 * Free text in the spec never becomes code or a secret downstream. Two checks over every string
 * (and every map key) of every section, at the line that holds it:
 *   INN070  text another tool would evaluate: "${{" (GitHub Actions expressions, wherever a
 *           workflow holds the value) and "{{resolve:" (CloudFormation dynamic references, in
 *           any property of any template).
 *   INN071  secrets: a variable named like a secret with a literal value, a value with the shape
 *           of a key or token, anywhere a value reaches an artifact.
 * Environment overrides are checked in the merged spec, so a finding points at the override
 * that set the value.
 */
import { finding, type Finding, type SpecPath } from '../diagnostics/diagnostic.js';
import { highEntropy, MAY_BE_A_SECRET_FORMAT, NOT_A_SECRET_VALUE, SECRET_FORMATS, SECRET_NAME } from './secret-patterns.js';
import type { Validator } from './registry.js';

/** Calls visit with every string and map key under value, with its path (keys: atKey). */
function eachText(value: unknown, path: SpecPath, visit: (path: SpecPath, text: string, atKey: boolean) => void): void {
  if (typeof value === 'string') visit(path, value, false);
  else if (Array.isArray(value)) value.forEach((v, i) => eachText(v, [...path, i], visit));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit([...path, k], k, true);
      eachText(v, [...path, k], visit);
    }
  }
}

/** Every section but `environments`: its overrides are merged into the others (and checked there). */
function eachSpecText(spec: object, visit: (path: SpecPath, text: string, atKey: boolean) => void): void {
  for (const [section, value] of Object.entries(spec)) if (section !== 'environments') eachText(value, [section], visit);
}

const EVALUATED: readonly (readonly [RegExp, string])[] = [
  [/\$\{\{/, '"${{" starts a GitHub Actions expression, which GitHub evaluates wherever a workflow holds it'],
  [/\{\{\s*resolve:/i, '"{{resolve:" is a CloudFormation dynamic reference, which CloudFormation resolves in any template property'],
];

const evaluatedText: Validator = ({ spec }) => {
  const out: Finding[] = [];
  eachSpecText(spec, (path, text, atKey) => {
    for (const [re, why] of EVALUATED) {
      if (!re.test(text)) continue;
      const f = finding('INN070', path, `${atKey ? 'the key' : 'the value'} ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)} holds ${why}`);
      out.push(atKey ? { ...f, atKey: true } : f);
    }
  });
  return out;
};

/** How to keep a value in Secrets Manager instead, for the variable `name` of workload `w`. */
export const secretHint = (w: string, name: string): string =>
  `keep the value in AWS Secrets Manager: declare security.secrets.<secret> (innovate creates it; set its value with aws secretsmanager put-secret-value), then reference it with workloads.${w}.secrets.${name}: { secret: <secret>, key: <json key> } and remove it from env`;

const GENERIC_HINT =
  'secrets never pass through the spec: declare the secret under security.secrets (innovate creates it in Secrets Manager) and reference it, e.g. workloads.<name>.secrets.<VAR>: { secret: <secret>, key: <json key> }';

const plaintextSecrets: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const flagged = new Set<string>();
  const push = (path: SpecPath, message: string, hint: string) => {
    flagged.add(path.join('\u0000'));
    out.push(finding('INN071', path, message, hint));
  };
  // Plain environment variables reach the pod spec as they are: a name or a value that says secret.
  for (const [w, wl] of Object.entries(spec.workloads ?? {})) {
    for (const [name, value] of Object.entries(wl.env)) {
      const path = ['workloads', w, 'env', name];
      if (SECRET_NAME.test(name) && !NOT_A_SECRET_VALUE.test(value)) push(path, `env ${name} of workload "${w}" is named like a secret and holds a literal value`, secretHint(w, name));
      else if (highEntropy(value)) push(path, `env ${name} of workload "${w}" holds a high-entropy value that looks like a key or token`, secretHint(w, name));
    }
  }
  // Tags and node labels are free-form maps too: a secret-looking key with a literal value.
  const freeMaps: [SpecPath, Record<string, string>][] = [[['metadata', 'tags'], spec.metadata?.tags ?? {}]];
  for (const [p, pool] of Object.entries(spec.cluster?.nodePools ?? {})) freeMaps.push([['cluster', 'nodePools', p, 'labels'], pool.labels]);
  for (const [base, map] of freeMaps) {
    for (const [k, v] of Object.entries(map)) if (SECRET_NAME.test(k) && !NOT_A_SECRET_VALUE.test(v)) push([...base, k], `"${k}" is named like a secret and holds a literal value`, GENERIC_HINT);
  }
  // Anywhere else: a value with the shape of a key, a token or a password in a URL.
  eachSpecText(spec, (path, text) => {
    if (!MAY_BE_A_SECRET_FORMAT.test(text) || flagged.has(path.join('\u0000'))) return;
    const hit = SECRET_FORMATS.find(([, re]) => re.test(text));
    if (!hit) return;
    const [, w, , name] = path;
    const hint = path[0] === 'workloads' && path[2] === 'env' && typeof w === 'string' && typeof name === 'string' ? secretHint(w, name) : GENERIC_HINT;
    push(path, `this value looks like a ${hit[0]}`, hint);
  });
  return out;
};

export const specTextValidators = [
  ['evaluated-text', evaluatedText, []],
  ['plaintext-secrets', plaintextSecrets, []],
] as const;
