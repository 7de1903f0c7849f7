/**
 * One row per diagnostic a spec can produce: the spec text, the code, the path and the
 * exact line and column. Every code of the catalogue needs a row here (or in the
 * file-level tests at the bottom), or an entry in NOT_EMITTED with the reason.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CODES, type Code } from '../../src/diagnostics/codes.js';
import { formatPath } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { MAX_SOURCE_BYTES } from '../../src/source/parse.js';
import { readSpecFile } from '../../bin/io.js';
import { ALERT_LINES, base, BASE_LINES, diagnose, lines, show, tempDir, textAt } from './helpers.js';

interface Row {
  /** What the row shows. */
  readonly name: string;
  readonly spec: string;
  readonly code: Code;
  /** formatPath of the diagnostic's path. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  /** The source text at line:column starts with this (guards the numbers themselves). */
  readonly at?: string;
  readonly message?: RegExp;
  readonly hint?: RegExp;
  /** The environments listed on the diagnostic, when it comes from merged environments. */
  readonly environments?: readonly string[];
  readonly severity?: 'error' | 'warning';
}

const BOTH = ['production', 'staging'] as const;

const bomb = lines(
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  'g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]',
  'h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]',
  'i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]',
);

/** The architecture document's Karpenter pools, as written there. */
const documentPools = [
  'cluster:',
  '  nodePools:',
  '    spot-x86:',
  '      role: application',
  '      architectures: [amd64]',
  '      instanceCategories: [t]',
  '      instanceGeneration: { greaterThan: 3 }',
  '    spot-arm64:',
  '      role: application',
  '      architectures: [arm64]',
  '      instanceCategories: [t]',
  '      instanceGeneration: { greaterThan: 5 }',
  '    platform: { role: platform }',
];

