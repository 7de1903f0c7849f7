/**
 * Stage 1: text -> YAML document with source positions. Refuses hostile input (size,
 * alias bombs, deep nesting, prototype keys, several documents) with findings, never
 * with an exception.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Parser, visit, type CST, type Document, type Node } from 'yaml';
import type { Code } from '../diagnostics/codes.js';

export const MAX_SOURCE_BYTES = 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A finding placed by character offset (turned into line:column by the caller). */
export interface SourceFinding {
  readonly code: Code;
  readonly message: string;
  readonly offset: number;
  readonly path: readonly (string | number)[];
}

export interface ParsedSource {
  readonly text: string;
  readonly doc: Document.Parsed | undefined;
  readonly lineCounter: LineCounter;
  /** The document as plain data (undefined when it could not be built safely). */
  readonly value: unknown;
  readonly findings: readonly SourceFinding[];
}

export function parseSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const findings: SourceFinding[] = [];
  const fail = (code: Code, message: string, offset = 0): ParsedSource => {
    findings.push({ code, message, offset, path: [] });
    return { text, doc: undefined, lineCounter, value: undefined, findings };
  };
  if (text.length > MAX_SOURCE_BYTES) return fail('INN002', `the spec is ${text.length} characters; the limit is ${MAX_SOURCE_BYTES}`);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  // Line by line, not one regular expression: /^(\s*#.*\n?)*\s*$/ backtracks exponentially on "####…x".
  if (text.split('\n').every((l) => /^\s*(#.*)?$/.test(l))) return fail('INN004', 'the spec is empty (only comments and blank lines)');

  let list: Document.Parsed[];
  try {
    // The CST parser is iterative; the composer that builds the AST recurses once per
    // nesting level, and near the stack limit V8 can even abort the process while it
    // compiles a regular expression. So the depth is measured on the CST first, and
    // only a document within MAX_DEPTH reaches the composer.
    const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
    const deep = cstTooDeep(tokens);
    if (deep !== undefined) {
      findings.push({ code: 'INN008', message: `the document nests deeper than ${MAX_DEPTH} levels`, offset: deep, path: [] });
      return { text, doc: undefined, lineCounter, value: undefined, findings };
    }
    list = Array.from(new Composer({ uniqueKeys: true, strict: true, stringKeys: false }).compose(tokens)) as Document.Parsed[];
  } catch (e) {
    return fail('INN008', `the document cannot be parsed (${e instanceof RangeError ? 'nesting too deep' : String(e)})`);
  }
  if (list.length === 0) return fail('INN004', 'the spec has no YAML document');
  const doc = list[0]!;
  for (const extra of list.slice(1)) {
    findings.push({ code: 'INN010', message: 'a second YAML document starts here', offset: extra.range?.[0] ?? 0, path: [] });
  }
  const syntax: SourceFinding[] = [];
  for (const err of doc.errors) {
    if (err.code === 'DUPLICATE_KEY') {
      const dup = keyAt(doc, err.pos[0]);
      const shown = dup ? `"${String(dup.at(-1))}"` : 'a key';
      const first = firstOccurrence(doc, err.pos[0]);
      const where = first === undefined ? 'above' : `on line ${lineCounter.linePos(first).line}`;
      findings.push({ code: 'INN006', message: `duplicate key ${shown}: it is already set ${where} in the same map`, offset: err.pos[0], path: dup ?? [] });
      continue;
    }
    const code: Code = err.code === 'RESOURCE_EXHAUSTION' ? 'INN008' : 'INN005';
    (code === 'INN005' ? syntax : findings).push({ code, message: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, ''), offset: err.pos[0], path: [] });
  }
  const cascade = firstSyntaxError(text, syntax);
  if (cascade) findings.push(cascade);
  if (findings.length > 0) return { text, doc, lineCounter, value: undefined, findings };

  const structural = checkStructure(doc);
  findings.push(...structural);
  if (findings.length > 0) return { text, doc, lineCounter, value: undefined, findings };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    findings.push({ code: 'INN007', message: `the document's aliases expand too much (${message.replace(/\.$/, '')})`, offset: firstAlias(doc), path: [] });
    return { text, doc, lineCounter, value: undefined, findings };
  }
  if (value === null || value === undefined) return fail('INN004', 'the spec is empty');
  return { text, doc, lineCounter, value, findings };
}

