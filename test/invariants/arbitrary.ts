/**
 * fast-check arbitrary of valid innovate specs, built from the schema's own constraints
 * (not mutations of the example): random CIDR plans, 3-6 zones, 1-20 workloads, 1-4
 * environments with overrides, satisfiable node pools drawn from the instance table,
 * optional sections on and off, Pod Identity and IRSA.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { planSubnets } from '../../src/compiler/cidr.js';
import { INSTANCE_FAMILIES } from '../../src/validators/data/instance-families.js';

type Json = Record<string, unknown>;

const ENV_NAMES = ['production', 'staging', 'dev', 'qa'] as const;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'] as const;
const GENERAL = INSTANCE_FAMILIES.filter((f) => ['t', 'm', 'c', 'r'].includes(f.category));

const name = (max: number) => fc.stringMatching(new RegExp(`^[a-z][a-z0-9]{1,${max - 1}}$`));
const accountId = fc.integer({ min: 100000000000, max: 999999999999 }).map(String);

/** A VPC CIDR from /16 to /20 inside 10.0.0.0/8 or 172.16.0.0/12. */
const vpcCidr = fc.record({ prefix: fc.integer({ min: 16, max: 20 }), a: fc.integer({ min: 0, max: 255 }), b: fc.integer({ min: 0, max: 255 }), private172: fc.boolean() }).map(({ prefix, a, b, private172 }) => {
  const second = private172 ? 16 + (a % 16) : a;
  const third = prefix === 16 ? 0 : b & (0xff << (24 - prefix)) & 0xff;
  return `${private172 ? 172 : 10}.${second}.${third}.0/${prefix}`;
});

/** A pool whose requirements select at least the family it was drawn from. */
const pool = (role: 'application' | 'platform') =>
  fc.record({
    family: fc.constantFrom(...GENERAL),
    extraCategories: fc.subarray(['m', 'c', 'r', 't']),
    bothArchs: fc.boolean(),
    // Stated capacity keeps On-Demand (production must be able to run there: INV105); Spot-only pools come from the default outside production.
    capacity: fc.option(fc.constantFrom(['on-demand'] as const, ['spot', 'on-demand'] as const), { nil: undefined }),
    bound: fc.nat(),
    // Limits that hold the platform tooling and up to 20 workloads (the platform pool alone needs about 4 CPU and 7 GiB): smaller ones are INV104 findings, not valid specs.
    limits: fc.option(fc.record({ cpu: fc.integer({ min: 200, max: 1000 }).map(String), memory: fc.integer({ min: 800, max: 4000 }).map((g) => `${g}Gi`) }), { nil: undefined }),
    weight: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  }).map(({ family, extraCategories, bothArchs, capacity, bound, limits, weight }) => ({
    role,
    architectures: bothArchs ? ['amd64', 'arm64'] : [family.architecture],
    instanceCategories: [...new Set([family.category, ...extraCategories])],
    instanceGeneration: { greaterThan: bound % family.generation },
    ...(capacity ? { capacityTypes: capacity } : {}),
    ...(limits ? { limits } : {}),
    ...(weight ? { weight } : {}),
  }));

const resources = fc.record({ cpuReq: fc.integer({ min: 50, max: 1000 }), cpuExtra: fc.integer({ min: 0, max: 2000 }), memReq: fc.integer({ min: 64, max: 2048 }), memExtra: fc.integer({ min: 0, max: 4096 }) }).map((r) => ({
  requests: { cpu: `${r.cpuReq}m`, memory: `${r.memReq}Mi` },
  limits: { cpu: `${r.cpuReq + r.cpuExtra}m`, memory: `${r.memReq + r.memExtra}Mi` },
}));

const SCHEDULES = ['30 2 * * *', '*/15 * * * *', '0 6 * * MON-FRI', '@daily', '@hourly', '0 0 1 JAN,JUL ?'];
const TIME_ZONES = ['Etc/UTC', 'Europe/Dublin', 'America/New_York', 'Asia/Tokyo'];