const ROWS: readonly Row[] = [
  // ---- the document as a whole ------------------------------------------------------
  { name: 'empty text', spec: '', code: 'INN004', path: '', line: 0, column: 0, message: /empty/ },
  { name: 'comments only', spec: '# nothing here\n\n  # still nothing\n', code: 'INN004', path: '', line: 0, column: 0 },
  { name: 'a document that is null', spec: '---\n~\n', code: 'INN004', path: '', line: 0, column: 0 },
  { name: 'text over the size limit', spec: `a: "${'x'.repeat(MAX_SOURCE_BYTES)}"\n`, code: 'INN002', path: '', line: 0, column: 0, message: /limit is 1048576/ },
  // ---- YAML -----------------------------------------------------------------------------
  { name: 'unclosed flow map', spec: base('workloads:', '  api: { type: flask', 'registry: {}'), code: 'INN005', path: '', line: 15, column: 1 },
  { name: 'tab indentation', spec: base('workloads:', '\tapi: { type: flask }'), code: 'INN005', path: '', line: 14, column: 1, message: /Tabs/ },
  { name: 'alias without anchor', spec: base('workloads:', '  api: *api'), code: 'INN005', path: 'workloads.api', line: 14, column: 8, at: '*api', message: /no anchor &api/ },
  { name: 'duplicate key', spec: base('workloads:', '  api: { type: flask }', '  api: { type: react }'), code: 'INN006', path: 'workloads.api', line: 15, column: 3, at: 'api: { type: react', message: /duplicate key "api"/ },
  { name: 'duplicate top-level key', spec: base('kind: Platform'), code: 'INN006', path: 'kind', line: 13, column: 1 },
  { name: 'alias bomb (billion laughs)', spec: bomb, code: 'INN007', path: '', line: 2, column: 8, at: '*a', message: /aliases expand too much/ },
  { name: 'more than 100 aliases', spec: lines('a: &a 1', ...Array.from({ length: 101 }, (_, i) => `k${i}: *a`)), code: 'INN007', path: '', line: 102, column: 7, at: '*a', message: /101 aliases; the limit is 100/ },
  { name: '100 nested flow sequences', spec: `${'['.repeat(100)}${']'.repeat(100)}\n`, code: 'INN008', path: '', line: 1, column: 66, message: /deeper than 64/ },
  { name: 'deep block maps', spec: lines(...Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}a:`)), code: 'INN008', path: '', line: 66, column: 66 },
  { name: '__proto__ key', spec: base('__proto__: { polluted: true }'), code: 'INN009', path: '__proto__', line: 13, column: 1, hint: /never valid keys/ },
  { name: 'constructor key nested', spec: lines('apiVersion: innovate.dev/v1alpha1', 'metadata:', '  constructor: 1'), code: 'INN009', path: 'metadata.constructor', line: 3, column: 3 },
  { name: 'prototype key in a list item', spec: lines('workloads:', '  - prototype: 1'), code: 'INN009', path: 'workloads[0].prototype', line: 2, column: 5 },
  { name: 'second YAML document', spec: base('---', 'apiVersion: innovate.dev/v1alpha1'), code: 'INN010', path: '', line: 13, column: 1 },
  // ---- shape (zod) ----------------------------------------------------------------------
  {
    name: 'unknown key with did-you-mean',
    spec: base('workloads:', '  api: { type: flask, replicsa: { min: 2 } }'),
    code: 'INN011', path: 'workloads.api.replicsa', line: 14, column: 23, at: 'replicsa',
    message: /did you mean "replicas"/, hint: /rename it to "replicas"/, environments: BOTH,
  },
  { name: 'unknown top-level key', spec: base('metadat2: {}'), code: 'INN011', path: 'metadat2', line: 13, column: 1, hint: /rename it to "metadata"/ },
  { name: 'unknown key without a guess lists the keys', spec: base('zzzzzzzzzz: 1'), code: 'INN011', path: 'zzzzzzzzzz', line: 13, column: 1, hint: /allowed keys here: apiVersion, kind, metadata/ },
  { name: 'string instead of number', spec: base('workloads:', '  api: { type: flask, port: "5000" }'), code: 'INN012', path: 'workloads.api.port', line: 14, column: 29, at: '"5000"', message: /expected number, got the string "5000"/ },
  { name: 'unquoted account id is a number', spec: base('organization:', '  managementAccountId: 123456789012'), code: 'INN012', path: 'organization.managementAccountId', line: 14, column: 24, message: /expected string, got number/ },
  { name: 'list instead of map', spec: base('database: [1]'), code: 'INN012', path: 'database', line: 13, column: 11, message: /got a list/ },
  { name: 'top-level list', spec: lines('- a', '- b'), code: 'INN012', path: '', line: 1, column: 1, message: /expected object, got a list/ },
  { name: 'top-level scalar', spec: 'just text\n', code: 'INN012', path: '', line: 1, column: 1, message: /got the string "just text"/ },
  { name: 'non-string map key', spec: base('? [a, b]', ': 1'), code: 'INN012', path: '', line: 13, column: 3, message: /plain strings/ },
  { name: 'missing required field', spec: lines(...BASE_LINES.filter((l) => !l.includes('costCenter'))), code: 'INN013', path: 'metadata.costCenter', line: 4, column: 3, message: /"costCenter" is required/ },
  { name: 'missing section', spec: lines(...BASE_LINES.slice(0, 9)), code: 'INN013', path: 'delivery', line: 1, column: 1 },
  { name: 'number below its range', spec: base('workloads:', '  api: { type: flask, port: 80 }'), code: 'INN014', path: 'workloads.api.port', line: 14, column: 29, message: /at least 1024/ },
  { name: 'number above its range', spec: base('database:', '  backupRetentionDays: 36'), code: 'INN014', path: 'database.backupRetentionDays', line: 14, column: 24, message: /at most 35/ },
  { name: 'too many zones', spec: base('network:', '  zones: [a, b, c, d, e, f, g]'), code: 'INN014', path: 'network.zones', line: 14, column: 10, message: /at most 6 items/ },
  { name: 'VPC larger than /16', spec: base('network:', '  vpcCidr: 10.0.0.0/8'), code: 'INN014', path: 'network.vpcCidr', line: 14, column: 12, message: /between \/16 and \/28/ },
  {
    name: 'subnet smaller than /28',
    spec: base('network:', '  subnets:', '    public: [10.10.101.0/29, 10.10.102.0/24, 10.10.103.0/24]'),
    code: 'INN014', path: 'network.subnets.public[0]', line: 15, column: 14, message: /smaller than \/28/,
  },
  { name: 'malformed CIDR', spec: base('network:', '  vpcCidr: 10.10.0.0/33'), code: 'INN015', path: 'network.vpcCidr', line: 14, column: 12, message: /IPv4 CIDR/ },
  { name: 'CIDR with host bits', spec: base('network:', '  vpcCidr: 10.10.0.1/16'), code: 'INN015', path: 'network.vpcCidr', line: 14, column: 12, message: /network address is 10\.10\.0\.0\/16/ },
  { name: 'short account id', spec: base('organization:', '  managementAccountId: "12345"'), code: 'INN015', path: 'organization.managementAccountId', line: 14, column: 24, message: /12-digit AWS account id/ },
  {
    name: 'malformed region',
    spec: lines(...BASE_LINES.slice(0, 8), '  staging: { accountId: "222222222222", region: us-east1 }', ...BASE_LINES.slice(9)),
    code: 'INN015', path: 'environments.staging.region', line: 9, column: 49, at: 'us-east1', message: /AWS region code/,
  },
  { name: 'malformed instance type', spec: base('cluster:', '  systemNodeGroup:', '    instanceTypes: [t3.smal]'), code: 'INN015', path: 'cluster.systemNodeGroup.instanceTypes[0]', line: 15, column: 21, message: /EC2 instance type/ },
  { name: 'malformed DNS label as a map key', spec: base('workloads:', '  My_Api: { type: flask }'), code: 'INN015', path: 'workloads.My_Api', line: 14, column: 3, at: 'My_Api', message: /the key "My_Api" must be a DNS label/ },
  { name: 'enum with did-you-mean', spec: base('workloads:', '  api: { type: flsk }'), code: 'INN016', path: 'workloads.api.type', line: 14, column: 16, at: 'flsk', message: /one of: flask, react, container; did you mean "flask"/ },
  { name: 'enum in a list', spec: base('network:', '  endpoints: [s3, ecr-api]'), code: 'INN016', path: 'network.endpoints[1]', line: 14, column: 19, at: 'ecr-api', message: /did you mean "ecr\.api"/ },
  { name: 'wrong apiVersion', spec: lines('apiVersion: innovate.dev/v1', ...BASE_LINES.slice(1)), code: 'INN017', path: 'apiVersion', line: 1, column: 13, message: /must be innovate\.dev\/v1alpha1, got the string "innovate\.dev\/v1"/ },
  { name: 'wrong kind', spec: lines(BASE_LINES[0], 'kind: Platfrom', ...BASE_LINES.slice(2)), code: 'INN017', path: 'kind', line: 2, column: 7 },
  { name: 'missing apiVersion', spec: lines(...BASE_LINES.slice(1)), code: 'INN017', path: 'apiVersion', line: 1, column: 1, message: /"apiVersion" is required and must be innovate\.dev\/v1alpha1/ },
  { name: 'no environment', spec: lines(...BASE_LINES.slice(0, 6), 'environments: {}', ...BASE_LINES.slice(9)), code: 'INN018', path: 'environments', line: 7, column: 15, message: /at least one environment/ },
  { name: 'log retention not offered by CloudWatch', spec: base('observability:', '  logRetentionDays: 42'), code: 'INN018', path: 'observability.logRetentionDays', line: 14, column: 21, message: /retention periods/ },
  // ---- environment overrides ------------------------------------------------------------
  {
    name: 'section that cannot be overridden',
    spec: lines(...BASE_LINES.slice(0, 8), '  staging:', '    accountId: "222222222222"', '    region: us-east-1', '    overrides:', '      metadata: { name: other }', ...BASE_LINES.slice(9)),
    code: 'INN019', path: 'environments.staging.overrides.metadata', line: 13, column: 7, at: 'metadata',
  },
  {
    name: 'misspelt override section',
    spec: lines(...BASE_LINES.slice(0, 8), '  staging:', '    accountId: "222222222222"', '    region: us-east-1', '    overrides:', '      netwrok: {}', ...BASE_LINES.slice(9)),
    code: 'INN019', path: 'environments.staging.overrides.netwrok', line: 13, column: 7, message: /did you mean "network"/,
  },
  {
    name: 'out-of-range value inside an override points at the override',
    spec: lines(...BASE_LINES.slice(0, 8), '  staging:', '    accountId: "222222222222"', '    region: us-east-1', '    overrides:', '      database: { instances: 0 }', ...BASE_LINES.slice(9)),
    code: 'INN014', path: 'database.instances', line: 13, column: 30, at: '0 }', environments: ['staging'],
  },
  {
    name: 'unknown key inside an override points at the override key',
    spec: lines(...BASE_LINES.slice(0, 8), '  staging:', '    accountId: "222222222222"', '    region: us-east-1', '    overrides:', '      database:', '        instanceClas: db.t4g.medium', ...BASE_LINES.slice(9)),
    code: 'INN011', path: 'database.instanceClas', line: 14, column: 9, message: /did you mean "instanceClass"/, environments: ['staging'],
  },
  {
    name: 'semantic finding set by an override points at the override',
    spec: lines(
      ...BASE_LINES.slice(0, 8),
      '  staging:',
      '    accountId: "222222222222"',
      '    region: us-east-1',
      '    overrides:',
      '      workloads:',
      '        api: { replicas: { min: 1 } }',
      ...BASE_LINES.slice(9),
      'workloads:',
      '  api: { type: flask }',
    ),
    code: 'INN031', path: 'workloads.api.replicas.min', line: 14, column: 33, at: '1 }', environments: ['staging'],
  },
  // ---- network --------------------------------------------------------------------------
  {
    name: 'subnet outside the VPC',
    spec: base('network:', '  subnets:', '    public: [10.10.101.0/24, 10.20.102.0/24, 10.10.103.0/24]'),
    code: 'INN020', path: 'network.subnets.public[1]', line: 15, column: 30, at: '10.20.102.0/24', message: /10\.20\.102\.0\/24 is outside the VPC 10\.10\.0\.0\/16/, environments: BOTH,
  },
  {
    name: 'overlapping subnets',
    spec: base('network:', '  subnets:', '    private: [10.10.1.0/24, 10.10.1.128/25, 10.10.3.0/24]'),
    code: 'INN021', path: 'network.subnets.private[1]', line: 15, column: 29, message: /overlaps 10\.10\.1\.0\/24 at network\.subnets\.private\[0\]/,
  },
  {
    name: 'subnet count does not match the zones',
    spec: base('network:', '  subnets:', '    isolated: [10.10.201.0/24, 10.10.202.0/24]'),
    code: 'INN022', path: 'network.subnets.isolated', line: 15, column: 15, message: /2 isolated subnets for 3 zones/,
  },
  { name: 'production with two zones', spec: base('network:', '  zones: [a, b]'), code: 'INN023', path: 'network.zones', line: 14, column: 10, message: /spans 2 zones/, environments: ['production'] },
  { name: 'VPC too small to plan', spec: base('network:', '  vpcCidr: 10.10.0.0/26'), code: 'INN024', path: 'network.vpcCidr', line: 14, column: 12 },
  { name: 'duplicate zone', spec: base('network:', '  zones: [a, b, a, c]'), code: 'INN025', path: 'network.zones[2]', line: 14, column: 17, message: /zone "a" is listed twice/ },
  // ---- workloads ------------------------------------------------------------------------
  { name: 'HPA min above max', spec: base('workloads:', '  api:', '    type: flask', '    replicas: { min: 5, max: 2 }'), code: 'INN030', path: 'workloads.api.replicas.min', line: 16, column: 22, message: /replicas\.min 5 exceeds replicas\.max 2/ },
  { name: 'user-facing service with one replica', spec: base('workloads:', '  api:', '    type: flask', '    replicas: { min: 1 }'), code: 'INN031', path: 'workloads.api.replicas.min', line: 16, column: 22, environments: BOTH },
  {
    name: 'request above limit',
    spec: base('workloads:', '  api:', '    type: flask', '    resources:', '      requests: { cpu: "2", memory: 256Mi }'),
    code: 'INN032', path: 'workloads.api.resources.requests.cpu', line: 17, column: 24, at: '"2"', message: /cpu request 2 exceeds the limit 1/,
  },
  {
    name: 'namespace quota requests above limits',
    spec: base('namespaces:', '  apps:', '    quota: { requestsMemory: 90Gi }'),
    code: 'INN032', path: 'namespaces.apps.quota.requestsMemory', line: 15, column: 30, at: '90Gi', message: /exceeds limits\.memory 80Gi/,
  },
  { name: 'unknown node pool', spec: base('workloads:', '  api: { type: flask, pool: genral }'), code: 'INN033', path: 'workloads.api.pool', line: 14, column: 29, message: /did you mean "general"/, hint: /declared: general, platform/ },
  { name: 'workload on the platform pool', spec: base('workloads:', '  api: { type: flask, pool: platform }'), code: 'INN033', path: 'workloads.api.pool', line: 14, column: 29, message: /platform pool/ },
  { name: 'unknown namespace', spec: base('workloads:', '  api: { type: flask, namespace: web }'), code: 'INN034', path: 'workloads.api.namespace', line: 14, column: 34, hint: /declared: apps/ },
  { name: "unknown team namespace", spec: base('teams:', '  web: { iamRoleName: developers, namespaces: [apps, web] }'), code: 'INN034', path: 'teams.web.namespaces[1]', line: 14, column: 54 },
  {
    name: 'unknown secret',
    spec: base('workloads:', '  api:', '    type: flask', '    secrets:', '      DB_PASSWORD: { secret: app-db, key: password }'),
    code: 'INN035', path: 'workloads.api.secrets.DB_PASSWORD.secret', line: 17, column: 30, at: 'app-db',
  },
  { name: 'unknown environment', spec: base('registry:', '  replication: { from: staging, to: prod }'), code: 'INN036', path: 'registry.replication.to', line: 14, column: 37, message: /environment "prod" is not declared/, hint: /declared: production, staging/ },
  {
    name: "the document's x86 pool (t, gen > 3)",
    spec: base(...documentPools),
    code: 'INN037', path: 'cluster.nodePools.spot-x86.instanceGeneration.greaterThan', line: 19, column: 42, at: '3 }',
    message: /pool "spot-x86" selects no instance type/, hint: /t3 \(gen 3, amd64\), t3a \(gen 3, amd64\); set greaterThan to 2 or lower/,
  },
  {
    name: "the document's ARM64 pool (t, gen > 5)",
    spec: base(...documentPools),
    code: 'INN037', path: 'cluster.nodePools.spot-arm64.instanceGeneration.greaterThan', line: 24, column: 42, at: '5 }',
    message: /pool "spot-arm64" selects no instance type/, hint: /available: t4g \(gen 4, arm64\); set greaterThan to 3 or lower/,
  },
  {
    name: 'pool with a category no family has',
    spec: base('cluster:', '  nodePools:', '    general: { role: application, instanceCategories: [q] }', '    platform: { role: platform }'),
    code: 'INN037', path: 'cluster.nodePools.general.instanceCategories', line: 15, column: 55, at: '[q]', hint: /widen instanceCategories/,
  },
  {
    name: 'pool whose families are all of the other architecture',
    spec: base('cluster:', '  nodePools:', '    general: { role: application, instanceFamilies: [m7g] }', '    platform: { role: platform }'),
    code: 'INN037', path: 'cluster.nodePools.general.instanceFamilies', line: 15, column: 53, at: '[m7g]', message: /none of instanceFamilies \(m7g\) is an amd64 family/, hint: /and \d+ more/,
  },
  {
    name: 'unknown instance family in a pool',
    spec: base('cluster:', '  nodePools:', '    general: { role: application, instanceFamilies: [m7i, m7gg] }', '    platform: { role: platform }'),
    code: 'INN038', path: 'cluster.nodePools.general.instanceFamilies[1]', line: 15, column: 59, at: 'm7gg', message: /did you mean "m7g"/,
  },
  { name: 'unknown system instance family', spec: base('cluster:', '  systemNodeGroup: { instanceTypes: [zz9.small] }'), code: 'INN038', path: 'cluster.systemNodeGroup.instanceTypes[0]', line: 14, column: 38 },
  // ---- cluster, security, database --------------------------------------------------------
  {
    name: 'public endpoint open to 0.0.0.0/0',
    spec: base('cluster:', '  endpoint:', '    publicAccess: true', '    publicAccessCidrs: [203.0.113.0/24, 0.0.0.0/0]'),
    code: 'INN039', path: 'cluster.endpoint.publicAccessCidrs[1]', line: 16, column: 41, at: '0.0.0.0/0', environments: BOTH,
  },
  { name: 'public endpoint without CIDRs', spec: base('cluster:', '  endpoint: { publicAccess: true }'), code: 'INN039', path: 'cluster.endpoint.publicAccess', line: 14, column: 29, environments: BOTH },
  { name: 'private endpoint off', spec: base('cluster:', '  endpoint: { privateAccess: false }'), code: 'INN039', path: 'cluster.endpoint.privateAccess', line: 14, column: 30, message: /unreachable/ },
  { name: 'storage unencrypted', spec: base('database:', '  storageEncrypted: false'), code: 'INN040', path: 'database.storageEncrypted', line: 14, column: 21 },
  { name: 'TLS not forced', spec: base('database:', '  forceSsl: false'), code: 'INN041', path: 'database.forceSsl', line: 14, column: 13 },
  { name: 'latest tag', spec: base('workloads:', '  api: { type: flask, tag: latest }'), code: 'INN042', path: 'workloads.api.tag', line: 14, column: 28, at: 'latest' },
  { name: 'tag the lifecycle expires', spec: base('workloads:', '  api: { type: flask, tag: dev-42 }'), code: 'INN078', path: 'workloads.api.tag', line: 14, column: 28, at: 'dev-42' },
  {
    name: 'signature verification without a signing key',
    spec: base('registry: { signing: false }', 'security:', '  admission: { imageSignatures: enforce }'),
    code: 'INN100', path: 'security.admission.imageSignatures', line: 15, column: 33, at: 'enforce', environments: BOTH, message: /registry\.signing is false/,
  },
  { name: 'explicit tag (external input)', spec: base('workloads:', '  api: { type: flask, tag: 1.4.2 }'), code: 'INN079', path: 'workloads.api.tag', line: 14, column: 28, at: '1.4.2' },
  // Workload kinds and types (src/validators/kinds.ts)
  {
    name: 'worker behind an ingress',
    spec: base('workloads:', '  q:', '    kind: worker', '    type: container', '    build: { dockerfile: q/Dockerfile }', '    ingress: { path: /q }'),
    code: 'INN081', path: 'workloads.q.ingress', line: 18, column: 14, at: '{ path', message: /worker "q" has an ingress/, environments: BOTH,
  },
  {
    name: 'cronjob with replicas',
    spec: base('workloads:', '  c:', '    kind: cronjob', '    type: container', '    build: { dockerfile: Dockerfile }', '    cronjob: { schedule: "@daily" }', '    replicas: { min: 2 }'),
    code: 'INN082', path: 'workloads.c.replicas', line: 19, column: 15, at: '{ min', message: /one pod per run/,
  },
  { name: 'service without a readiness probe', spec: base('workloads:', '  api:', '    type: flask', '    probes:', '      readiness: false'), code: 'INN083', path: 'workloads.api.probes.readiness', line: 17, column: 18, at: 'false', message: /turns its readiness probe off/ },
  {
    name: 'ingress backend with one replica and no PDB',
    spec: lines(...BASE_LINES, 'ingress: { host: app.example.com }', 'workloads:', '  api:', '    type: flask', '    userFacing: false', '    replicas: { min: 1 }', '    ingress: { path: /api }'),
    code: 'INN084', path: 'workloads.api.replicas.min', line: 18, column: 22, at: '1 }', message: /no PodDisruptionBudget/,
  },
  { name: 'container without a Dockerfile', spec: base('workloads:', '  api:', '    type: container'), code: 'INN085', path: 'workloads.api.type', line: 15, column: 11, at: 'container', message: /set build\.dockerfile/ },
  {
    name: 'invalid cron schedule',
    spec: base('workloads:', '  c:', '    kind: cronjob', '    type: container', '    build: { dockerfile: Dockerfile }', '    cronjob: { schedule: "61 2 * * *" }'),
    code: 'INN086', path: 'workloads.c.cronjob.schedule', line: 18, column: 26, at: '"61', message: /61 is outside the minute field's 0-59/,
  },
  {
    name: 'time zone in the wrong case',
    spec: base('workloads:', '  c:', '    kind: cronjob', '    type: container', '    build: { dockerfile: Dockerfile }', '    cronjob: { schedule: "@daily", timeZone: Europe/berlin }'),
    code: 'INN087', path: 'workloads.c.cronjob.timeZone', line: 18, column: 46, at: 'Europe/berlin', message: /case-sensitive: write Europe\/Berlin/,
  },
  { name: 'cronjob without a schedule', spec: base('workloads:', '  c:', '    kind: cronjob', '    type: container', '    build: { dockerfile: Dockerfile }'), code: 'INN088', path: 'workloads.c.kind', line: 15, column: 11, at: 'cronjob', message: /has no schedule/ },
  { name: 'flask worker without a command', spec: base('workloads:', '  q:', '    kind: worker', '    type: flask'), code: 'INN089', path: 'workloads.q.type', line: 16, column: 11, at: 'flask', message: /would start gunicorn/ },
  {
    name: 'duplicate ingress path',
    spec: base('ingress: { host: app.example.com }', 'workloads:', '  api: { type: flask, ingress: { path: /api } }', '  web: { type: react, ingress: { path: /api } }'),
    code: 'INN043', path: 'workloads.web.ingress.path', line: 16, column: 40, message: /already served by "api"/,
  },
  { name: 'ingress without a host', spec: base('workloads:', '  api: { type: flask, ingress: { path: /api } }'), code: 'INN044', path: 'workloads.api.ingress', line: 14, column: 32, environments: BOTH },
  { name: 'serverless range inverted', spec: base('database:', '  serverlessV2: { minCapacity: 8, maxCapacity: 2 }'), code: 'INN045', path: 'database.serverlessV2.minCapacity', line: 14, column: 32 },
  { name: 'Grafana sign-in no team maps to a role', spec: base('observability:', '  grafana: { sso: { metadataUrl: "https://portal.sso.us-east-1.amazonaws.com/saml/metadata/x" } }'), code: 'INN107', path: 'observability.grafana.sso', line: 14, column: 19, severity: 'warning' },
  { name: 'generic secret without rotation', spec: base('security:', '  secrets:', '    token: { kind: generic }'), code: 'INN046', path: 'security.secrets.token', line: 15, column: 12, severity: 'warning' },
  {
    name: 'derived IAM role name too long',
    spec: lines(...BASE_LINES.slice(0, 3), '  name: twenty-characters-xx', ...BASE_LINES.slice(4), 'workloads:', '  a-very-long-workload-name-for-iam: { type: flask }'),
    code: 'INN047', path: 'workloads.a-very-long-workload-name-for-iam', line: 14, column: 38, at: '{ type', message: /is 68 characters; the limit is 64/, environments: ['production'],
  },
  { name: 'names that collide as resource ids', spec: base('workloads:', '  my-api: { type: flask }', '  my--api: { type: flask }'), code: 'INN048', path: 'workloads.my-api', line: 14, column: 11, message: /"my-api" and "my--api"/ },
  { name: 'node group minSize above maxSize', spec: base('cluster:', '  systemNodeGroup: { minSize: 3, maxSize: 2 }'), code: 'INN049', path: 'cluster.systemNodeGroup.minSize', line: 14, column: 31 },
  { name: 'desiredSize outside the range', spec: base('cluster:', '  systemNodeGroup: { desiredSize: 5 }'), code: 'INN049', path: 'cluster.systemNodeGroup.desiredSize', line: 14, column: 35, message: /outside 2\.\.3/ },
  {
    name: 'no application pool',
    spec: base('cluster:', '  nodePools:', '    platform: { role: platform }', 'workloads:', '  api: { type: flask }'),
    code: 'INN050', path: 'cluster.nodePools', line: 15, column: 5,
  },
  {
    name: 'environments sharing an account',
    spec: lines(...BASE_LINES.slice(0, 8), '  staging: { accountId: "111111111111", region: us-east-1 }', ...BASE_LINES.slice(9)),
    code: 'INN051', path: 'environments.staging.accountId', line: 9, column: 25, at: '"111111111111"', severity: 'warning', environments: ['staging'],
  },
  { name: 'replication to itself', spec: base('registry:', '  replication: { from: staging, to: staging }'), code: 'INN052', path: 'registry.replication.to', line: 14, column: 37 },
  // ---- the promotion chain and who hears the alerts ----------------------------------
  {
    name: 'environment left out of the promotion chain',
    spec: lines(...BASE_LINES.slice(0, 9), '  dev: { accountId: "333333333333", region: us-east-1 }', ...BASE_LINES.slice(9), 'registry:', '  replication: { from: dev, to: [staging] }', ...ALERT_LINES),
    code: 'INN090', path: 'registry.replication.to', line: 15, column: 33, at: '[staging]', severity: 'warning', environments: ['dev', 'production', 'staging'],
    message: /^"production" is not in the promotion chain: promoted straight from "dev"/, hint: /to: \[staging, production\]/,
  },
  { name: 'environment twice in the promotion chain', spec: base('registry:', '  replication: { from: staging, to: [production, production] }'), code: 'INN091', path: 'registry.replication.to[1]', line: 14, column: 50, at: 'production]' },
  {
    name: 'production alarms that notify nobody',
    spec: base('observability:', '  alerts: { emails: [] }'),
    code: 'INN092', path: 'observability.alerts', line: 14, column: 11, severity: 'error', environments: ['production'], message: /^production environment: the CloudWatch alarms notify nobody/,
  },
  {
    name: 'a budget that notifies nobody outside production',
    spec: lines(
      ...BASE_LINES.slice(0, 7),
      '  production: { accountId: "111111111111", region: us-east-1, production: true, overrides: { cost: { notifyEmails: [finops@example.com] } } }',
      ...BASE_LINES.slice(8),
      'observability:',
      '  alerts: { pagerDutyUrl: "https://events.pagerduty.com/integration/x/enqueue" }',
      'cost: { monthlyBudgetUsd: 500 }',
    ),
    code: 'INN092', path: 'cost.notifyEmails', line: 15, column: 7, severity: 'warning', environments: ['staging'], message: /^the budget and the cost anomaly monitor notify nobody/,
  },
  { name: 'production registry that scans nothing', spec: base('registry:', '  scanOnPush: false', '  enhancedScanning: false'), code: 'INN093', path: 'registry.enhancedScanning', line: 15, column: 21, at: 'false', environments: ['production'] },
  {
    name: 'promotion chain overridden per environment',
    spec: lines(...BASE_LINES.slice(0, 8), '  staging:', '    accountId: "222222222222"', '    region: us-east-1', '    overrides:', '      registry: { replication: { from: staging, to: production } }', ...BASE_LINES.slice(9), ...ALERT_LINES),
    code: 'INN094', path: 'environments.staging.overrides.registry.replication', line: 13, column: 32, environments: ['staging'],
  },
  { name: 'replica without a DR region', spec: base('database:', '  crossRegionReplica: true'), code: 'INN053', path: 'database.crossRegionReplica', line: 14, column: 23, environments: BOTH },
  {
    name: 'DR region equals the region',
    spec: lines(...BASE_LINES.slice(0, 7), '  production: { accountId: "111111111111", region: us-east-1, drRegion: us-east-1, production: true }', ...BASE_LINES.slice(8)),
    code: 'INN054', path: 'environments.production.drRegion', line: 8, column: 73, at: 'us-east-1, production',
  },
  { name: 'system node group mixing architectures', spec: base('cluster:', '  systemNodeGroup: { instanceTypes: [t3.small, t4g.small] }'), code: 'INN055', path: 'cluster.systemNodeGroup.instanceTypes', line: 14, column: 37 },
  { name: 'flow logs switched off', spec: base('network:', '  flowLogs: { enabled: false }'), code: 'INN061', path: 'network.flowLogs.enabled', line: 14, column: 24, at: 'false' },
  { name: 'endpoint listed twice', spec: base('network:', '  endpoints: [s3, sts, s3]'), code: 'INN062', path: 'network.endpoints[2]', line: 14, column: 24, at: 's3]', message: /s3 is listed twice \(first at network\.endpoints\[0\]\)/ },
  {
    name: 'alert e-mail listed twice in an override',
    spec: lines(...BASE_LINES.slice(0, 8), '  staging:', '    accountId: "222222222222"', '    region: us-east-1', '    overrides:', '      observability: { alerts: { emails: [a@example.com, a@example.com] } }', ...BASE_LINES.slice(9)),
    code: 'INN062', path: 'observability.alerts.emails[1]', line: 13, column: 58, at: 'a@example.com] }', environments: ['staging'],
  },
  { name: 'no platform pool', spec: base('cluster:', '  nodePools:', '    general: { role: application }'), code: 'INN057', path: 'cluster.nodePools', line: 15, column: 5 },
  {
    name: 'DR VPC overlapping the primary VPC',
    spec: lines(...BASE_LINES.slice(0, 7), '  production: { accountId: "111111111111", region: us-east-1, drRegion: us-west-2, drVpcCidr: 10.10.128.0/17, production: true }', ...BASE_LINES.slice(8)),
    code: 'INN064', path: 'environments.production.drVpcCidr', line: 8, column: 95, at: '10.10.128.0/17', message: /^10\.10\.128\.0\/17 overlaps .*VPC 10\.10\.0\.0\/16$/,
  },
  {
    name: 'DR VPC on the primary CIDR by default',
    spec: lines(...BASE_LINES.slice(0, 7), '  production: { accountId: "111111111111", region: us-east-1, drRegion: us-west-2, production: true }', ...BASE_LINES.slice(8)),
    code: 'INN065', path: 'environments.production.drRegion', line: 8, column: 73, at: 'us-west-2', severity: 'warning', environments: ['production'], hint: /drVpcCidr to a block no environment uses \(for example 10\.11\.0\.0\/16\)/,
  },
  {
    name: 'Spot pool asking for more families than it selects',
    spec: base('cluster:', '  nodePools:', '    general: { role: application, architectures: [arm64], instanceCategories: [t], minInstanceFamilies: 3 }', '    platform: { role: platform }'),
    code: 'INN067', path: 'cluster.nodePools.general.minInstanceFamilies', line: 15, column: 105, at: '3 }', message: /selects 1 instance family \(t4g\), fewer than minInstanceFamilies 3/,
  },
  { name: 'production on the latest AMI', spec: base('cluster:', '  karpenter: { amiAlias: al2023@latest }'), code: 'INN066', path: 'cluster.karpenter.amiAlias', line: 14, column: 26, at: 'al2023@latest', severity: 'warning', environments: ['production'] },
  {
    name: 'region outside allowedRegions',
    spec: base('organization:', '  managementAccountId: "123456789012"', '  allowedRegions: [us-west-2]'),
    code: 'INN058', path: 'environments.staging.region', line: 9, column: 49, at: 'us-east-1', environments: ['staging'], message: /not in organization\.allowedRegions \(us-west-2\)/,
  },
  // Spec text that would execute or leak downstream (more cases: spec-text.test.ts).
  { name: 'a GitHub expression in an env value', spec: base('workloads:', '  api:', '    type: flask', '    env: { X: "${{ github.token }}" }'), code: 'INN070', path: 'workloads.api.env.X', line: 16, column: 15, at: '"${{', environments: [...BOTH], message: /GitHub Actions expression/ },
  { name: 'a password in env', spec: base('workloads:', '  api:', '    type: flask', '    env: { DATABASE_PASSWORD: S3cr3t-Passw0rd! }'), code: 'INN071', path: 'workloads.api.env.DATABASE_PASSWORD', line: 16, column: 31, at: 'S3cr3t', environments: [...BOTH], hint: /workloads\.api\.secrets\.DATABASE_PASSWORD/ },
  { name: 'a team with no principal', spec: base('teams:', '  ops: { clusterAdmin: true }'), code: 'INN072', path: 'teams.ops', line: 14, column: 8, at: '{ clusterAdmin', environments: [...BOTH], message: /team "ops" names no principal/ },
  { name: 'a team of an unknown permission set', spec: base('teams:', '  ops: { permissionSet: admins, clusterAdmin: true }'), code: 'INN073', path: 'teams.ops.permissionSet', line: 14, column: 25, at: 'admins', environments: [...BOTH], message: /needs organization\.sso/ },
  {
    name: 'a team naming both a permission set and an existing role',
    spec: base('organization:', '  managementAccountId: "123456789012"', '  sso:', '    instanceArn: arn:aws:sso:::instance/ssoins-0123456789abcdef', '    permissionSets: { ops: { groupId: g-1, environments: [] } }', 'teams:', '  ops: { permissionSet: ops, iamRoleName: x }'),
    code: 'INN072', path: 'teams.ops', line: 19, column: 8, at: '{ permissionSet', environments: [...BOTH], message: /names both permissionSet "ops" and iamRoleName "x"/,
  },
  {
    name: 'a permission set assigned to no environment',
    spec: base('organization:', '  managementAccountId: "123456789012"', '  sso:', '    instanceArn: arn:aws:sso:::instance/ssoins-0123456789abcdef', '    permissionSets: { ops: { groupId: g-1, environments: [] } }', 'teams:', '  ops: { permissionSet: ops, clusterAdmin: true }'),
    code: 'INN074', path: 'teams.ops.permissionSet', line: 19, column: 25, at: 'ops', severity: 'warning', environments: [...BOTH], message: /assigned to no environment, so team "ops" can reach no cluster/,
  },
  {
    name: 'one hosted zone for two accounts',
    spec: base('ingress: { host: app.example.com, hostedZoneId: Z0123456789ABCDEFGHIJ }'),
    code: 'INN075', path: 'ingress.hostedZoneId', line: 13, column: 49, at: 'Z0123456789ABCDEFGHIJ', environments: ['staging'], message: /"production" \(account 111111111111\) and "staging" \(account 222222222222\) both use hosted zone Z0123456789ABCDEFGHIJ/,
  },
];

const ALL_ROWS = ROWS;

/**
 * Codes in the catalogue that nothing emits yet, with the reason. The test below fails
 * when one of them starts being emitted (move it to a row) or a new code has no row.
 */
const NOT_EMITTED: Partial<Record<Code, string>> = {};

/** File-level codes covered by the readSpecFile tests below. */
const FILE_LEVEL: readonly Code[] = ['INN001', 'INN002', 'INN003'];

/** No spec can make innovate fail: test/pipeline.test.ts and test/cli/internal-error.test.ts make stages throw. */
const INTERNAL: readonly Code[] = ['INN999'];

/** Codes `innovate validate` adds after compiling, with their position tests elsewhere: INN080 in test/cost/estimate.test.ts. */
const AFTER_COMPILE: readonly Code[] = ['INN080'];

describe('every diagnostic code, with its exact position', () => {
  it.each(ALL_ROWS.map((r) => [`${r.code} ${r.name}`, r] as const))('%s', (_, row) => {
    const diags = diagnose(row.spec);
    const hit = diags.find((d) => d.code === row.code && formatPath(d.path) === row.path);
    expect(hit, `no ${row.code} at ${row.path || '(root)'}; got:\n${show(diags)}`).toBeDefined();
    const d = hit!;
    expect({ line: d.line, column: d.column }, `${formatDiagnostic(d)}`).toEqual({ line: row.line, column: row.column });
    expect(d.severity).toBe(row.severity ?? CODES[row.code].severity);
    expect(d.file).toBe('innovate.yaml');
    if (row.at !== undefined) expect(textAt(row.spec, row.line, row.column).startsWith(row.at), `text at ${row.line}:${row.column}`).toBe(true);
    if (row.message) expect(d.message).toMatch(row.message);
    if (row.hint) expect(d.hint).toMatch(row.hint);
    if (row.environments) expect(d.environments).toEqual(row.environments);
    // A finding is reported once, however many environments share it.
    expect(diags.filter((x) => x.code === d.code && x.line === d.line && x.column === d.column && x.message === d.message)).toHaveLength(1);
  });

  it('has a row for every code of the catalogue, except the ones documented as not emitted', () => {
    const covered = new Set<Code>([...ALL_ROWS.map((r) => r.code), ...FILE_LEVEL, ...INTERNAL, ...AFTER_COMPILE]);
    const missing = (Object.keys(CODES) as Code[]).filter((c) => !covered.has(c) && !(c in NOT_EMITTED));
    expect(missing, 'codes without a test row').toEqual([]);
    expect([...covered].filter((c) => c in NOT_EMITTED), 'codes both tested and listed as not emitted').toEqual([]);
  });

  it('lists as not emitted only codes that no source file mentions', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) files.push(p);
      }
    };
    const root = new URL('../../', import.meta.url).pathname;
    walk(join(root, 'src'));
    walk(join(root, 'bin'));
    for (const code of Object.keys(NOT_EMITTED)) {
      const users = files.filter((f) => !f.endsWith('codes.ts') && readFileSync(f, 'utf8').includes(`'${code}'`));
      expect(users, `${code} is emitted now: give it a row`).toEqual([]);
    }
  });

  it('every row is a spec that is otherwise sound enough to reach its check', () => {
    // Rows must not all fail on the same unrelated error: the base spec alone is clean.
    expect(diagnose(base())).toEqual([]);
    expect(diagnose(base('workloads:', '  api: { type: flask }'))).toEqual([]);
  });
});

describe('how findings are reported', () => {
  it('reports every finding of one run at once, sorted by position', () => {
    const spec = base(
      'registry:', //                                              13
      '  scanOnPus: true', //                                      14 INN011 (zod)
      'workloads:', //                                             15
      '  api: { type: flask, tag: latest }', //                    16 INN042 (workload validator)
      'network:', //                                               17
      '  zones: [a, b]', //                                        18 INN023 (network validator, production only)
      '  subnets:', //                                             19
      '    public: [10.10.101.0/24, 10.20.102.0/24]', //           20 INN020
      'database:', //                                              21
      '  forceSsl: false', //                                      22 INN041 (security validator)
      'observability:', //                                         23
      '  logRetentionDays: 42', //                                 24 INN018 (zod refinement)
    );
    const diags = diagnose(spec);
    const summary = diags.map((d) => `${d.line}:${d.column} ${d.code}`);
    expect(summary, show(diags)).toEqual(['14:3 INN011', '16:28 INN042', '18:10 INN023', '20:30 INN020', '22:13 INN041', '24:21 INN018']);
  });

  it('reports five distinct errors as five diagnostics', () => {
    const spec = base(
      'registry: { scanOnPus: true }', //                          13 INN011
      'workloads:',
      '  api: { type: flask, tag: latest }', //                    15 INN042
      'network: { zones: [a, b] }', //                             16 INN023
      'database: { forceSsl: false }', //                          17 INN041
      'observability: { logRetentionDays: 42 }', //                18 INN018
    );
    const diags = diagnose(spec);
    expect(diags.map((d) => d.code), show(diags)).toEqual(['INN011', 'INN042', 'INN023', 'INN041', 'INN018']);
    expect(diags.map((d) => d.line)).toEqual([13, 15, 16, 17, 18]);
  });

  it('a shape error holds back the semantic checks of its own section only', () => {
    const spec = base(
      'workloads:',
      '  api: { type: flask, tag: latest, replicsa: {} }', //      14 INN011; INN042 waits for a sound workloads section
      'database: { forceSsl: false }', //                          15 INN041 still reported
    );
    const diags = diagnose(spec);
    expect(diags.map((d) => `${d.line}:${d.column} ${d.code}`), show(diags)).toEqual(['14:36 INN011', '15:23 INN041']);
  });

  it('a finding in the base shared by both environments is reported once, listing both', () => {
    const diags = diagnose(base('workloads:', '  api: { type: flask, tag: latest }'));
    expect(diags, show(diags)).toHaveLength(1);
    expect(diags[0]!.environments).toEqual(['production', 'staging']);
    expect(formatDiagnostic(diags[0]!)).toBe(
      'innovate.yaml:14:28 error INN042 workloads.api.tag: "api" uses the mutable tag "latest" [production, staging] (hint: promote immutable tags (a version or commit SHA), never "latest")',
    );
  });

  it('an override that fixes a base finding leaves it to the other environment, at the base line', () => {
    const spec = lines(
      ...BASE_LINES.slice(0, 7),
      '  production:',
      '    accountId: "111111111111"',
      '    region: us-east-1',
      '    production: true',
      '    overrides:',
      '      workloads:',
      '        api: { replicas: { min: 2 } }',
      ...BASE_LINES.slice(8),
      'workloads:',
      '  api: { type: flask, replicas: { min: 1 } }', // line 20
      ...ALERT_LINES,
    );
    const diags = diagnose(spec);
    expect(diags.map((d) => `${d.line}:${d.column} ${d.code} ${d.environments?.join(',')}`), show(diags)).toEqual(['20:40 INN031 staging']);
  });

  it('an override that breaks a sound base value is reported at the override for that environment only', () => {
    const spec = lines(
      ...BASE_LINES.slice(0, 7),
      '  production:',
      '    accountId: "111111111111"',
      '    region: us-east-1',
      '    production: true',
      '    overrides:',
      '      network: { zones: [a, b] }', // line 13
      ...BASE_LINES.slice(8),
      ...ALERT_LINES,
    );
    const diags = diagnose(spec);
    expect(diags.map((d) => `${d.line}:${d.column} ${d.code} ${d.environments?.join(',')}`), show(diags)).toEqual(['13:25 INN023 production']);
  });

  it('a file name given to parseSpec appears in diagnostics', async () => {
    const { parseSpec, validateSpec } = await import('../../src/pipeline.js');
    const d = validateSpec(parseSpec(base('database:', '  forceSsl: false'), { file: 'specs/platform.yaml' })).diagnostics[0]!;
    expect(formatDiagnostic(d)).toMatch(/^specs\/platform\.yaml:14:13 error INN041 database\.forceSsl: /);
  });
});

describe('file-level codes through readSpecFile', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('INN001: a missing file', async () => {
    const r = await readSpecFile(tmp.dir, 'nope.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic).toMatchObject({ code: 'INN001', file: 'nope.yaml', line: 0, column: 0, message: 'no such file' });
    expect(r.exitCode).toBe(2);
  });

  it('INN001: a directory', async () => {
    mkdirSync(tmp.file('adir'));
    const r = await readSpecFile(tmp.dir, 'adir');
    expect(r.ok ? undefined : r.diagnostic).toMatchObject({ code: 'INN001', message: /directory/ });
  });

  it('INN002: a file over the size limit', async () => {
    writeFileSync(tmp.file('big.yaml'), `# ${'x'.repeat(MAX_SOURCE_BYTES)}\n`);
    const r = await readSpecFile(tmp.dir, 'big.yaml');
    expect(r.ok ? undefined : r.diagnostic).toMatchObject({ code: 'INN002', line: 0, column: 0 });
    expect(r.ok ? undefined : r.exitCode).toBe(1);
  });

  it('INN002: a file of exactly the limit is read', async () => {
    writeFileSync(tmp.file('limit.yaml'), `#${'x'.repeat(MAX_SOURCE_BYTES - 2)}\n`);
    const r = await readSpecFile(tmp.dir, 'limit.yaml');
    expect(r.ok).toBe(true);
  });

  it('INN003: bytes that are not UTF-8', async () => {
    writeFileSync(tmp.file('latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x74, 0xe9, 0x0a]));
    const r = await readSpecFile(tmp.dir, 'latin1.yaml');
    expect(r.ok ? undefined : r.diagnostic).toMatchObject({ code: 'INN003', file: 'latin1.yaml', line: 0 });
    expect(r.ok ? undefined : r.exitCode).toBe(1);
  });

  it('reads a UTF-8 file with a byte-order mark', async () => {
    writeFileSync(tmp.file('bom.yaml'), `\uFEFF${base('workloads:', '  api: { type: flask }')}`);
    const r = await readSpecFile(tmp.dir, 'bom.yaml');
    expect(r.ok).toBe(true);
    if (r.ok) expect(diagnose(r.text)).toEqual([]);
  });
});