/** Depth, forbidden keys, non-string keys and alias count, in one walk over the AST. */
function checkStructure(doc: Document.Parsed): SourceFinding[] {
  const out: SourceFinding[] = [];
  let aliases = 0;
  let overLimitAt = 0;
  const walk = (node: Node | null | undefined, depth: number, path: (string | number)[]): void => {
    if (!node) return;
    if (depth > MAX_DEPTH) {
      if (!out.some((f) => f.code === 'INN008')) out.push({ code: 'INN008', message: `the document nests deeper than ${MAX_DEPTH} levels`, offset: node.range?.[0] ?? 0, path });
      return;
    }
    if (isAlias(node)) {
      aliases++;
      if (aliases === MAX_ALIASES + 1) overLimitAt = node.range?.[0] ?? 0;
      if (node.resolve(doc) === undefined) {
        out.push({ code: 'INN005', message: `the alias *${node.source} has no anchor &${node.source} before it`, offset: node.range?.[0] ?? 0, path });
      }
      return;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        const keyOffset = (pair.key as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0;
        if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) {
          out.push({ code: 'INN009', message: `the key "${key}" is not allowed`, offset: keyOffset, path: [...path, key] });
          continue;
        }
        if (pair.key !== null && !isScalar(pair.key)) {
          out.push({ code: 'INN012', message: 'map keys must be plain strings', offset: keyOffset, path });
          continue;
        }
        walk(pair.value as Node, depth + 1, [...path, String(key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, depth + 1, [...path, i]));
    } else if (isPair(node)) {
      walk(node.value as Node, depth + 1, path);
    }
  };
  walk(doc.contents as Node, 0, []);
  if (aliases > MAX_ALIASES) out.push({ code: 'INN007', message: `the document uses ${aliases} aliases; the limit is ${MAX_ALIASES} (this is alias ${MAX_ALIASES + 1})`, offset: overLimitAt, path: [] });
  return out;
}

/** Offset of the first CST node nested deeper than MAX_DEPTH, walking with an explicit stack. */
function cstTooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: [CST.Token | undefined, number][] = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [tok, depth] = stack.pop()!;
    if (!tok) continue;
    if (depth > MAX_DEPTH) return tok.offset;
    if (tok.type === 'document') stack.push([tok.value, depth]);
    else if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection') {
      for (const item of tok.items) {
        if ('key' in item) stack.push([item.key ?? undefined, depth + 1]);
        stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * One syntax error stands for a cascade: the parser, once lost, reports every following token
 * (one over-indented first line gave 884 errors). The first error (by position) is reported,
 * with the number of follow-ons, and two common causes are said in plain words at their line:
 *   1. the first line is indented and a later line is not: the document cannot start indented;
 *   2. a key indented deeper than the `key: value` line above it: YAML reads it as the
 *      continuation of that value, and the parser complains about the line above.
 */
function firstSyntaxError(text: string, errors: readonly SourceFinding[]): SourceFinding | undefined {
  if (errors.length === 0) return undefined;
  const sorted = [...errors].sort((a, b) => a.offset - b.offset);
  const first = sorted[0]!;
  const more = sorted.length - 1;
  const tail = more > 0 ? ` (${more} more syntax error${more === 1 ? '' : 's'} after it, most likely caused by this one, are not listed)` : '';
  const lines = text.split('\n');
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  const indent = (l: string) => l.length - l.trimStart().length;
  const content = (l: string) => l.trim() !== '' && !l.trimStart().startsWith('#') && !l.startsWith('---');
  const firstLine = lines.findIndex(content);
  if (firstLine >= 0 && indent(lines[firstLine]!) > 0 && lines.slice(firstLine + 1).some((l) => content(l) && indent(l) < indent(lines[firstLine]!))) {
    const n = indent(lines[firstLine]!);
    return { code: 'INN005', message: `the first line is indented by ${n} space${n === 1 ? '' : 's'} but later lines are not: a document's top-level keys start in column 1${tail}`, offset: starts[firstLine]! + n, path: [] };
  }
  // The line of the first error, and the line after it.
  let line = starts.findIndex((s, i) => first.offset >= s && (i === starts.length - 1 || first.offset < starts[i + 1]!));
  for (let i = line; i >= 0 && i <= line + 1 && i + 1 < lines.length; i++) {
    const above = lines[i]!;
    const below = lines[i + 1]!;
    if (!/^\s*[^\s#][^:#]*:[ \t]+[^\s#{[|>&*!]/.test(above) || !/^\s*[^\s#-][^:#]*:(\s|$)/.test(below) || indent(below) <= indent(above)) continue;
    const key = below.trim().split(':')[0]!;
    const parent = above.trim().split(':')[0]!;
    line = i + 1;
    return {
      code: 'INN005',
      message: `"${key}" is indented deeper than "${parent}" on the line above, which already has a value, so YAML reads this line as part of that value (the parser says: ${first.message}); indent "${key}" like "${parent}", or like the keys of its map${tail}`,
      offset: starts[line]! + indent(below),
      path: [],
    };
  }
  return { ...first, message: `${first.message}${tail}` };
}

/** The offset of the first key of the map holding the duplicate key at `offset` with the same name. */
function firstOccurrence(doc: Document.Parsed, offset: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Map(_, node) {
      const dup = node.items.find((p) => (p.key as Node | null)?.range?.[0] === offset);
      if (!dup || !isScalar(dup.key)) return undefined;
      const name = String(dup.key.value);
      const first = node.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
      found = (first?.key as Node | null)?.range?.[0];
      return visit.BREAK;
    },
  });
  return found !== offset ? found : undefined;
}

/** The path of the map key that starts at this offset (for duplicate keys). */
function keyAt(doc: Document.Parsed, offset: number): (string | number)[] | undefined {
  const find = (node: unknown, path: (string | number)[]): (string | number)[] | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        if ((pair.key as Node | null)?.range?.[0] === offset) return [...path, key];
        const found = find(pair.value, [...path, key]);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = find(node.items[i], [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return find(doc.contents, []);
}

function firstAlias(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

export { visit };
