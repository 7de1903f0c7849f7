/** The example and variants of it for the delivery artifacts, compiled once each. */
import type { Artifact } from '../../src/emitters/artifact.js';
import { compile, type CompileResult } from '../../src/pipeline.js';
import { EXAMPLE, exampleVariant as variant } from '../helpers.js';

export const VARIANTS: Readonly<Record<string, string>> = {
  example: EXAMPLE,
  // One repository for code and config; no signing, no scanning; staging needs approval.
  monorepo: variant((d) => {
    d.delivery.configRepository = d.delivery.appRepository;
    d.delivery.approvalRequired = true;
    d.registry.signing = false;
    d.registry.scanOnPush = false;
    d.registry.enhancedScanning = false;
  }),
  'staging-only': variant((d) => {
    delete d.environments.production;
    delete d.registry.replication;
  }),
  // Three environments, no replication: dev is the build environment, two promotion targets. Each account
  // has its own hosted zone (a zone belongs to one account, INN075): dev's is dev.innovate.example, delegated.
  'three-envs': variant((d) => {
    delete d.registry.replication;
    d.environments.dev = { accountId: '400000000004', region: 'us-west-2', overrides: { network: { natGateways: 'single' }, ingress: { host: 'dev.innovate.example', hostedZoneId: 'Z0400000000004DEVZONE' } } };
    d.workloads.worker = { type: 'flask', port: 7000, replicas: { min: 1, max: 2 }, userFacing: false, probes: { liveness: { path: '/live' }, readiness: { path: '/ready' } } };
  }),
  // A three-account promotion chain: dev builds, staging is promoted from dev, production from staging.
  chain: variant((d) => {
    d.registry.replication = { from: 'dev', to: ['staging', 'production'] };
    d.environments.dev = { accountId: '400000000004', region: 'us-west-2', overrides: { network: { natGateways: 'single' }, ingress: { host: 'dev.innovate.example', hostedZoneId: 'Z0400000000004DEVZONE' } } };
  }),
};

const cache = new Map<string, CompileResult>();
export function compileOk(text: string): CompileResult {
  const hit = cache.get(text);
  if (hit) return hit;
  const r = compile(text, { policies: true });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`spec does not compile: ${errors.map((e) => `${e.code} ${e.path.join('.')} ${e.message}`).join('; ')}`);
  cache.set(text, r);
  return r;
}

export const byKind = (r: CompileResult, kind: Artifact['kind']): Artifact[] => r.artifacts.filter((a) => a.kind === kind);
