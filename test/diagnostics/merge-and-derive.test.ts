/**
 * The merge rules of environment overrides (src/source/merge.ts), end to end through
 * parseSpec, and a table of every derived default (src/compiler/derive.ts): the values
 * that depend on production vs staging or on other fields.
 */
import type { Probe } from '../../src/compiler/model.js';
import { describe, expect, it } from 'vitest';
import * as derive from '../../src/compiler/derive.js';
import { planSubnets } from '../../src/compiler/cidr.js';
import { mergeOverride } from '../../src/source/merge.js';
import { parseSpec } from '../../src/pipeline.js';
import type { Spec } from '../../src/schema/spec.js';
import { ALERT_LINES, base, BASE_LINES, diagnose, lines, show } from './helpers.js';

/** A spec whose two environments carry these override lines (already indented by 6). */
const withOverrides = (production: readonly string[], staging: readonly string[], ...rest: string[]): string =>
  lines(
    ...BASE_LINES.slice(0, 7),
    '  production:',
    '    accountId: "111111111111"',
    '    region: us-east-1',
    '    production: true',
    ...(production.length > 0 ? ['    overrides:', ...production] : []),
    '  staging:',
    '    accountId: "222222222222"',
    '    region: us-east-1',
    ...(staging.length > 0 ? ['    overrides:', ...staging] : []),
    ...BASE_LINES.slice(9),
    ...rest,
    ...(rest.some((x) => /^observability/.test(x)) ? [] : ALERT_LINES),
  );

/** The validated spec of each environment; fails with the diagnostics when there is none. */
function load(text: string): { production: Spec; staging: Spec } {
  const loaded = parseSpec(text);
  const production = loaded.environments.get('production');
  const staging = loaded.environments.get('staging');
  expect(production && staging, show(loaded.diagnostics)).toBeTruthy();
  return { production: production!, staging: staging! };
}