const workload = fc.record({
  // Services mostly, as real platforms; every kind and type appears (README, "Workload kinds").
  kind: fc.constantFrom('service', 'service', 'worker', 'cronjob'),
  type: fc.constantFrom('flask', 'react', 'container'),
  // A worker's or cronjob's probes: none, an exec liveness probe, or (worker with a port) TCP and HTTP.
  probes: fc.constantFrom('default', 'exec', 'tcp'),
  schedule: fc.constantFrom(...SCHEDULES),
  timeZone: fc.constantFrom(...TIME_ZONES),
  concurrencyPolicy: fc.constantFrom('Forbid', 'Allow', 'Replace'),
  rootContext: fc.boolean(),
  userFacing: fc.boolean(),
  min: fc.integer({ min: 2, max: 5 }),
  extra: fc.integer({ min: 0, max: 20 }),
  cpu: fc.integer({ min: 30, max: 95 }),
  memory: fc.integer({ min: 30, max: 95 }),
  resources,
  exposed: fc.boolean(),
  database: fc.boolean(),
  migration: fc.boolean(),
  metrics: fc.boolean(),
  aws: fc.boolean(),
  port: fc.option(fc.integer({ min: 1024, max: 65535 }), { nil: undefined }),
  // Mostly none (CI promotes sha-<commit>; no pods until then), else a promoted CI tag or an explicit one (an input plan checks).
  tag: fc.option(fc.oneof(fc.stringMatching(/^sha-[0-9a-f]{12}$/), fc.stringMatching(/^v?[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,3}$/)), { nil: undefined, freq: 2 }),
  poolIndex: fc.nat(),
  secret: fc.boolean(),
});

export interface GeneratedSpec {
  readonly spec: Json;
  readonly yaml: string;
}

