/**
 * A YAML syntax error is reported once, at the line to fix, and its follow-ons are counted, not
 * listed (issue 12: one over-indented first line gave 884 INN005 errors, none on line 1). A
 * duplicate key names the line of the first occurrence.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE } from '../helpers.js';
import { base, BASE_LINES, diagnose, lines, show, textAt } from './helpers.js';

describe('a syntax error is reported once, where it is', () => {
  it('an over-indented first line: one INN005 on that line, not hundreds elsewhere', () => {
    const spec = EXAMPLE.replace(/^apiVersion:/m, '  apiVersion:');
    const line = spec.split('\n').findIndex((l) => l.startsWith('  apiVersion:')) + 1;
    const diags = diagnose(spec);
    expect(diags, show(diags)).toHaveLength(1);
    expect(diags[0]!).toMatchObject({ code: 'INN005', line, column: 3 });
    expect(diags[0]!.message).toMatch(/^the first line is indented by 2 spaces but later lines are not: a document's top-level keys start in column 1 \(\d+ more syntax errors after it, most likely caused by this one, are not listed\)$/);
  });

  it('an over-indented key: reported on its own line, with the reason and the parser\'s words', () => {
    const spec = lines(...BASE_LINES.slice(0, 4), '   owner: platform-team', ...BASE_LINES.slice(5));
    const diags = diagnose(spec);
    expect(diags, show(diags)).toHaveLength(1);
    const d = diags[0]!;
    expect({ code: d.code, line: d.line, column: d.column }).toEqual({ code: 'INN005', line: 5, column: 4 });
    expect(textAt(spec, d.line, d.column).startsWith('owner:')).toBe(true);
    expect(d.message).toMatch(/^"owner" is indented deeper than "name" on the line above, which already has a value, so YAML reads this line as part of that value \(the parser says: [^)]+\); indent "owner" like "name"/);
  });

  it('other syntax errors: the first one in the parser\'s words, the rest counted', () => {
    const spec = base('workloads:', '  api: { type: flask', 'registry: {}', 'database: {');
    const diags = diagnose(spec);
    expect(diags.filter((d) => d.code === 'INN005'), show(diags)).toHaveLength(1);
    expect(diags[0]!.line).toBe(15);
    expect(diags[0]!.message).toMatch(/more syntax errors? after it/);
  });

  it('a single syntax error has no follow-on note', () => {
    const diags = diagnose(base('workloads:', '\tapi: { type: flask }'));
    expect(diags.filter((d) => d.code === 'INN005').map((d) => d.message)).toEqual([expect.not.stringMatching(/after it/)]);
  });
});

describe('a duplicate key names the first occurrence', () => {
  it.each([
    ['in a section', base('workloads:', '  api: { type: flask }', '  web: { type: react }', '  api: { type: react }'), 'duplicate key "api": it is already set on line 14 in the same map', 16],
    ['at the top level', base('kind: Platform'), 'duplicate key "kind": it is already set on line 2 in the same map', 13],
  ])('%s', (_, spec, message, line) => {
    const d = diagnose(spec).find((x) => x.code === 'INN006');
    expect(d?.message).toBe(message);
    expect(d?.line).toBe(line);
  });
});
