/**
 * Stage 1: text -> YAML document with source positions. Refuses hostile input (size,
 * alias bombs, deep nesting, prototype keys, several documents) with findings, never
 * with an exception.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node } from 'yaml';
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
  if (text.trim() === '' || /^(\s*#.*\n?)*\s*$/.test(text)) return fail('INN004', 'the spec is empty');
  if (text.startsWith('\uFEFF')) text = text.slice(1);

  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, stringKeys: false });
  } catch (e) {
    // The parser recurses per nesting level; a pathological document can exhaust the stack.
    return fail('INN008', `the document cannot be parsed (${e instanceof RangeError ? 'nesting too deep' : String(e)})`);
  }
  const list = (Array.isArray(docs) ? docs : []) as Document.Parsed[];
  if (list.length === 0) return fail('INN004', 'the spec has no YAML document');
  const doc = list[0]!;
  for (const extra of list.slice(1)) {
    findings.push({ code: 'INN010', message: 'a second YAML document starts here', offset: extra.range?.[0] ?? 0, path: [] });
  }
  for (const err of doc.errors) {
    const code: Code = err.code === 'DUPLICATE_KEY' ? 'INN006' : 'INN005';
    findings.push({ code, message: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, ''), offset: err.pos[0], path: [] });
  }
  if (findings.length > 0) return { text, doc, lineCounter, value: undefined, findings };

  const structural = checkStructure(doc);
  findings.push(...structural);
  if (findings.length > 0) return { text, doc, lineCounter, value: undefined, findings };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return fail('INN007', `the document expands too many aliases (${e instanceof Error ? e.message : String(e)})`);
  }
  if (value === null || value === undefined) return fail('INN004', 'the spec is empty');
  return { text, doc, lineCounter, value, findings };
}

/** Depth, forbidden keys, non-string keys and alias count, in one walk over the AST. */
function checkStructure(doc: Document.Parsed): SourceFinding[] {
  const out: SourceFinding[] = [];
  let aliases = 0;
  const walk = (node: Node | null | undefined, depth: number, path: (string | number)[]): void => {
    if (!node) return;
    if (depth > MAX_DEPTH) {
      if (!out.some((f) => f.code === 'INN008')) out.push({ code: 'INN008', message: `the document nests deeper than ${MAX_DEPTH} levels`, offset: node.range?.[0] ?? 0, path });
      return;
    }
    if (isAlias(node)) {
      aliases++;
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
  if (aliases > MAX_ALIASES) out.push({ code: 'INN007', message: `the document uses ${aliases} aliases; the limit is ${MAX_ALIASES}`, offset: 0, path: [] });
  return out;
}

export { visit };