export const specArbitrary: fc.Arbitrary<GeneratedSpec> = fc
  .record({
    project: name(10),
    envCount: fc.integer({ min: 1, max: 4 }),
    hasProduction: fc.boolean(),
    accounts: fc.uniqueArray(accountId, { minLength: 5, maxLength: 5 }),
    regions: fc.array(fc.constantFrom(...REGIONS), { minLength: 4, maxLength: 4 }),
    dr: fc.boolean(),
    vpc: vpcCidr,
    zoneCount: fc.integer({ min: 3, max: 6 }),
    explicitSubnets: fc.boolean(),
    nat: fc.option(fc.constantFrom('perZone', 'single'), { nil: undefined }),
    appPools: fc.array(pool('application'), { minLength: 1, maxLength: 3 }),
    platformPool: pool('platform'),
    workloads: fc.array(workload, { minLength: 1, maxLength: 20 }),
    identity: fc.constantFrom('podIdentity', 'irsa'),
    organization: fc.boolean(),
    serverless: fc.boolean(),
    // How images reach the environments: the default (the build environment replicates to every other), the
    // one-hop shape (registry.replication.to: one environment) or a chain through every environment.
    replication: fc.constantFrom('none', 'single', 'chain'),
    // At least the platform team: a cluster with no cluster-admin access entry is unreachable (INV111).
    teams: fc.integer({ min: 1, max: 3 }),
    publicEndpoint: fc.boolean(),
    slack: fc.boolean(),
    overrides: fc.array(fc.record({ instances: fc.integer({ min: 1, max: 3 }), maxBump: fc.integer({ min: 0, max: 10 }), budget: fc.integer({ min: 100, max: 100000 }) }), { minLength: 4, maxLength: 4 }),
    flowLogTraffic: fc.constantFrom('ALL', 'REJECT', 'ACCEPT'),
    nacls: fc.boolean(),
    signing: fc.boolean(),
  })
  .map((g) => {
    const envNames = g.hasProduction ? ENV_NAMES.slice(0, g.envCount) : ENV_NAMES.slice(1, 1 + Math.min(g.envCount, 3));
    const zones = 'abcdef'.slice(0, g.zoneCount).split('');
    const pools: Json = {};
    g.appPools.forEach((p, i) => (pools[`app${i}`] = p));
    pools.platform = g.platformPool;
    const workloads: Json = {};
    const anyExposed = g.workloads.some((w) => w.exposed && w.kind === 'service');
    g.workloads.forEach((w, i) => {
      const wname = `w${i}`;
      // Workers and cronjobs are never exposed, user-facing or scraped, and run their own command;
      // react is a service only (nginx serving files). A cronjob has a schedule and no replicas.
      const kind = w.kind;
      const type = kind !== 'service' && w.type === 'react' ? 'flask' : w.type;
      const serves = kind === 'service';
      const cron = kind === 'cronjob';
      const workerPort = kind === 'worker' && w.probes === 'tcp' ? (w.port ?? 8081) : undefined;
      const probes =
        kind === 'service'
          ? w.probes === 'tcp' ? { liveness: { tcp: true } } : w.probes === 'exec' ? { startup: { exec: ['/bin/started'] } } : undefined
          : w.probes === 'exec' ? { liveness: { exec: ['/bin/health'] } } : workerPort !== undefined ? { liveness: { path: '/alive' }, readiness: { tcp: true } } : undefined;
      workloads[wname] = {
        ...(kind !== 'service' ? { kind } : {}),
        type,
        ...(type === 'container' ? { build: w.rootContext ? { dockerfile: `cmd/${wname}/Dockerfile`, context: '.' } : { dockerfile: `${wname}/Dockerfile` } } : {}),
        ...(!serves ? { command: type === 'flask' ? ['python', '-m', `${wname}.main`] : [`/${wname}`], args: ['--once'] } : {}),
        ...(serves ? { userFacing: w.userFacing } : {}),
        ...(!cron ? { replicas: { min: w.min, max: w.min + w.extra }, autoscaling: { cpuUtilization: w.cpu, memoryUtilization: w.memory } } : {}),
        ...(cron ? { cronjob: { schedule: w.schedule, timeZone: w.timeZone, concurrencyPolicy: w.concurrencyPolicy } } : {}),
        ...(probes ? { probes } : {}),
        resources: w.resources,
        ...(w.tag !== undefined ? { tag: w.tag } : {}),
        pool: `app${w.poolIndex % g.appPools.length}`,
        ...(serves && w.port ? { port: w.port } : {}),
        ...(workerPort !== undefined ? { port: workerPort } : {}),
        ...(serves && w.exposed ? { ingress: { path: i === 0 ? '/' : `/${wname}` } } : {}),
        ...(w.database ? { database: true } : {}),
        ...(w.migration && type === 'flask' ? { migration: { command: ['flask', 'db', 'upgrade'] } } : {}),
        ...(serves && w.metrics ? { metrics: { path: '/metrics' } } : {}),
        ...(w.aws ? { aws: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${g.project}-data/${wname}/*`] }] } : {}),
        ...(w.secret ? { secrets: { DB_PASSWORD: { secret: 'db-user', key: 'password' } } } : {}),
      };
    });
    const environments: Json = {};
    envNames.forEach((env, i) => {
      const region = g.regions[i]!;
      const drRegion = REGIONS.find((r) => r !== region)!;
      environments[env] = {
        accountId: g.accounts[i],
        region,
        production: env === 'production',
        ...(env === 'production' && g.dr ? { drRegion } : {}),
        overrides: {
          database: { instances: g.overrides[i]!.instances },
          cost: { monthlyBudgetUsd: g.overrides[i]!.budget },
          // About half the environments name a hosted zone of their own account (derived from the account, so the
          // draws stay as they were): external-dns then writes the host's record (INV114, INV115).
          ...(anyExposed ? { ingress: { host: `${env}.${g.project}.example.com`, ...(Number(g.accounts[i]) % 2 === 0 ? { hostedZoneId: `Z${g.accounts[i]}ZONE` } : {}) } } : {}),
          ...((workloads.w0 as { replicas?: { max: number } }).replicas ? { workloads: { w0: { replicas: { max: (workloads.w0 as { replicas: { max: number } }).replicas.max + g.overrides[i]!.maxBump } } } } : {}),
        },
      };
    });
    const plan = planSubnets(g.vpc, zones.length)!;
    const teams: Json = {};
    // With IAM Identity Center, even teams map to its permission set (innovate creates their roles); the others name existing roles.
    const principal = (i: number, name: string): Json => (g.organization && i % 2 === 0 ? { permissionSet: 'developers' } : { iamRoleName: name });
    for (let i = 0; i < g.teams; i++) teams[`team${i}`] = i === 0 ? { ...principal(0, `${g.project}-admins`), clusterAdmin: true } : { ...principal(i, `${g.project}-team${i}`), namespaces: ['apps'], access: i % 2 ? 'edit' : 'view' };
    const spec: Json = {
      apiVersion: 'innovate.dev/v1alpha1',
      kind: 'Platform',
      metadata: { name: g.project, owner: 'platform', costCenter: 'cc-1' },
      ...(g.organization ? { organization: { managementAccountId: g.accounts[4], sso: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', permissionSets: { developers: { managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], groupId: 'g-1' } } } } } : {}),
      environments,
      network: {
        vpcCidr: g.vpc,
        zones,
        ...(g.explicitSubnets ? { subnets: plan } : {}),
        ...(g.nat ? { natGateways: g.nat } : {}),
        flowLogs: { enabled: true, trafficType: g.flowLogTraffic },
        nacls: { enabled: g.nacls },
      },
      cluster: {
        endpoint: g.publicEndpoint ? { publicAccess: true, publicAccessCidrs: ['198.51.100.0/24'] } : { publicAccess: false },
        nodePools: pools,
      },
      teams,
      workloads,
      // Production verifies image signatures at admission (INV123): it needs the signing key.
      registry: { signing: g.signing || g.hasProduction, ...replicationOf(g.replication, envNames) },
      database: g.serverless ? { serverlessV2: { minCapacity: 0.5, maxCapacity: 16 } } : {},
      delivery: { appRepository: `acme/${g.project}`, configRepository: `acme/${g.project}-config` },
      security: { workloadIdentity: g.identity, secrets: { 'db-user': { kind: 'database-user' } } },
      observability: { alerts: { emails: ['ops@example.com'], ...(g.slack ? { slack: { workspaceId: 'T01234567', channelId: 'C01234567' } } : {}) } },
    };
    return { spec, yaml: stringify(spec) };
  });

/**
 * registry.replication of a generated spec: none (the default chain), one hop (the shape before
 * chains), or a chain through every environment, non-production first and production last.
 */
function replicationOf(shape: 'none' | 'single' | 'chain', envNames: readonly string[]): Json {
  if (shape === 'none' || envNames.length < 2) return {};
  if (shape === 'single' || envNames.length < 3) return { replication: { from: envNames[1], to: envNames[0] } };
  const others = envNames.filter((n) => n !== 'production');
  return { replication: { from: others.at(-1), to: [...others.slice(0, -1), ...envNames.filter((n) => n === 'production')] } };
}

/** The same spec with every map's keys in a random order (arrays untouched). */
export function shuffleKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rand)]));
  }
  return value;
}

/** Runs per property: at least 200 in CI, many more with INNOVATE_DEEP. */
export const RUNS = process.env.INNOVATE_DEEP ? 2000 : 200;

/**
 * Time allowed to a property test: fast-check runs synchronously, so vitest cannot stop it
 * early anyway; a generous bound keeps a slow machine from failing a passing property.
 */
export const PROPERTY_TIMEOUT_MS = process.env.INNOVATE_DEEP ? 3_600_000 : 600_000;
