/**
 * JUnit XML for CI dashboards: a test suite per spec file, a test case "spec is valid" and one
 * per invariant rule of the catalogue, failing with its findings. The rules run over the
 * compiled artifacts, so when a spec has errors (or --no-policies) they did not run: their
 * cases are skipped, not passed.
 */
import { formatDiagnostic } from './format.js';
import type { Diagnostic } from './diagnostic.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export interface JunitOptions {
  /** Whether the invariant rules were asked for (validate without --no-policies). @default true */
  readonly policies?: boolean;
}

interface Case {
  readonly id: string;
  readonly title: string;
  readonly found: readonly Diagnostic[];
  /** Why the case did not run, when it did not. */
  readonly skipped?: string;
}

function testcase(file: string, c: Case): string {
  const head = `    <testcase classname="${esc(file)}" name="${esc(`${c.id} ${c.title}`)}"`;
  if (c.skipped !== undefined) return `${head}>\n      <skipped message="${esc(c.skipped)}"/>\n    </testcase>`;
  if (c.found.length === 0) return `${head}/>`;
  const text = c.found.map(formatDiagnostic).join('\n');
  return `${head}>\n      <failure message="${esc(`${c.found.length} finding${c.found.length === 1 ? '' : 's'}`)}" type="${esc(c.id)}">${esc(text)}</failure>\n    </testcase>`;
}

function casesOf(file: string, diags: readonly Diagnostic[], rules: readonly { id: string; title: string }[], policies: boolean): Case[] {
  const mine = diags.filter((d) => d.file === file && d.severity === 'error');
  const specErrors = mine.filter((d) => d.code.startsWith('INN'));
  const skipped = !policies ? 'not run: --no-policies' : specErrors.length > 0 ? 'not run: the spec has errors' : undefined;
  return [
    { id: 'spec', title: 'spec is valid', found: specErrors },
    ...rules.map((r) => ({ id: r.id, title: r.title, found: mine.filter((d) => d.code === r.id), ...(skipped ? { skipped } : {}) })),
  ];
}

export function toJunit(files: readonly string[], diags: readonly Diagnostic[], rules: readonly { id: string; title: string }[], options: JunitOptions = {}): string {
  let tests = 0;
  let failures = 0;
  let skips = 0;
  const suites = files.map((file) => {
    const cases = casesOf(file, diags, rules, options.policies ?? true);
    const failed = cases.filter((c) => c.skipped === undefined && c.found.length > 0).length;
    const skipped = cases.filter((c) => c.skipped !== undefined).length;
    tests += cases.length;
    failures += failed;
    skips += skipped;
    const body = cases.map((c) => testcase(file, c)).join('\n');
    return `  <testsuite name="${esc(file)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skipped}">\n${body}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="innovate validate" tests="${tests}" failures="${failures}" errors="0" skipped="${skips}">\n${suites.join('\n')}\n</testsuites>\n`;
}
