/**
 * A small YAML writer for plain data (maps, lists, strings, numbers, booleans, null),
 * written because the generic `yaml` stringifier builds a full document tree per call and
 * was 85% of Kubernetes emission time. Output is block style with sequences indented under
 * their key, the `yaml` package's own default look.
 *
 * Note 1 - quoting. A string is written plain only when every YAML reader takes it back as
 * the same string: YAML 1.2 (the `yaml` package, Helm 3's sigs.k8s.io/yaml reads through
 * JSON) and YAML 1.1 (go-yaml v2: yes/no/on/off booleans, 0755 octals, 1:30 sexagesimals,
 * dates). Otherwise double quotes (JSON escapes), or single quotes for a string holding '"'
 * and no control character, so Helm template actions such as {{ required "x" .Values.y }}
 * survive (Go templates cannot read a backslash-escaped quote). Multi-line strings become
 * literal blocks when that is lossless. test/yaml-writer.test.ts round-trips random data
 * through both YAML 1.2 and 1.1 parsing.
 */

const RESERVED_1_1 = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;
const NUMBER_LIKE = /^(?:[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?0[xob][0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;
const DATE_LIKE = /^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/;
/** Safe characters anywhere in a plain scalar (printable ASCII minus indicators that matter mid-string). */
const PLAIN_CHARS = /^(?:[A-Za-z0-9_./$]|-(?! ))[A-Za-z0-9 _./:@=+,()$%^~;<>?*&!'"#[\]{}-]*$/;
/** Made only of number-ish characters: some 1.1 reader may take it as a number ("." and "e0" are NaN to one). */
const NUMERIC_CHARS = /^[-+]?[0-9._:]*(?:[eE][-+]?[0-9]+)?$/;

function isPlainSafe(s: string): boolean {
  if (s === '' || s !== s.trim() || !PLAIN_CHARS.test(s)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  return !RESERVED_1_1.test(s) && !NUMBER_LIKE.test(s) && !NUMERIC_CHARS.test(s) && !DATE_LIKE.test(s);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** Plain when safe; else double quotes, or single quotes when that avoids escaping a '"'. */
export function scalar(s: string): string {
  let out = scalarCache.get(s);
  if (out === undefined) {
    out = isPlainSafe(s) ? s : s.includes('"') && !CONTROL.test(s) ? `'${s.replace(/'/g, "''")}'` : JSON.stringify(s);
    // Labels, names and keys repeat across documents: remember them, within a bound.
    if (scalarCache.size > 50_000) scalarCache.clear();
    scalarCache.set(s, out);
  }
  return out;
}
const scalarCache = new Map<string, string>();

/** Literal block lines for a multi-line string, or undefined when a block would not be lossless. */
function literalBlock(s: string): { header: string; lines: string[] } | undefined {
  const trailing = /\n*$/.exec(s)![0].length;
  if (trailing > 1) return undefined;
  const body = trailing === 1 ? s.slice(0, -1) : s;
  const lines = body.split('\n');
  // eslint-disable-next-line no-control-regex
  if (lines[0]!.startsWith(' ') || lines[0] === '' || lines.some((l) => /[ \t]$/.test(l) || /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029\ufeff\t]/.test(l))) return undefined;
  return { header: trailing === 1 ? '|' : '|-', lines };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A map with at least one defined value (undefined values are not written, as in JSON). */
const hasEntries = (m: Record<string, unknown>): boolean => Object.values(m).some((x) => x !== undefined);

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  return scalar(String(v));
}

/** Appends `prefix` + value; `indent` is the indentation of nested lines. */
function writeValue(out: string[], prefix: string, v: unknown, indent: string): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(`${prefix}[]`);
    else {
      if (prefix.trim() !== '' || prefix.endsWith(':')) out.push(prefix.trimEnd());
      writeSeq(out, v, indent, prefix.trim() === '' ? prefix : undefined);
    }
  } else if (isMap(v)) {
    if (!hasEntries(v)) out.push(`${prefix}{}`);
    else {
      if (prefix.trim() !== '') out.push(prefix.trimEnd());
      writeMap(out, v, indent, prefix.trim() === '' ? prefix : undefined);
    }
  } else if (typeof v === 'string' && v.includes('\n') && literalBlock(v)) {
    const block = literalBlock(v)!;
    out.push(`${prefix}${block.header}`);
    for (const line of block.lines) out.push(line === '' ? '' : `${indent}${line}`);
  } else out.push(`${prefix}${scalarText(v)}`);
}

/** Key order: the caller's comparator, or insertion order. Set per writeYaml call. */
let order: ((a: string, b: string) => number) | undefined;
const keysOf = (m: Record<string, unknown>): string[] => (order ? Object.keys(m).sort(order) : Object.keys(m));

/** `first` replaces the indentation of the first line (a map or list starting on a "- " line). */
function writeMap(out: string[], m: Record<string, unknown>, indent: string, first?: string): void {
  let lead = first;
  for (const k of keysOf(m)) {
    const v = m[k];
    if (v === undefined) continue;
    const start = lead ?? indent;
    lead = undefined;
    const key = `${start}${scalar(k)}:`;
    if ((Array.isArray(v) && v.length > 0) || (isMap(v) && hasEntries(v))) {
      out.push(key);
      if (Array.isArray(v)) writeSeq(out, v, `${indent}  `);
      else writeMap(out, v, `${indent}  `);
    } else writeValue(out, `${key} `, v, `${indent}  `);
  }
}

function writeSeq(out: string[], list: readonly unknown[], indent: string, first?: string): void {
  let lead = first;
  for (const item of list) {
    const start = `${lead ?? indent}- `;
    lead = undefined;
    const nested = `${indent}  `;
    if (isMap(item) && hasEntries(item)) writeMap(out, item, nested, start);
    else if (Array.isArray(item) && item.length > 0) writeSeq(out, item, nested, start);
    else writeValue(out, start, item, nested);
  }
}

/** One YAML document for a plain value, ending with a newline; map keys ordered by `compare` when given. */
export function writeYaml(value: unknown, compare?: (a: string, b: string) => number): string {
  const out: string[] = [];
  order = compare;
  try {
    if (isMap(value) && hasEntries(value)) writeMap(out, value, '');
    else if (Array.isArray(value) && value.length > 0) writeSeq(out, value, '');
    else writeValue(out, '', value, '  ');
  } finally {
    order = undefined;
  }
  return `${out.join('\n')}\n`;
}
