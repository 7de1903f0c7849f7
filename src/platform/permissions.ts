/**
 * Permissions: does a set of IAM policy statements allow a request, and what does an upstream
 * policy grant that ours does not. Pure functions over plain policy JSON (no AWS calls).
 *
 * The evaluator implements the parts of IAM's identity-policy logic that innovate's and the
 * upstream controller policies use:
 *   - Action / NotAction, matched case-insensitively with `*` and `?` wildcards;
 *   - Resource / NotResource, matched case-sensitively with `*` and `?`;
 *   - an explicit Deny beats any Allow; nothing matching is an implicit deny;
 *   - Condition: every operator must hold and, within an operator, every key; a key with several
 *     values holds if one value matches. Operators: String(Not)Equals(IgnoreCase), String(Not)Like,
 *     Arn(Not)Equals / Arn(Not)Like, Bool, Null, Numeric*, the `IfExists` suffix and the
 *     `ForAllValues:` / `ForAnyValue:` set prefixes. A missing key fails a positive operator and
 *     satisfies a negated one (as IAM documents); `...IfExists` is satisfied by a missing key.
 * Service control policies are evaluated as what they are, deny lists: `denyingStatements` gives the
 * Deny statements that apply to a request (src/platform/scp.ts builds the deploy path's requests).
 * Not modelled (none of the compared policies use them): Principal / NotPrincipal (identity policies
 * only), policy variables (`${aws:...}` in values are compared literally), Date* and IpAddress
 * operators (a statement using one never matches), permission boundaries, session policies.
 *
 * `compareToUpstream` checks containment: for each upstream Allow statement, each action and each
 * resource pattern, it builds the requests that the upstream statement's condition admits (one per
 * combination of listed values, a missing key where upstream allows it through `Null: true` or
 * `IfExists`) and asks the evaluator, in *symbolic* mode, whether ours allows them. In symbolic mode
 * a `*` in the request (an upstream resource pattern, a `StringLike "*"` value) stands for any text:
 * our pattern must cover it (our `*` covers it, a literal does not). What ours does not grant is a
 * gap unless a listed narrowing, with its reason, accounts for it.
 */
import type { PolicyStatement } from './types.js';

export type { PolicyStatement };

/** A request to authorize: the action, the resource ARN ("*" for actions without resource types), the condition context. */
export interface PermissionRequest {
  readonly action: string;
  readonly resource: string;
  /** condition keys (case-insensitive) to their value(s); a key absent here is absent from the request. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface Decision {
  readonly allowed: boolean;
  readonly reason: 'allowed' | 'explicit-deny' | 'implicit-deny';
  /** the Sid (or index) of the deciding statement(s). */
  readonly statements: readonly string[];
}

export interface EvaluateOptions {
  /**
   * Symbolic requests: a `*` in the request's resource or context values stands for any text, and a
   * statement allows the request only if it allows every text the `*` can stand for (containment).
   * A Deny applies if it matches any of them (approximated: the request with each `*` read as `*`).
   */
  readonly symbolic?: boolean;
}

const list = <T>(v: T | readonly T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? [...(v as readonly T[])] : [v as T]);

const regexCache = new Map<string, RegExp>();
/**
 * A glob (`*` any sequence, `?` one character) as a regular expression. In symbolic mode the
 * subject's own `*` is "any text": only a `*` of the pattern may consume it, never a literal or `?`.
 */
function globRegex(pattern: string, ignoreCase: boolean, symbolic: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 'c'}${symbolic ? 's' : 'c'}${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? (symbolic ? '[^*]' : '.') : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    regexCache.set(key, re);
  }
  return re;
}

/** Does a wildcard pattern (IAM `*` / `?`) match a value? */
export const wildcardMatch = (pattern: string, value: string, options: { ignoreCase?: boolean; symbolic?: boolean } = {}): boolean => {
  if (options.symbolic && value.includes('*') && !pattern.includes('*')) return false;
  return globRegex(pattern, options.ignoreCase ?? false, options.symbolic ?? false).test(value);
};

/** An action pattern (service:Name*) against an action; actions are case-insensitive. */
export const actionMatches = (pattern: string, action: string): boolean => pattern === '*' || wildcardMatch(pattern, action, { ignoreCase: true });

const resourceMatches = (pattern: string, resource: string, symbolic: boolean): boolean => pattern === '*' || wildcardMatch(pattern, resource, { symbolic });

