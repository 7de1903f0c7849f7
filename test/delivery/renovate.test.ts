/**
 * Issue 20 §2: a Renovate configuration keeps the pins current. github/renovate.json is checked
 * against Renovate's own schema (test/fixtures/renovate, from renovate@44.121.2), with every key a
 * property the schema declares and every manager one Renovate has; its chart managers find each
 * pinned chart version in a spec exactly once, as Renovate would (each match string compiled with
 * the g flag), with the repository the model installs the chart from.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RENOVATE_PATH } from '../../src/emitters/renovate/index.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { compileOk, VARIANTS } from './support.js';

const fixture = (f: string) => readFileSync(new URL(`../fixtures/renovate/${f}`, import.meta.url), 'utf8');
const schema = JSON.parse(fixture('renovate-schema.json')) as { properties: Record<string, unknown>; definitions: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const managers = new Set(fixture('managers.txt').split('\n').filter(Boolean));

type Config = {
  enabledManagers: string[];
  ignorePaths: string[];
  packageRules: Record<string, unknown>[];
  customManagers: { matchStrings: string[]; depNameTemplate: string; datasourceTemplate: string; registryUrlTemplate?: string; packageNameTemplate?: string }[];
} & Record<string, unknown>;

const configOf = (text: string): Config => JSON.parse(compileOk(text).artifacts.find((a) => a.path === RENOVATE_PATH)!.content) as Config;
/** Keys an array item of a definition may have: the properties of its first allOf branch. */
const itemKeys = (def: string): Set<string> => new Set(Object.keys(schema.definitions[def].items.allOf[0].properties));

describe('github/renovate.json (issue 20 §2)', () => {
  const config = configOf(EXAMPLE);

  it('is valid against Renovate 44.121.2\'s schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('uses only properties and managers Renovate declares (the schema alone allows any key)', () => {
    for (const k of Object.keys(config).filter((k) => k !== '$schema')) expect(schema.properties, k).toHaveProperty(k);
    const rule = itemKeys('packageRules');
    // A rule holds match* keys (the item's properties) and any other configuration option (a top-level property).
    for (const r of config.packageRules) for (const k of Object.keys(r)) expect(rule.has(k) || k in schema.properties, `packageRules.${k}`).toBe(true);
    const custom = itemKeys('customManagers');
    for (const c of config.customManagers) for (const k of Object.keys(c)) expect(custom.has(k), `customManagers.${k}`).toBe(true);
    const named = [...config.enabledManagers, ...config.packageRules.flatMap((r) => (r.matchManagers as string[] | undefined) ?? [])];
    for (const m of named) expect(managers.has(m), m).toBe(true);
  });

  it('covers action pins, base images, innovate and the charts; never the generated output', () => {
    expect(config.enabledManagers).toEqual(expect.arrayContaining(['github-actions', 'dockerfile', 'npm', 'custom.regex']));
    expect(config.ignorePaths).toContain('out/**');
    const m = compileOk(EXAMPLE).models[0]!;
    const charts = Object.values(m.platform).map((c) => c!.chart).sort();
    expect(config.customManagers.map((c) => c.depNameTemplate)).toEqual(charts);
    for (const c of config.customManagers) {
      const component = Object.values(m.platform).find((p) => p!.chart === c.depNameTemplate)!;
      if (c.datasourceTemplate === 'helm') expect(c.registryUrlTemplate).toBe(component.repoUrl);
      else expect(c.packageNameTemplate).toBe(`${component.repoUrl}/${component.chart}`);
    }
  });

  it('each chart manager finds the version the spec pins, once, and nothing in a spec that pins none', () => {
    const pinned = exampleVariant((d) => {
      d.delivery.charts = { 'argo-cd': '10.1.1', 'kube-prometheus-stack': '88.5.3', 'external-dns': '1.21.1', 'aws-load-balancer-controller': '3.5.0', 'external-secrets': '2.9.0', gatekeeper: '3.23.0', 'metrics-server': '3.13.1', 'policy-controller': '0.10.6' };
    });
    const model = compileOk(pinned).models[0]!;
    for (const c of configOf(pinned).customManagers) {
      const found = c.matchStrings.flatMap((s) => [...pinned.matchAll(new RegExp(s, 'g'))].map((x) => x.groups!.currentValue));
      const expected = Object.values(model.platform).find((p) => p!.chart === c.depNameTemplate)!.version;
      expect(found, c.depNameTemplate).toEqual([expected]);
    }
    // The example pins only Karpenter's version: the other charts follow innovate's defaults (and innovate).
    const unpinned = configOf(EXAMPLE).customManagers.filter((c) => c.matchStrings.some((s) => new RegExp(s, 'g').test(EXAMPLE)));
    expect(unpinned.map((c) => c.depNameTemplate)).toEqual(['karpenter']);
  });

  it('names both repositories when they differ, one when they are the same', () => {
    const both = (configOf(EXAMPLE).description as string[]).join(' ');
    const m = compileOk(EXAMPLE).models[0]!;
    expect(both).toContain(`${m.delivery.appRepository} and ${m.delivery.configRepository}`);
    const one = (configOf(VARIANTS.monorepo!).description as string[]).join(' ');
    expect(one).toContain(`into .github/ of ${m.delivery.appRepository};`);
  });
});
