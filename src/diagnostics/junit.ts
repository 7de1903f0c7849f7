/**
 * JUnit XML for CI dashboards: a test suite per spec file, a test case per rule (every
 * catalogue group and every invariant), failing with its findings.
 */
import { formatDiagnostic } from './format.js';
import type { Diagnostic } from './diagnostic.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function toJunit(files: readonly string[], diags: readonly Diagnostic[], ruleIds: readonly { id: string; title: string }[]): string {
  const suites = files.map((file) => {
    const mine = diags.filter((d) => d.file === file && d.severity === 'error');
    const specErrors = mine.filter((d) => d.code.startsWith('INN'));
    const cases = [
      { id: 'spec', title: 'spec is valid', found: specErrors },
      ...ruleIds.map((r) => ({ id: r.id, title: r.title, found: mine.filter((d) => d.code === r.id) })),
    ];
    const failures = cases.filter((c) => c.found.length > 0).length;
    const body = cases
      .map((c) => {
        const name = `${c.id} ${c.title}`;
        if (c.found.length === 0) return `    <testcase classname="${esc(file)}" name="${esc(name)}"/>`;
        const text = c.found.map(formatDiagnostic).join('\n');
        return `    <testcase classname="${esc(file)}" name="${esc(name)}">\n      <failure message="${esc(`${c.found.length} finding${c.found.length === 1 ? '' : 's'}`)}" type="${esc(c.id)}">${esc(text)}</failure>\n    </testcase>`;
      })
      .join('\n');
    return `  <testsuite name="${esc(file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${body}\n  </testsuite>`;
  });
  const tests = files.length * (ruleIds.length + 1);
  const failures = (suites.join('').match(/<failure /g) ?? []).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="innovate validate" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