const statementActions = (s: PolicyStatement): { patterns: string[]; not: boolean } =>
  s.NotAction !== undefined ? { patterns: list(s.NotAction), not: true } : { patterns: list(s.Action), not: false };

function appliesToAction(s: PolicyStatement, action: string): boolean {
  const { patterns, not } = statementActions(s);
  const hit = patterns.some((p) => actionMatches(p, action));
  return not ? !hit : hit;
}

function appliesToResource(s: PolicyStatement, resource: string, symbolic: boolean): boolean {
  const st = s as PolicyStatement & { NotResource?: unknown };
  if (st.NotResource !== undefined) return !list(st.NotResource as string | string[]).some((p) => typeof p === 'string' && resourceMatches(p, resource, false));
  // a statement without Resource (trust policies) applies to the role itself: any resource here.
  if (s.Resource === undefined) return true;
  return list(s.Resource as string | string[]).some((p) => typeof p === 'string' && resourceMatches(p, resource, symbolic));
}

type Context = Readonly<Record<string, string | readonly string[]>>;

const lookup = (ctx: Context | undefined, key: string): string[] | undefined => {
  if (!ctx) return undefined;
  const k = key.toLowerCase();
  for (const [name, v] of Object.entries(ctx)) if (name.toLowerCase() === k) return list(v as string | string[]);
  return undefined;
};

/** One value against one condition value, for an operator's base name (StringEquals, ArnLike, ...). */
function valueMatches(base: string, expected: string, actual: string, symbolic: boolean): boolean | undefined {
  switch (base) {
    case 'StringEquals':
    case 'ArnEquals':
      // ArnEquals behaves like ArnLike in IAM (wildcards allowed); StringEquals is exact.
      if (base === 'ArnEquals') return wildcardMatch(expected, actual, { symbolic });
      return expected === actual;
    case 'StringEqualsIgnoreCase':
      return expected.toLowerCase() === actual.toLowerCase();
    case 'StringLike':
    case 'ArnLike':
      return wildcardMatch(expected, actual, { symbolic });
    case 'Bool':
      return expected.toLowerCase() === actual.toLowerCase();
    case 'NumericEquals':
      return Number(actual) === Number(expected);
    case 'NumericLessThan':
      return Number(actual) < Number(expected);
    case 'NumericLessThanEquals':
      return Number(actual) <= Number(expected);
    case 'NumericGreaterThan':
      return Number(actual) > Number(expected);
    case 'NumericGreaterThanEquals':
      return Number(actual) >= Number(expected);
    default:
      return undefined;
  }
}

const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
};

/** Does one condition operator/key hold for the request context? */
export function conditionHolds(operator: string, key: string, expected: unknown, ctx: Context | undefined, symbolic = false): boolean {
  let op = operator;
  let set: 'all' | 'any' | undefined;
  if (op.startsWith('ForAllValues:')) [set, op] = ['all', op.slice('ForAllValues:'.length)];
  else if (op.startsWith('ForAnyValue:')) [set, op] = ['any', op.slice('ForAnyValue:'.length)];
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  const values = list(expected as string | string[]).map(String);
  const actual = lookup(ctx, key);
  if (op === 'Null') {
    const wantAbsent = values.some((v) => v.toLowerCase() === 'true');
    return wantAbsent ? actual === undefined || actual.length === 0 : actual !== undefined && actual.length > 0;
  }
  const negatedBase = NEGATED[op];
  const base = negatedBase ?? op;
  if (valueMatches(base, '', '', symbolic) === undefined) return false; // operator not modelled: never holds
  const one = (a: string): boolean => values.some((e) => valueMatches(base, e, a, symbolic) === true);
  if (actual === undefined || actual.length === 0) {
    if (set === 'all') return true; // ForAllValues over an empty set holds
    if (set === 'any') return false;
    return ifExists || negatedBase !== undefined;
  }
  if (set === 'all') return actual.every((a) => (negatedBase ? !one(a) : one(a)));
  if (set === 'any') return actual.some((a) => (negatedBase ? !one(a) : one(a)));
  // a single-valued key: the request's (first) value against the listed values.
  return actual.every((a) => (negatedBase ? !one(a) : one(a)));
}