describe('merge rules, end to end', () => {
  it('maps merge deeply: an override changes only the keys it names', () => {
    const { production, staging } = load(
      withOverrides([], ['      database:', '        instanceClass: db.t4g.medium', '        instances: 1'], 'database:', '  backupRetentionDays: 20', '  instances: 3', '  serverlessV2: { maxCapacity: 8 }'),
    );
    expect(staging.database).toMatchObject({ instanceClass: 'db.t4g.medium', instances: 1, backupRetentionDays: 20, serverlessV2: { minCapacity: 0.5, maxCapacity: 8 } });
    expect(production.database).toMatchObject({ instanceClass: 'db.r6g.large', instances: 3, backupRetentionDays: 20 });
  });

  it('maps merge deeply through records: one workload field changes, the workload and its siblings stay', () => {
    const { production, staging } = load(
      withOverrides(
        [],
        ['      workloads:', '        api:', '          replicas: { max: 4 }', '          env: { LOG_LEVEL: debug }'],
        'workloads:',
        '  api: { type: flask, replicas: { min: 3, max: 20 }, env: { LOG_LEVEL: info, REGION: us-east-1 } }',
        '  web: { type: react }',
      ),
    );
    expect(staging.workloads.api!.replicas).toEqual({ min: 3, max: 4 });
    expect(staging.workloads.api!.env).toEqual({ LOG_LEVEL: 'debug', REGION: 'us-east-1' });
    expect(staging.workloads.api!.type).toBe('flask');
    expect(Object.keys(staging.workloads).sort()).toEqual(['api', 'web']);
    expect(production.workloads.api!.replicas).toEqual({ min: 3, max: 20 });
  });

  it('an override may add a record entry the base does not have', () => {
    const { production, staging } = load(
      withOverrides(
        ['      cluster:', '        nodePools:', '          baseline: { role: application, capacityTypes: [on-demand] }'],
        [],
        'cluster:',
        '  nodePools:',
        '    general: { role: application }',
        '    platform: { role: platform }',
      ),
    );
    expect(Object.keys(production.cluster.nodePools).sort()).toEqual(['baseline', 'general', 'platform']);
    expect(Object.keys(staging.cluster.nodePools).sort()).toEqual(['general', 'platform']);
  });

  it('defaults are not part of the merge: an override that declares nodePools replaces the default pools', () => {
    // The base has no nodePools, so the default pools (general, platform) apply only where
    // nothing is declared; production declares one pool, so it has that pool alone.
    const text = withOverrides(['      cluster:', '        nodePools:', '          baseline: { role: application }'], []);
    const loaded = parseSpec(text);
    expect(Object.keys(loaded.environments.get('production')!.cluster.nodePools)).toEqual(['baseline']);
    expect(Object.keys(loaded.environments.get('staging')!.cluster.nodePools).sort()).toEqual(['general', 'platform']);
    const diags = diagnose(text);
    expect(diags.map((d) => `${d.line}:${d.column} ${d.code} ${d.environments?.join(',')}`), show(diags)).toEqual(['15:11 INN057 production']);
  });

  it('nulls nested in an override key the base lacks are removed too', () => {
    const { staging } = load(withOverrides([], ['      database:', '        serverlessV2: { minCapacity: null, maxCapacity: 8 }'], 'database: { instances: 2 }'));
    expect(staging.database.serverlessV2).toEqual({ minCapacity: 0.5, maxCapacity: 8 });
    expect(staging.database.instances).toBe(2);
  });

  it('lists replace the base list whole', () => {
    const { production, staging } = load(withOverrides([], ['      network:', '        endpoints: [s3]'], 'network:', '  endpoints: [ecr.api, ecr.dkr, s3, sts]'));
    expect(staging.network.endpoints).toEqual(['s3']);
    expect(production.network.endpoints).toEqual(['ecr.api', 'ecr.dkr', 's3', 'sts']);
  });

  it('a list of maps replaces whole too (no merging by index)', () => {
    const { staging } = load(
      withOverrides([], ['      cluster:', '        systemNodeGroup:', '          instanceTypes: [t3.medium]'], 'cluster:', '  systemNodeGroup:', '    instanceTypes: [t3.small, t3a.small]'),
    );
    expect(staging.cluster.systemNodeGroup.instanceTypes).toEqual(['t3.medium']);
  });

  it('an explicit null removes the key so its default applies again', () => {
    const { production, staging } = load(
      withOverrides([], ['      database:', '        instanceClass: null', '      network:', '        natGateways: null'], 'database:', '  instanceClass: db.r7g.xlarge', 'network:', '  natGateways: perZone'),
    );
    expect(staging.database.instanceClass).toBe('db.r6g.large'); // the schema default
    expect(production.database.instanceClass).toBe('db.r7g.xlarge');
    expect(staging.network.natGateways).toBeUndefined(); // so derive.natGateways decides
    expect(derive.natGateways(staging, staging.environments.staging!)).toBe('single');
    expect(derive.natGateways(production, production.environments.production!)).toBe('perZone');
  });

  it('null removes a whole section or map entry', () => {
    const { production, staging } = load(
      withOverrides(['      ingress: null'], ['      workloads:', '        web: null'], 'ingress: { host: app.example.com }', 'workloads:', '  api: { type: flask }', '  web: { type: react }'),
    );
    expect(production.ingress).toBeUndefined();
    expect(staging.ingress).toEqual({ host: 'app.example.com' });
    expect(Object.keys(staging.workloads)).toEqual(['api']);
    expect(Object.keys(production.workloads).sort()).toEqual(['api', 'web']);
  });

  it('nulls inside an override of a section the base does not have are removed, not kept', () => {
    const { staging } = load(withOverrides([], ['      ingress: { host: staging.example.com, hostedZoneId: null }']));
    expect(staging.ingress).toEqual({ host: 'staging.example.com' });
  });

  it('overriding in production only leaves staging on the base', () => {
    const { production, staging } = load(
      withOverrides(['      cost: { monthlyBudgetUsd: 8000 }', '      security: { podSecurity: baseline }'], [], 'cost: { monthlyBudgetUsd: 1500, budgetThresholds: [50, 100] }'),
    );
    expect(production.cost).toMatchObject({ monthlyBudgetUsd: 8000, budgetThresholds: [50, 100] });
    expect(staging.cost).toMatchObject({ monthlyBudgetUsd: 1500, budgetThresholds: [50, 100] });
    expect(production.security.podSecurity).toBe('baseline');
    expect(staging.security.podSecurity).toBe('restricted');
  });

  it('a scalar over a map replaces it, and the schema then reports it at the override', () => {
    const text = withOverrides([], ['      database: small']);
    const diags = diagnose(text);
    expect(diags.map((d) => `${d.line}:${d.column} ${d.code} ${d.environments?.join(',')}`), show(diags)).toEqual(['16:17 INN012 staging']);
  });

  it('an override value of the wrong type inside a merged map is reported at the override', () => {
    const text = withOverrides(['      network:', '        zones: a'], []);
    const diags = diagnose(text);
    expect(diags.map((d) => `${d.line}:${d.column} ${d.code} ${d.environments?.join(',')}`), show(diags)).toEqual(['14:16 INN012 production']);
  });

  it('the example merges as documented', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../examples/innovate.yaml', import.meta.url), 'utf8');
    const { production, staging } = load(text);
    expect(staging.database.instanceClass).toBe('db.t4g.medium');
    expect(staging.database.instances).toBe(1);
    expect(production.database.instanceClass).toBe('db.r6g.large');
    expect(staging.network.natGateways).toBe('single');
    expect(production.network.natGateways).toBeUndefined();
    expect(Object.keys(production.cluster.nodePools)).toContain('on-demand-baseline');
    expect(Object.keys(staging.cluster.nodePools)).not.toContain('on-demand-baseline');
    expect(production.ingress?.host).toBe('app.innovate.example');
    expect(staging.ingress?.host).toBe('staging.innovate.example');
  });
});

