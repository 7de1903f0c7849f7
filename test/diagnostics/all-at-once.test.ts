/**
 * "All findings at once" holds for every section: a schema error inside one entry of a named
 * collection (a workload, a node pool, a secret…) no longer switches off the semantic validators
 * of the other entries, and references to the broken entry are not reported as unknown.
 * Issue 12: seven mistakes reported three, the other four only after a second run.
 */
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../src/diagnostics/diagnostic.js';
import { EXAMPLE } from '../helpers.js';
import { diagnose, show } from './helpers.js';

const edit = (text: string, from: string, to: string): string => {
  expect(text.includes(from), from).toBe(true);
  return text.replace(from, to);
};

/** Seven mistakes: three schema errors inside entries, four semantic ones in sound entries. */
let SPEC = EXAMPLE;
SPEC = edit(SPEC, '    replicas: { min: 2, max: 10 }', '    replcias: { min: 2, max: 10 }'); // web: INN011
SPEC = edit(SPEC, '      architectures: [arm64]', '      architecturs: [arm64]'); // pool spot-arm64: INN011 (web runs on it)
SPEC = edit(SPEC, '      rotationDays: 30', '      rotationDays: 3000'); // secret app-db-user: INN014 (api reads it)
SPEC = edit(SPEC, '    replicas: { min: 2, max: 20 }', '    replicas: { min: 30, max: 20 }'); // api: INN030
SPEC = edit(SPEC, '    ingress: { path: /api }\n', '    ingress: { path: /api }\n    pool: spot-x87\n'); // api: INN033
SPEC = edit(SPEC, '    namespaces: [apps]\n    access: edit', '    namespaces: [appz]\n    access: edit'); // team web: INN034
SPEC = edit(SPEC, '  budgetThresholds: [80, 100]', '  budgetThresholds: [80, 80]'); // INN062

describe('every finding in one run', () => {
  const diags = diagnose(SPEC);
  const found = diags.map((d) => `${d.code} ${formatPath(d.path)}`);

  it('reports the schema errors and the semantic findings of the sound entries together', () => {
    expect(found, show(diags)).toEqual(
      expect.arrayContaining([
        'INN011 workloads.web.replcias',
        'INN011 cluster.nodePools.spot-arm64.architecturs',
        'INN014 security.secrets.app-db-user.rotationDays',
        'INN030 workloads.api.replicas.min',
        'INN033 workloads.api.pool',
        'INN034 teams.web.namespaces[0]',
        'INN062 cost.budgetThresholds[1]',
      ]),
    );
  });

  it('references to an entry with errors of its own are not "unknown"', () => {
    expect(found.filter((f) => f.startsWith('INN033 ')), show(diags)).toEqual(['INN033 workloads.api.pool']); // not web's pool spot-arm64
    expect(found.filter((f) => f.startsWith('INN035 ')), show(diags)).toEqual([]); // api's secret app-db-user exists
    expect(found.filter((f) => f.startsWith('INN050 ') || f.startsWith('INN057 ')), show(diags)).toEqual([]);
  });

  it('a section-level error (not inside an entry) still keeps only that section out', () => {
    const d = diagnose(edit(EXAMPLE, '  vpcCidr: 10.10.0.0/16', '  vpcCidr: 10.10.0.0/16\n  vpcCdir: x'));
    expect(d.map((x) => x.code), show(d)).toEqual(['INN011']);
  });
});
