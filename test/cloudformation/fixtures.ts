/** The example spec and variants of it that exercise the other branches of the emitter. */
import type { Artifact } from '../../src/emitters/artifact.js';
import { cloudformationEmitter, MANIFEST_PATH, type DeployManifestEntry } from '../../src/emitters/cloudformation/index.js';
import { compile, type CompileResult } from '../../src/pipeline.js';

import { EXAMPLE, exampleVariant as variant, ROOT } from '../helpers.js';

export { EXAMPLE, ROOT };

export const VARIANTS: Readonly<Record<string, string>> = {
  example: EXAMPLE,
  'staging-only': variant((d) => {
    delete d.environments.production;
    delete d.registry.replication;
  }),
  // A three-account promotion chain: dev builds and replicates to staging and production.
  chain: variant((d) => {
    d.registry.replication = { from: 'dev', to: ['staging', 'production'] };
    d.environments.dev = { accountId: '400000000004', region: 'us-west-2', overrides: { network: { natGateways: 'single' }, ingress: { host: 'dev.innovate.example', hostedZoneId: 'Z0400000000004DEVZONE' } } };
  }),
  irsa: variant((d) => {
    d.security.workloadIdentity = 'irsa';
  }),
  serverless: variant((d) => {
    d.database.serverlessV2 = { minCapacity: 0.5, maxCapacity: 8 };
    delete d.environments.staging.overrides.database;
  }),
  // Without IAM Identity Center, teams name existing roles (an input innovate plan checks).
  'no-organization': variant((d) => {
    delete d.organization;
    d.teams = { platform: { iamRoleName: 'innovate-platform-admin', clusterAdmin: true }, web: { iamRoleName: 'innovate-developers', namespaces: ['apps'], access: 'edit' } };
  }),
  // Everything optional switched the other way: no DR, no NACLs / signing, rejected-traffic-only flow logs, no
  // Container Insights / chat, a generic secret with its own rotation function, a workload with AWS access.
  lean: variant((d) => {
    delete d.environments.production.drRegion;
    d.network.nacls = { enabled: false };
    d.network.flowLogs = { enabled: true, trafficType: 'REJECT', retentionDays: 30 };
    d.registry.signing = false;
    d.registry.enhancedScanning = false;
    d.observability.containerInsights = false;
    d.observability.tracing = 'none';
    d.observability.alerts = { emails: ['oncall@innovate.example'] };
    d.security.secrets['stripe-key'] = { description: 'Payment API key', kind: 'generic', rotationLambdaArn: 'arn:aws:lambda:us-east-1:200000000002:function:rotate-stripe', rotationDays: 7 };
    d.workloads.api.aws = [{ actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::innovate-uploads/*'] }];
    d.cluster.endpoint = { privateAccess: true, publicAccess: false, publicAccessCidrs: [] };
    // The workload's own wildcard is the spec's decision: one exception carries the scanner suppression, with its reason.
    d.policy = {
      exceptions: [
        {
          target: 'WorkloadApiRolePolicy',
          reason: 'the api stores user uploads under generated keys in its own bucket (TICKET-42)',
          expires: '2099-12-31',
          scanners: { cdkNag: ['AwsSolutions-IAM5[Resource::arn:aws:s3:::innovate-uploads/*]'] },
        },
      ],
    };
  }),
};

export function compileCfn(text: string): CompileResult {
  const r = compile(text, { emitters: [cloudformationEmitter] });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`spec does not compile: ${errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
  return r;
}

export const templates = (artifacts: readonly Artifact[]): Artifact[] => artifacts.filter((a) => a.path.startsWith('cloudformation/') && a.path !== 'cloudformation/manifest.json');

export type ManifestEntry = DeployManifestEntry;
export const manifestOf = (artifacts: readonly Artifact[]): ManifestEntry[] =>
  (JSON.parse(artifacts.find((a) => a.path === MANIFEST_PATH)!.content) as { stacks: ManifestEntry[] }).stacks;