describe('mergeOverride, as a function', () => {
  it.each([
    ['maps merge', { a: 1, b: { c: 1, d: 2 } }, { b: { d: 3 } }, { a: 1, b: { c: 1, d: 3 } }],
    ['lists replace', { l: [1, 2, 3] }, { l: [4] }, { l: [4] }],
    ['scalars replace', { s: 'x' }, { s: 'y' }, { s: 'y' }],
    ['null removes', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ['null of an absent key is a no-op', { a: 1 }, { z: null }, { a: 1 }],
    ['a map over a scalar replaces it', { a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
    ['a scalar over a map replaces it', { a: { b: 1 } }, { a: 2 }, { a: 2 }],
    ['nulls in a new map are dropped', {}, { a: { b: null, c: 1 } }, { a: { c: 1 } }],
    ['empty override keeps the base', { a: { b: 1 } }, {}, { a: { b: 1 } }],
    ['an empty map merges to the base map', { a: { b: 1 } }, { a: {} }, { a: { b: 1 } }],
  ] as const)('%s', (_, baseValue, override, expected) => {
    const before = JSON.stringify(baseValue);
    expect(mergeOverride(baseValue, override)).toEqual(expected);
    expect(JSON.stringify(baseValue), 'the base is not mutated').toBe(before);
  });

  it('null over the whole value removes it', () => {
    expect(mergeOverride({ a: 1 }, null)).toBeUndefined();
  });
});

// ---- derived defaults --------------------------------------------------------------------

type Env = 'production' | 'staging';
const specs = (...extra: string[]) => load(base(...extra));
const envOf = (spec: Spec, env: Env) => spec.environments[env]!;

describe('derived defaults (src/compiler/derive.ts)', () => {
  const defaults = specs('workloads:', '  api: { type: flask }', '  web: { type: react }');
  const set = load(
    lines(
      ...BASE_LINES.slice(0, 9),
      'delivery: { appRepository: my-org/myapp, configRepository: my-org/myapp-config, autoSync: true, approvalRequired: false }',
      'network: { natGateways: perZone }',
      'database: { deletionProtection: false, crossRegionReplica: false }',
      'security: { admission: { imageSignatures: enforce, failurePolicy: Fail } }',
    ),
  );

  // [function, env, value with defaults, value when the spec sets it]
  const table: readonly [string, Env, (s: Spec, env: Env) => unknown, unknown, unknown][] = [
    ['natGateways', 'production', (s, e) => derive.natGateways(s, envOf(s, e)), 'perZone', 'perZone'],
    ['natGateways', 'staging', (s, e) => derive.natGateways(s, envOf(s, e)), 'single', 'perZone'],
    ['deletionProtection', 'production', (s, e) => derive.deletionProtection(s, envOf(s, e)), true, false],
    ['deletionProtection', 'staging', (s, e) => derive.deletionProtection(s, envOf(s, e)), false, false],
    ['crossRegionReplica (no drRegion)', 'production', (s, e) => derive.crossRegionReplica(s, envOf(s, e)), false, false],
    ['crossRegionReplica', 'staging', (s, e) => derive.crossRegionReplica(s, envOf(s, e)), false, false],
    ['autoSync', 'production', (s, e) => derive.autoSync(s, envOf(s, e)), false, true],
    ['autoSync', 'staging', (s, e) => derive.autoSync(s, envOf(s, e)), true, true],
    ['approvalRequired', 'production', (s, e) => derive.approvalRequired(s, envOf(s, e)), true, false],
    ['approvalRequired', 'staging', (s, e) => derive.approvalRequired(s, envOf(s, e)), false, false],
    ['imageSignatures', 'production', (s, e) => derive.imageSignatures(s, envOf(s, e)), 'enforce', 'enforce'],
    ['imageSignatures', 'staging', (s, e) => derive.imageSignatures(s, envOf(s, e)), 'warn', 'enforce'],
    ['admissionFailurePolicy', 'production', (s, e) => derive.admissionFailurePolicy(s, envOf(s, e)), 'Fail', 'Fail'],
    ['admissionFailurePolicy', 'staging', (s, e) => derive.admissionFailurePolicy(s, envOf(s, e)), 'Ignore', 'Fail'],
    // The build environment signs: the first non-production one by name (no replication in either spec).
    ['signingEnvironment', 'production', (s) => derive.signingEnvironment(s), 'staging', 'staging'],
  ];
  it.each(table.map(([name, env, fn, dflt, given]) => [`${name} in ${env}`, env, fn, dflt, given] as const))('%s', (_, env, fn, dflt, given) => {
    expect(fn(defaults[env], env)).toEqual(dflt);
    expect(fn(set[env], env)).toEqual(given);
  });

  it('no signature verification without a signing key; replication\'s source signs', () => {
    const unsigned = specs('registry: { signing: false }');
    expect(derive.imageSignatures(unsigned.production, envOf(unsigned.production, 'production'))).toBeUndefined();
    const replicated = specs('registry: { replication: { from: staging, to: production } }');
    expect(derive.signingEnvironment(replicated.production)).toBe('staging');
  });

  it('crossRegionReplica defaults to true in production with a drRegion', () => {
    const text = lines(...BASE_LINES.slice(0, 7), '  production: { accountId: "111111111111", region: us-east-1, drRegion: us-west-2, production: true }', ...BASE_LINES.slice(8));
    const { production, staging } = load(text);
    expect(derive.crossRegionReplica(production, envOf(production, 'production'))).toBe(true);
    expect(derive.crossRegionReplica(staging, envOf(staging, 'staging'))).toBe(false);
  });

  it.each([
    ['production, not set', 'production', undefined, ['on-demand']],
    ['staging, not set', 'staging', undefined, ['spot']],
    ['production, set', 'production', '[spot, on-demand]', ['spot', 'on-demand']],
    ['staging, set', 'staging', '[on-demand]', ['on-demand']],
  ] as const)('capacityTypes: %s', (_, env, given, expected) => {
    const s = specs('cluster:', '  nodePools:', `    general: { role: application${given ? `, capacityTypes: ${given}` : ''} }`, '    platform: { role: platform }')[env];
    expect(derive.capacityTypes(s.cluster.nodePools.general!, envOf(s, env))).toEqual(expected);
  });

  it('allowedRegions: every environment region and DR region, or the organization list', () => {
    const text = lines(...BASE_LINES.slice(0, 7), '  production: { accountId: "111111111111", region: us-east-1, drRegion: us-west-2, production: true }', '  staging: { accountId: "222222222222", region: eu-west-1 }', ...BASE_LINES.slice(9));
    expect(derive.allowedRegions(load(text).production)).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    const withOrg = `${text}organization: { managementAccountId: "123456789012", homeRegion: eu-central-1 }\n`;
    expect(derive.allowedRegions(load(withOrg).staging)).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2']);
    const listed = `${text}organization: { managementAccountId: "123456789012", allowedRegions: [us-east-1, us-west-2, eu-west-1, ap-south-1] }\n`;
    expect(derive.allowedRegions(load(listed).staging)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1', 'ap-south-1']);
  });

  it('githubRepositories: the delivery repositories, or the organization list', () => {
    expect(derive.githubRepositories(defaults.production)).toEqual(['my-org/myapp', 'my-org/myapp-config']);
    const s = specs('organization: { managementAccountId: "123456789012", github: { repositories: [my-org/other] } }').production;
    expect(derive.githubRepositories(s)).toEqual(['my-org/other']);
  });

  it('ports: 5000 for flask, 8080 for react, or the given port', () => {
    expect(derive.workloadPort(defaults.production.workloads.api!)).toBe(5000);
    expect(derive.workloadPort(defaults.production.workloads.web!)).toBe(8080);
    expect(derive.workloadPort(specs('workloads:', '  api: { type: flask, port: 8000 }').staging.workloads.api!)).toBe(8000);
  });

  it('repository: the workload name, or the given repository', () => {
    expect(derive.workloadRepository('api', defaults.production.workloads.api!)).toBe('api');
    expect(derive.workloadRepository('api', specs('workloads:', '  api: { type: flask, repository: backend }').staging.workloads.api!)).toBe('backend');
  });

  it('probes: /healthz and /readyz for flask, / for react, startup on the readiness path for 60 s', () => {
    const path = (p: Probe | undefined) => (p && 'http' in p ? p.http.path : undefined);
    const flask = derive.workloadProbes(defaults.production.workloads.api!);
    expect(path(flask.liveness)).toBe('/healthz');
    expect(path(flask.readiness)).toBe('/readyz');
    expect(flask.startup).toMatchObject({ http: { path: '/readyz', port: 5000 }, periodSeconds: 2, failureThreshold: 30 });
    const react = derive.workloadProbes(defaults.production.workloads.web!);
    expect([path(react.liveness), path(react.readiness), path(react.startup)]).toEqual(['/', '/', '/']);
    const given = derive.workloadProbes(specs('workloads:', '  api: { type: flask, probes: { readiness: { path: /ready, periodSeconds: 5 } } }').staging.workloads.api!);
    expect(given.readiness).toMatchObject({ http: { path: '/ready' }, periodSeconds: 5 });
    expect(path(given.startup)).toBe('/ready');
    expect(path(given.liveness)).toBe('/healthz');
  });

  it('kinds: a worker or cronjob has no port, no probes it was not given, is not user-facing; a cronjob runs one pod', () => {
    const w = specs('workloads:', '  q: { kind: worker, type: container, build: { dockerfile: q/Dockerfile }, probes: { liveness: { exec: ["true"] }, readiness: false } }').staging.workloads.q!;
    expect(derive.workloadPort(w)).toBeUndefined();
    expect(derive.userFacing(w)).toBe(false);
    expect(derive.workloadProbes(w)).toEqual({ liveness: { exec: { command: ['true'] }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 } });
    expect(derive.workloadReplicas(w)).toEqual({ min: 2, max: 10 });
    expect(derive.workloadAutoscaling(w)).toEqual({ cpuUtilization: 70, memoryUtilization: 70 });
    expect(derive.probeOf({ path: '/h', port: 9000, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 }, undefined)).toMatchObject({ http: { path: '/h', port: 9000 } });
    expect(derive.probeOf({ tcp: true, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 }, undefined)).toBeUndefined();
    const c = specs('workloads:', '  c: { kind: cronjob, type: container, build: { dockerfile: Dockerfile }, cronjob: { schedule: "@daily" } }').staging.workloads.c!;
    expect(derive.workloadReplicas(c)).toEqual({ min: 1, max: 1 });
    expect(derive.workloadProbes(c)).toEqual({});
    expect(derive.buildContext(c.build!)).toBe('.');
    expect(derive.buildContext({ dockerfile: 'services/orders/Dockerfile' })).toBe('services/orders');
    expect(derive.buildContext({ dockerfile: 'services/orders/Dockerfile', context: '.' })).toBe('.');
    const s = specs('workloads:', '  g: { type: container, build: { dockerfile: g/Dockerfile }, probes: { readiness: { tcp: true } } }').staging.workloads.g!;
    expect(derive.workloadPort(s)).toBe(8080);
    expect(derive.userFacing(s)).toBe(true);
    expect(derive.workloadProbes(s)).toMatchObject({ readiness: { tcp: { port: 8080 } }, startup: { tcp: { port: 8080 }, periodSeconds: 2, failureThreshold: 30 }, liveness: { http: { path: '/', port: 8080 } } });
  });

  it('pool: the given one, else the first amd64 application pool by name, else the first application pool', () => {
    expect(derive.workloadPool(defaults.production.workloads.api!, defaults.production)).toBe('general');
    const pools = specs(
      'cluster:',
      '  nodePools:',
      '    zeta: { role: application }',
      '    alpha-arm: { role: application, architectures: [arm64], instanceCategories: [m] }',
      '    beta: { role: application }',
      '    aaa-platform: { role: platform }',
      'workloads:',
      '  api: { type: flask }',
      '  web: { type: react, pool: zeta }',
    ).production;
    expect(derive.workloadPool(pools.workloads.api!, pools)).toBe('beta');
    expect(derive.workloadPool(pools.workloads.web!, pools)).toBe('zeta');
    const armOnly = specs('cluster:', '  nodePools:', '    arm: { role: application, architectures: [arm64], instanceCategories: [m] }', '    platform: { role: platform }', 'workloads:', '  api: { type: flask }').production;
    expect(derive.workloadPool(armOnly.workloads.api!, armOnly)).toBe('arm');
  });

  it('subnets: the given tiers, the others planned from the VPC', () => {
    expect(derive.subnets(defaults.production)).toEqual({
      private: ['10.10.1.0/24', '10.10.2.0/24', '10.10.3.0/24'],
      public: ['10.10.101.0/24', '10.10.102.0/24', '10.10.103.0/24'],
      isolated: ['10.10.201.0/24', '10.10.202.0/24', '10.10.203.0/24'],
    });
    const partly = specs('network:', '  vpcCidr: 10.20.0.0/16', '  subnets: { public: [10.20.50.0/24, 10.20.51.0/24, 10.20.52.0/24] }').staging;
    expect(derive.subnets(partly)).toEqual({
      public: ['10.20.50.0/24', '10.20.51.0/24', '10.20.52.0/24'],
      private: ['10.20.1.0/24', '10.20.2.0/24', '10.20.3.0/24'],
      isolated: ['10.20.201.0/24', '10.20.202.0/24', '10.20.203.0/24'],
    });
  });

  it('notifyEmails: the cost list, or the alert e-mails', () => {
    expect(derive.notifyEmails(specs('observability: { alerts: { emails: [oncall@example.com] } }').production)).toEqual(['oncall@example.com']);
    expect(derive.notifyEmails(specs('observability: { alerts: { emails: [oncall@example.com] } }', 'cost: { notifyEmails: [finops@example.com] }').production)).toEqual(['finops@example.com']);
  });

  it('promotion and promotionTargets: the chain registry.replication orders, and every environment it leaves out straight from the build environment', () => {
    const envs = (extra: string) =>
      load(lines(...BASE_LINES.slice(0, 9), '  dev: { accountId: "333333333333", region: us-east-1 }', '  qa: { accountId: "444444444444", region: us-east-1 }', ...BASE_LINES.slice(9), ...ALERT_LINES, ...(extra ? [extra] : []))).production;
    const hops = (s: Spec) => derive.promotion(s).hops.map((h) => `${h.from}>${h.to}`);
    // No chain: the first non-production environment by name builds; non-production targets first.
    expect(derive.promotion(envs('')).build).toBe('dev');
    expect(hops(envs(''))).toEqual(['dev>qa', 'dev>staging', 'dev>production']);
    expect(derive.promotionTargets(envs(''))).toEqual([]);
    // The shape before chains: one target.
    const single = envs('registry: { replication: { from: staging, to: production } }');
    expect(derive.promotionTargets(single)).toEqual(['production']);
    expect(derive.promotion(single).build).toBe('staging');
    expect(hops(single)).toEqual(['staging>production', 'staging>dev', 'staging>qa']);
    // A chain: each hop from the one before.
    const chain = envs('registry: { replication: { from: dev, to: [qa, staging, production] } }');
    expect(hops(chain)).toEqual(['dev>qa', 'qa>staging', 'staging>production']);
    // Only production in the spec: it builds, nothing is promoted.
    expect(derive.promotion(parseSpec(lines(...BASE_LINES.slice(0, 8), ...BASE_LINES.slice(9), ...ALERT_LINES)).environments.get('production')!).hops).toEqual([]);
  });

  it('desiredSize: the given size, or minSize', () => {
    expect(derive.desiredSize(defaults.production)).toBe(2);
    expect(derive.desiredSize(specs('cluster: { systemNodeGroup: { minSize: 2, maxSize: 5, desiredSize: 4 } }').production)).toBe(4);
  });

  it('namespace pod security: the namespace level, or security.podSecurity', () => {
    const s = specs('security: { podSecurity: baseline }', 'namespaces:', '  apps: {}', '  tools: { podSecurity: privileged }').production;
    expect(derive.namespacePodSecurity(s, 'apps')).toBe('baseline');
    expect(derive.namespacePodSecurity(s, 'tools')).toBe('privileged');
    expect(derive.namespacePodSecurity(defaults.production, 'apps')).toBe('restricted');
  });

  it.each([
    // [case, env, cluster.karpenter line or undefined, expected alias]
    ['production, not set: the pinned release', 'production', undefined, 'al2023@v20260714'],
    ['staging, not set: latest', 'staging', undefined, 'al2023@latest'],
    ['production, productionAmiAlias set', 'production', '  karpenter: { productionAmiAlias: al2023@v20260724 }', 'al2023@v20260724'],
    ['staging, productionAmiAlias set: still latest', 'staging', '  karpenter: { productionAmiAlias: al2023@v20260724 }', 'al2023@latest'],
    ['production, amiAlias set', 'production', '  karpenter: { amiAlias: al2023@v20260709 }', 'al2023@v20260709'],
    ['staging, amiAlias set', 'staging', '  karpenter: { amiAlias: al2023@v20260709 }', 'al2023@v20260709'],
  ] as const)('amiAlias: %s', (_, env, line, expected) => {
    const s = (line ? specs('cluster:', line) : specs())[env];
    expect(derive.amiAlias(s, envOf(s, env))).toBe(expected);
  });

  it('drNetwork: none without a DR region; the primary CIDR and isolated subnets without drVpcCidr; planned in drVpcCidr with it', () => {
    const withDr = (extra: string) => load(lines(...BASE_LINES.slice(0, 7), `  production: { accountId: "111111111111", region: us-east-1, drRegion: us-west-2${extra}, production: true }`, ...BASE_LINES.slice(8)));
    const staging = specs().staging;
    expect(derive.drNetwork(staging, envOf(staging, 'staging'))).toBeUndefined();
    const legacy = withDr('').production;
    expect(derive.drNetwork(legacy, envOf(legacy, 'production'))).toEqual({ vpcCidr: '10.10.0.0/16', isolatedCidrs: ['10.10.201.0/24', '10.10.202.0/24', '10.10.203.0/24'], cidrGiven: false });
    const given = withDr(', drVpcCidr: 10.20.0.0/16').production;
    expect(derive.drNetwork(given, envOf(given, 'production'))).toEqual({ vpcCidr: '10.20.0.0/16', isolatedCidrs: ['10.20.201.0/24', '10.20.202.0/24', '10.20.203.0/24'], cidrGiven: true });
  });

  it('every exported function of derive.ts has a test here', () => {
    const tested = [
      'natGateways', 'capacityTypes', 'deletionProtection', 'crossRegionReplica', 'autoSync', 'approvalRequired', 'allowedRegions', 'githubRepositories',
      'workloadPort', 'workloadRepository', 'workloadProbes', 'workloadPool', 'subnets', 'notifyEmails', 'desiredSize', 'namespacePodSecurity',
      'amiAlias', 'drNetwork', 'promotion', 'promotionTargets', 'imageSignatures', 'admissionFailurePolicy', 'signingEnvironment', 'userFacing', 'workloadReplicas', 'workloadAutoscaling', 'buildContext', 'probeOf',
    ];
    expect(Object.keys(derive).sort()).toEqual([...tested].sort());
  });
});

describe('planSubnets', () => {
  it.each([
    // [vpc, zones, expected plan or undefined]
    ['10.10.0.0/16', 3, { private: ['10.10.1.0/24', '10.10.2.0/24', '10.10.3.0/24'], public: ['10.10.101.0/24', '10.10.102.0/24', '10.10.103.0/24'], isolated: ['10.10.201.0/24', '10.10.202.0/24', '10.10.203.0/24'] }],
    ['10.10.0.0/16', 1, { private: ['10.10.1.0/24'], public: ['10.10.101.0/24'], isolated: ['10.10.201.0/24'] }],
    ['172.16.0.0/20', 3, { private: ['172.16.0.0/24', '172.16.1.0/24', '172.16.2.0/24'], public: ['172.16.3.0/24', '172.16.4.0/24', '172.16.5.0/24'], isolated: ['172.16.6.0/24', '172.16.7.0/24', '172.16.8.0/24'] }],
    ['172.16.0.0/20', 2, { private: ['172.16.0.0/23', '172.16.2.0/23'], public: ['172.16.4.0/23', '172.16.6.0/23'], isolated: ['172.16.8.0/23', '172.16.10.0/23'] }],
    ['192.168.1.0/24', 3, { private: ['192.168.1.0/28', '192.168.1.16/28', '192.168.1.32/28'], public: ['192.168.1.48/28', '192.168.1.64/28', '192.168.1.80/28'], isolated: ['192.168.1.96/28', '192.168.1.112/28', '192.168.1.128/28'] }],
    ['192.168.1.0/24', 6, undefined],
    ['10.0.0.0/26', 3, undefined],
    ['10.0.0.0/28', 1, undefined],
  ] as const)('%s for %i zones', (vpc, zones, expected) => {
    expect(planSubnets(vpc, zones)).toEqual(expected);
  });

  it('every planned subnet lies inside the VPC and none overlap, for /16 to /24 and 1 to 6 zones', async () => {
    const { contains, overlaps, parseCidr } = await import('../../src/compiler/cidr.js');
    for (let prefix = 16; prefix <= 24; prefix++) {
      for (let zones = 1; zones <= 6; zones++) {
        const vpc = `10.${prefix}.0.0/${prefix}`;
        const plan = planSubnets(vpc, zones);
        if (!plan) continue;
        const all = [...plan.private, ...plan.public, ...plan.isolated].map(parseCidr);
        expect(all).toHaveLength(3 * zones);
        for (const b of all) expect(contains(parseCidr(vpc), b), `${vpc} ${zones}`).toBe(true);
        for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlaps(all[i]!, all[j]!), `${vpc} ${zones}`).toBe(false);
      }
    }
  });

  it('a VPC too small for the zones is reported as INN024 when a tier is left to the plan', () => {
    const diags = diagnose(base('network: { vpcCidr: 10.0.0.0/26 }'));
    expect(diags.map((d) => d.code), show(diags)).toContain('INN024');
    const given = diagnose(base('network:', '  vpcCidr: 10.0.0.0/26', '  subnets:', '    public: [10.0.0.0/28, 10.0.0.16/28, 10.0.0.32/28]', '    private: [10.0.0.48/28, 10.0.0.0/28, 10.0.0.16/28]', '    isolated: [10.0.0.32/28, 10.0.0.48/28, 10.0.0.0/28]'));
    expect(given.map((d) => d.code)).not.toContain('INN024');
  });
});
