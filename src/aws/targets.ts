/**
 * The stacks of one environment, in deploy order, read from what `compile()` produced: the deploy
 * manifest (order, stack name, account, region, capabilities, SSM parameters) and the templates.
 * Pure: artifacts in, data out.
 */
import type { Model } from '../compiler/model.js';
import type { Artifact } from '../emitters/artifact.js';
import { MANIFEST_PATH, type DeployManifestEntry } from '../emitters/cloudformation/index.js';

/** CloudFormation accepts at most this many bytes of TemplateBody in a request. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** Resource types that hold data or keys: replacing or removing them loses data. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  'AWS::RDS::DBCluster': 'the database cluster: replacement creates an empty cluster',
  'AWS::RDS::GlobalCluster': 'the global database: replacement detaches the replicas',
  'AWS::RDS::DBInstance': 'a database instance',
  'AWS::KMS::Key': 'a KMS key: data encrypted with the old key can no longer be decrypted once it is deleted',
  'AWS::S3::Bucket': 'a bucket: a new bucket starts empty',
  'AWS::SecretsManager::Secret': 'a secret: a new secret gets a new value',
  'AWS::Logs::LogGroup': 'a log group: replacement loses its log history',
  'AWS::ECR::Repository': 'an image repository: a new repository starts without images',
  'AWS::EKS::Cluster': 'the EKS cluster: replacement recreates the control plane',
};

/** Types the stack policy forbids CloudFormation to replace or delete. */
export const PROTECTED_TYPES: readonly string[] = ['AWS::RDS::DBCluster', 'AWS::RDS::GlobalCluster', 'AWS::KMS::Key'];

export interface StackTarget {
  readonly order: number;
  readonly stackName: string;
  readonly template: string;
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  readonly capabilities: readonly string[];
  readonly reads: readonly string[];
  readonly publishes: readonly string[];
  /** Minified template: what is sent to CloudFormation. */
  readonly body: string;
  readonly bodyBytes: number;
  /** Every template parameter with its default (the SSM path it resolves). */
  readonly parameters: readonly { readonly key: string; readonly value: string }[];
  /** Logical ids of resources whose types are in PROTECTED_TYPES. */
  readonly protectedResources: readonly string[];
}

type ManifestEntry = DeployManifestEntry;
export { MANIFEST_PATH };

export function stackTargets(artifacts: readonly Artifact[], environment: string): StackTarget[] {
  const manifest = artifacts.find((a) => a.path === MANIFEST_PATH);
  if (!manifest) return [];
  const entries = (JSON.parse(manifest.content) as { stacks: ManifestEntry[] }).stacks;
  return entries
    .filter((e) => e.environment === environment)
    .sort((a, b) => a.order - b.order)
    .map((e) => {
      const artifact = artifacts.find((a) => a.path === e.template);
      if (!artifact) throw new Error(`the deploy manifest names ${e.template}, which was not compiled`);
      const template = JSON.parse(artifact.content) as {
        Parameters?: Record<string, { Default?: unknown }>;
        Resources?: Record<string, { Type: string }>;
      };
      const body = JSON.stringify(template);
      return {
        order: e.order,
        stackName: e.stackName,
        template: e.template,
        environment,
        accountId: e.accountId,
        region: e.region,
        capabilities: e.capabilities,
        reads: e.reads,
        publishes: e.publishes,
        body,
        bodyBytes: Buffer.byteLength(body, 'utf8'),
        parameters: Object.entries(template.Parameters ?? {})
          .filter(([, p]) => p.Default !== undefined)
          .map(([key, p]) => ({ key, value: String(p.Default) })),
        protectedResources: Object.entries(template.Resources ?? {})
          .filter(([, r]) => PROTECTED_TYPES.includes(r.Type))
          .map(([id]) => id)
          .sort(),
      };
    });
}

/** Targets whose template is too large to send inline. */
export const oversized = (targets: readonly StackTarget[]): StackTarget[] => targets.filter((t) => t.bodyBytes > MAX_TEMPLATE_BODY_BYTES);

/**
 * The stack policy set on every stack holding protected resources: CloudFormation may update
 * anything, but never replace or delete the database or a KMS key.
 */
export function stackPolicy(): string {
  return JSON.stringify({
    Statement: [
      { Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: ['Update:Replace', 'Update:Delete'],
        Principal: '*',
        Resource: '*',
        Condition: { StringEquals: { ResourceType: [...PROTECTED_TYPES] } },
      },
    ],
  });
}

/** Stack-level tags: the model's tags (CloudFormation propagates them to every resource). */
export const stackTags = (model: Model): { key: string; value: string }[] => model.tags.map((t) => ({ key: t.key, value: t.value }));

/**
 * The earlier stacks this one waits for: those publishing an SSM parameter it reads that do not
 * exist yet. CloudFormation resolves SSM parameters when it creates a change set, so such a
 * stack cannot be planned before they are deployed.
 */
export function blockers(target: StackTarget, earlier: readonly StackTarget[], missing: ReadonlySet<string>): { stackName: string; parameter: string }[] {
  const out: { stackName: string; parameter: string }[] = [];
  for (const e of earlier) {
    if (!missing.has(e.stackName)) continue;
    const parameter = target.reads.find((r) => e.publishes.includes(r));
    if (parameter) out.push({ stackName: e.stackName, parameter });
  }
  return out;
}