/** Does a statement's whole Condition block hold? */
export function conditionsHold(condition: unknown, ctx: Context | undefined, symbolic = false): boolean {
  if (condition === undefined || condition === null) return true;
  if (typeof condition !== 'object') return false;
  for (const [op, keys] of Object.entries(condition as Record<string, unknown>)) {
    if (!keys || typeof keys !== 'object') return false;
    for (const [key, expected] of Object.entries(keys as Record<string, unknown>)) if (!conditionHolds(op, key, expected, ctx, symbolic)) return false;
  }
  return true;
}

const label = (s: PolicyStatement, i: number): string => s.Sid ?? `#${i}`;

/** Which statements apply to the request (action, resource and condition all match). */
export function matchingStatements(statements: readonly PolicyStatement[], request: PermissionRequest, options: EvaluateOptions = {}): { allow: string[]; deny: string[] } {
  const symbolic = options.symbolic ?? false;
  const allow: string[] = [];
  const deny: string[] = [];
  statements.forEach((s, i) => {
    if (!appliesToAction(s, request.action)) return;
    if ((s.Effect ?? 'Allow') === 'Deny') {
      // a Deny applies if it matches any request the symbolic one stands for: read its `*` literally (our `*` covers it).
      if (appliesToResource(s, request.resource, false) && conditionsHold(s.Condition, request.context, false)) deny.push(label(s, i));
      return;
    }
    if (appliesToResource(s, request.resource, symbolic) && conditionsHold(s.Condition, request.context, symbolic)) allow.push(label(s, i));
  });
  return { allow, deny };
}

/** IAM's decision for one request against identity-policy statements: explicit Deny, then Allow, else implicit deny. */
export function evaluate(statements: readonly PolicyStatement[], request: PermissionRequest, options: EvaluateOptions = {}): Decision {
  const { allow, deny } = matchingStatements(statements, request, options);
  if (deny.length) return { allowed: false, reason: 'explicit-deny', statements: deny };
  if (allow.length) return { allowed: true, reason: 'allowed', statements: allow };
  return { allowed: false, reason: 'implicit-deny', statements: [] };
}

export const isAllowed = (statements: readonly PolicyStatement[], request: PermissionRequest, options: EvaluateOptions = {}): boolean => evaluate(statements, request, options).allowed;

/** The statements of a policy document (a single statement object or a list). */
export function statementsOf(document: unknown): PolicyStatement[] {
  const s = document && typeof document === 'object' ? (document as { Statement?: unknown }).Statement : undefined;
  return (Array.isArray(s) ? s : s && typeof s === 'object' ? [s] : []).filter((x): x is PolicyStatement => !!x && typeof x === 'object');
}

/**
 * All statements a role holds: its own documents (inline and customer managed) and the AWS managed
 * policies it attaches, resolved by ARN (e.g. through src/inventory's managedPolicyByArn). An ARN
 * the resolver does not know is returned in `unresolved` (its permissions are unknown, not empty).
 */
export function roleStatements(
  documents: readonly unknown[],
  managedPolicyArns: readonly string[],
  resolve: (arn: string) => { document: unknown } | undefined,
): { statements: PolicyStatement[]; unresolved: string[] } {
  const statements = documents.flatMap(statementsOf);
  const unresolved: string[] = [];
  for (const arn of managedPolicyArns) {
    const p = resolve(arn);
    if (p) statements.push(...statementsOf(p.document));
    else unresolved.push(arn);
  }
  return { statements, unresolved };
}

