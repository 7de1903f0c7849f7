/**
 * One catalogue (src/catalogue.ts) of every diagnostic: spec codes, invariant rules and the
 * exception bookkeeping. SARIF's rule descriptors, JUnit's test cases and the README's code
 * table all come from it; these tests fail when any of them disagrees.
 * `UPDATE_GOLDENS=1` rewrites the README's table from the catalogue.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, CATALOGUE_RULES, readmeCodeTable } from '../../src/catalogue.js';
import { CODES } from '../../src/diagnostics/codes.js';
import { EXCEPTION_EXPIRED, EXCEPTION_UNUSED, RULES } from '../../src/validators/policies/index.js';
import { cli, EXPIRED_EXCEPTION, ROOT, withExceptions } from '../helpers.js';

const README = `${ROOT}README.md`;
const CODE_TABLE = /(## Diagnostic codes\n\n)(\|[^\n]*\n)+/;

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; properties: { tags: string[]; 'security-severity'?: string } }[] } };
    results: { ruleId: string; ruleIndex?: number; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
  }[];
}

describe('the catalogue', () => {
  it('holds every code, every rule and the bookkeeping rules, each once', () => {
    const ids = CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...Object.keys(CODES), ...RULES.map((r) => r.id), EXCEPTION_EXPIRED, EXCEPTION_UNUSED]));
    expect(CATALOGUE_RULES.map((r) => r.id)).toEqual(expect.arrayContaining([EXCEPTION_EXPIRED, EXCEPTION_UNUSED]));
  });

  it('marks as security only codes and rules that guard the platform', () => {
    const security = (id: string) => CATALOGUE.find((e) => e.id === id)!.security;
    expect(['INN040', 'INN071', 'INV001', 'INV004', 'INV012', 'INV014'].every(security)).toBe(true);
    expect(['INN011', 'INN030', 'INV102', 'INV113', 'INV900', 'INV008'].some(security)).toBe(false);
  });

  it("is the README's code table", () => {
    const readme = readFileSync(README, 'utf8');
    const table = `${readmeCodeTable()}\n`;
    if (process.env.UPDATE_GOLDENS) writeFileSync(README, readme.replace(CODE_TABLE, (_m, head: string) => `${head}${table}`));
    const now = readFileSync(README, 'utf8').match(CODE_TABLE)?.[0];
    expect(now, 'README: run UPDATE_GOLDENS=1 npx vitest run test/diagnostics/catalogue.test.ts').toBe(`## Diagnostic codes\n\n${table}`);
  });

  it("lists the same rules as the README's invariants table", () => {
    const section = readFileSync(README, 'utf8').split('## Invariants')[1]!.split('\n## ')[0]!;
    const documented = [...section.matchAll(/^\| (INV\d+) \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(CATALOGUE_RULES.map((r) => r.id));
  });
});

describe('SARIF and JUnit come from the catalogue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'innovate-catalogue-'));
  writeFileSync(join(dir, 'inv.yaml'), withExceptions([EXPIRED_EXCEPTION]));

  it('SARIF: a descriptor for every entry, INV900 included; URIs relative to %SRCROOT%; security-severity on security rules only', async () => {
    const r = await cli(['validate', 'inv.yaml', '--format', 'sarif'], dir);
    expect(r.code).toBe(1);
    const run = (JSON.parse(r.stdout) as SarifLog).runs[0]!;
    expect(run.tool.driver.rules.map((d) => d.id)).toEqual(CATALOGUE.map((e) => e.id));
    const expired = run.results.find((x) => x.ruleId === EXCEPTION_EXPIRED)!;
    expect(run.tool.driver.rules[expired.ruleIndex!]!.id).toBe(EXCEPTION_EXPIRED);
    expect(expired.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'inv.yaml', uriBaseId: '%SRCROOT%' });
    for (const d of run.tool.driver.rules) {
      const entry = CATALOGUE.find((e) => e.id === d.id)!;
      expect(d.properties.tags.includes('security'), d.id).toBe(entry.security);
      expect(d.properties['security-severity'] !== undefined, d.id).toBe(entry.security);
    }
  });

  it('SARIF: a spec given by a path is located relative to the working folder', async () => {
    const r = await cli(['validate', join(dir, 'inv.yaml'), '--format', 'sarif'], dir);
    const uris = (JSON.parse(r.stdout) as SarifLog).runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation);
    expect(uris.every((u) => u.uri === 'inv.yaml' && u.uriBaseId === '%SRCROOT%')).toBe(true);
  });

  it('a bookkeeping finding names the spec file it is in, not innovate.yaml', async () => {
    const r = await cli(['validate', 'inv.yaml'], dir);
    expect(r.stdout).toMatch(/inv\.yaml:\d+:\d+ error INV900 .* -> inv\.yaml#Trail /);
    expect(r.stdout).not.toContain('innovate.yaml');
  });

  it('JUnit: a case per rule of the catalogue; skipped, not passed, when the spec has errors or with --no-policies', async () => {
    const cases = (xml: string) => [...xml.matchAll(/<testcase classname="[^"]*" name="(\S+) [^"]*"(\/>|>\n\s*<(failure|skipped))/g)].map((m) => [m[1], m[3] ?? 'passed']);
    const ok = await cli(['validate', 'inv.yaml', '--format', 'junit'], dir);
    expect(cases(ok.stdout).map(([id]) => id)).toEqual(['spec', ...CATALOGUE_RULES.map((r) => r.id)]);
    expect(cases(ok.stdout).find(([id]) => id === EXCEPTION_EXPIRED)).toEqual([EXCEPTION_EXPIRED, 'failure']);
    expect(ok.stdout).toContain('skipped="0"');

    const bad = await cli(['validate', `${ROOT}test/fixtures/cli/many-errors.yaml`, '--format', 'junit'], dir);
    const verdicts = cases(bad.stdout);
    expect(verdicts[0]).toEqual(['spec', 'failure']);
    expect(new Set(verdicts.slice(1).map(([, v]) => v))).toEqual(new Set(['skipped']));
    expect(bad.stdout).toContain('<skipped message="not run: the spec has errors"/>');
    expect(bad.stdout).toMatch(new RegExp(`<testsuites name="innovate validate" tests="${CATALOGUE_RULES.length + 1}" failures="1" errors="0" skipped="${CATALOGUE_RULES.length}">`));

    const spec = await cli(['validate', 'inv.yaml', '--no-policies', '--format', 'junit'], dir);
    expect(spec.stdout).toContain('<skipped message="not run: --no-policies"/>');
  });
});