/** Replace `${Name}` placeholders (CloudFormation Fn::Sub style) in every string of a JSON value. */
export function substitute<T>(value: T, variables: Readonly<Record<string, string>>): T {
  const sub = (s: string): string => s.replace(/\$\{([^}!]+)\}/g, (m, name: string) => variables[name] ?? m);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return sub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [sub(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** A deliberate difference: upstream grants it, we do not (or only more narrowly), and why. */
export interface Narrowing {
  /** upstream statement Sid (exact), when the narrowing is about one statement. */
  readonly sid?: string;
  /** action pattern(s) the narrowing covers. */
  readonly action: string | readonly string[];
  /** resource pattern(s) it covers (upstream's resource text); any resource when absent. */
  readonly resource?: string | readonly string[];
  /**
   * The condition values it covers: each key's value in the request upstream admits must be one of
   * these (so a narrowing of one value, e.g. the China partition's service name, does not also
   * excuse the others); any context when absent.
   */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  readonly reason: string;
}

/** One upstream grant we do not match: the upstream statement, the action, the resource and the request that failed. */
export interface Gap {
  readonly policy?: string;
  readonly sid?: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export interface UpstreamComparison {
  /** upstream grants we do not match and no narrowing explains. */
  readonly gaps: readonly Gap[];
  /** upstream grants we do not match, each with the narrowing that explains it. */
  readonly narrowed: readonly (Gap & { readonly reason: string })[];
  /** narrowings that explained nothing (stale entries). */
  readonly unusedNarrowings: readonly Narrowing[];
}

const MAX_CONTEXTS = 256;

/**
 * The request contexts an upstream condition admits: each key takes each listed value in turn
 * (a StringLike pattern stands for itself, symbolically); `Null: true` and `...IfExists` keys are
 * also tried absent; `ForAllValues`/`ForAnyValue` keys take their whole value list.
 */
export function contextsAdmittedBy(condition: unknown): Record<string, string | string[]>[] {
  let contexts: Record<string, string | string[]>[] = [{}];
  if (!condition || typeof condition !== 'object') return contexts;
  const choices: [string, (string | string[] | undefined)[]][] = [];
  for (const [op, keys] of Object.entries(condition as Record<string, unknown>)) {
    if (!keys || typeof keys !== 'object') continue;
    const set = op.startsWith('ForAllValues:') || op.startsWith('ForAnyValue:');
    const base = op.replace(/^For(All|Any)Values?:/, '');
    for (const [key, expected] of Object.entries(keys as Record<string, unknown>)) {
      const values = list(expected as string | string[]).map(String);
      let options: (string | string[] | undefined)[];
      if (base === 'Null') options = values.some((v) => v.toLowerCase() === 'true') ? [undefined] : ['*'];
      else if (/Not/.test(base)) options = [undefined];
      else if (set) options = [values];
      else options = values;
      if (base.endsWith('IfExists') && !options.includes(undefined)) options = [...options, undefined];
      choices.push([key, options]);
    }
  }
  for (const [key, options] of choices) {
    const next: Record<string, string | string[]>[] = [];
    for (const c of contexts) {
      const existing = Object.keys(c).find((k) => k.toLowerCase() === key.toLowerCase());
      for (const o of options) {
        if (existing !== undefined) {
          next.push(c); // the same key under two operators (e.g. StringEquals and StringLike): keep the first value
          break;
        }
        next.push(o === undefined ? c : { ...c, [key]: o });
      }
    }
    contexts = next.slice(0, MAX_CONTEXTS);
  }
  return contexts;
}

const coversContext = (expected: Narrowing['context'], context: Readonly<Record<string, string | readonly string[]>>): boolean =>
  expected === undefined ||
  Object.entries(expected).every(([key, values]) => {
    const actual = lookup(context, key);
    return actual !== undefined && actual.every((a) => list(values as string | string[]).includes(a));
  });

const covers = (patterns: string | readonly string[] | undefined, value: string, ignoreCase: boolean): boolean =>
  patterns === undefined || list(patterns).some((p) => p === value || wildcardMatch(p, value, { ignoreCase }));

/**
 * Every upstream Allow (action, resource, admitted context) that `ours` does not allow, minus the
 * listed narrowings. `upstream` is a list of documents (already substituted: cluster name, region,
 * account, logical ids); `ours` the statements our role holds (see roleStatements).
 */
export function compareToUpstream(
  ours: readonly PolicyStatement[],
  upstream: readonly { readonly Id?: string; readonly Statement: readonly unknown[] }[],
  narrowings: readonly Narrowing[] = [],
): UpstreamComparison {
  const gaps: Gap[] = [];
  const narrowed: (Gap & { reason: string })[] = [];
  const used = new Set<Narrowing>();
  // Our statements that name an action, computed once per action (the requests of one action share them).
  const byAction = new Map<string, PolicyStatement[]>();
  const oursFor = (action: string): PolicyStatement[] => {
    let found = byAction.get(action.toLowerCase());
    if (!found) byAction.set(action.toLowerCase(), (found = ours.filter((s) => appliesToAction(s, action))));
    return found;
  };
  for (const doc of upstream) {
    for (const s of statementsOf(doc)) {
      if ((s.Effect ?? 'Allow') !== 'Allow') continue;
      if (s.NotAction !== undefined) continue; // an upstream NotAction grant cannot be enumerated; none of the compared policies has one
      const resources = s.Resource === undefined ? ['*'] : list(s.Resource as string | string[]).map(String);
      const contexts = contextsAdmittedBy(s.Condition);
      for (const action of list(s.Action).map(String)) {
        for (const resource of resources) {
          const candidates = oursFor(action);
          const failed = contexts.filter((context) => !isAllowed(candidates, { action, resource, context }, { symbolic: true }));
          if (failed.length === 0) continue;
          const gapOf = (context: Gap['context']): Gap => ({ ...(doc.Id ? { policy: doc.Id } : {}), ...(s.Sid ? { sid: s.Sid } : {}), action, resource, context });
          const explained = failed.map((context) => ({ context, n: narrowings.find((x) => (x.sid === undefined || x.sid === s.Sid) && covers(x.action, action, true) && covers(x.resource, resource, false) && coversContext(x.context, context)) }));
          const unexplained = explained.find((e) => !e.n);
          if (unexplained) gaps.push(gapOf(unexplained.context));
          else {
            for (const e of explained) used.add(e.n!);
            narrowed.push({ ...gapOf(explained[0]!.context), reason: explained[0]!.n!.reason });
          }
        }
      }
    }
  }
  return { gaps, narrowed, unusedNarrowings: narrowings.filter((n) => !used.has(n)) };
}

/** A gap as one line, for test failures and reports. */
export const formatGap = (g: Gap): string =>
  `${g.policy ? `${g.policy}/` : ''}${g.sid ?? '(no Sid)'}: ${g.action} on ${g.resource}${Object.keys(g.context).length ? ` with ${JSON.stringify(g.context)}` : ''}`;

/**
 * A CloudFormation policy value as plain text the evaluator can compare: `Fn::Sub` strings with the
 * pseudo parameters and `variables` filled in, `Ref X` as `${X}` and `GetAtt X.Attr` as `${X.Attr}`
 * (upstream's own placeholders for the same logical ids, e.g. `${KarpenterNodeRole.Arn}`), `Fn::Join`
 * joined. `reference(name, attribute)` may name what a Ref or GetAtt stands for instead (an ARN, or one
 * symbol for a resource however it is referenced); undefined keeps the placeholder.
 */
export function cfnText(value: unknown, variables: Readonly<Record<string, string>>, reference: (name: string, attribute?: string) => string | undefined = () => undefined): unknown {
  const symbol = (name: string, attribute?: string): string => reference(name, attribute) ?? variables[attribute ? `${name}.${attribute}` : name] ?? `\${${attribute ? `${name}.${attribute}` : name}}`;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.Ref === 'string') return symbol(o.Ref);
    if (keys.length === 1 && Array.isArray(o['Fn::GetAtt'])) return symbol(String(o['Fn::GetAtt'][0]), String(o['Fn::GetAtt'][1]));
    if (keys.length === 1 && typeof o['Fn::Sub'] === 'string')
      return (o['Fn::Sub'] as string).replace(/\$\{([^}!]+)\}/g, (_m, ref: string) => {
        const dot = ref.indexOf('.');
        return variables[ref] ?? (dot > 0 && !ref.startsWith('AWS::') ? symbol(ref.slice(0, dot), ref.slice(dot + 1)) : symbol(ref));
      });
    if (keys.length === 1 && Array.isArray(o['Fn::Join']) && Array.isArray((o['Fn::Join'] as unknown[])[1]))
      return ((o['Fn::Join'] as unknown[])[1] as unknown[]).map((x) => String(walk(x))).join(String((o['Fn::Join'] as unknown[])[0]));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(value);
}

/** CloudFormation's pseudo parameters for one account and region (partition aws unless given). */
export const pseudoParameters = (accountId: string, region: string, partition = 'aws'): Record<string, string> => ({
  'AWS::Partition': partition,
  'AWS::Region': region,
  'AWS::AccountId': accountId,
  'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
});

/**
 * The Deny statements that apply to a request (action, resource and condition), e.g. of service
 * control policies: an SCP never grants, it only takes away what identity policies allow, so a
 * request is refused by the SCPs exactly when one of their Deny statements applies (the
 * FullAWSAccess policy AWS attaches by default stays attached: innovate never detaches it).
 */
export const denyingStatements = (statements: readonly PolicyStatement[], request: PermissionRequest): string[] =>
  matchingStatements(
    statements.filter((s) => s.Effect === 'Deny'),
    request,
  ).deny;
