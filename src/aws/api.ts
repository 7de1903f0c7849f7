/**
 * What the AWS commands need from AWS, as plain data. `driver.ts` implements it with the AWS SDK
 * (loaded lazily); the orchestration in `run.ts` and the decisions in the other modules of this
 * folder only see these types, so they can be tested without the SDK and never load it.
 */

import type { ZoneLookup } from './inputs.js';

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

export interface StackInfo {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly terminationProtection: boolean;
}

export interface ResourceChangeInfo {
  readonly action: string;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  /** True, False, Conditional; absent for Add and Remove. */
  readonly replacement?: string;
  /** Changed property names (Details[].Target.Name), when CloudFormation reports them. */
  readonly properties: readonly string[];
}

export interface ChangeSetInfo {
  readonly changeSetId: string;
  /** CREATE_COMPLETE or FAILED (after waiting). */
  readonly status: string;
  readonly statusReason?: string;
  readonly executionStatus?: string;
  /** Every page of changes. */
  readonly changes: readonly ResourceChangeInfo[];
}

/**
 * How a template reaches CloudFormation: inline (TemplateBody, at most 51,200 bytes) or as the
 * https URL of the S3 object it was uploaded to (TemplateURL, at most 1 MB). Exactly one of them.
 */
export type TemplateSource = { readonly templateBody: string; readonly templateUrl?: undefined } | { readonly templateUrl: string; readonly templateBody?: undefined };

export type CreateChangeSetInput = TemplateSource & {
  readonly stackName: string;
  readonly changeSetName: string;
  readonly changeSetType: 'CREATE' | 'UPDATE';
  readonly parameters: readonly { readonly key: string; readonly value: string }[];
  readonly capabilities: readonly string[];
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  readonly description: string;
};

/** A template uploaded to the template bucket (S3 PutObject). */
export interface PutTemplateInput {
  readonly bucket: string;
  readonly key: string;
  readonly body: string;
  /** The environment's account: S3 refuses the upload (403) when the bucket belongs to another. */
  readonly expectedOwner: string;
  /** SSE-KMS with this key; absent: no encryption header, so the bucket's default encryption applies. */
  readonly kmsKeyId?: string;
}

export interface StackEventInfo {
  readonly eventId: string;
  readonly timestamp: Date;
  readonly logicalId: string;
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
}

export interface PropertyDifferenceInfo {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
  readonly type: string;
}

export interface ResourceDriftInfo {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  /** MODIFIED, DELETED (IN_SYNC and NOT_CHECKED are filtered out). */
  readonly status: string;
  readonly differences: readonly PropertyDifferenceInfo[];
}

export interface DriftDetectionInfo {
  /** DETECTION_COMPLETE or DETECTION_FAILED. */
  readonly detectionStatus: string;
  readonly reason?: string;
  /** DRIFTED, IN_SYNC, NOT_CHECKED, UNKNOWN. */
  readonly driftStatus?: string;
  readonly driftedCount: number;
}

/** Every call takes the region: an environment's stacks can live in several (cost in us-east-1, DR elsewhere). */
export interface AwsApi {
  callerIdentity(region: string): Promise<CallerIdentity>;
  /** undefined when the stack does not exist. */
  describeStack(region: string, stackName: string): Promise<StackInfo | undefined>;
  validateTemplate(region: string, template: TemplateSource): Promise<void>;
  /** Uploads a template too large to send inline, encrypted with the bucket's KMS key (SSE-KMS). */
  putTemplate(region: string, input: PutTemplateInput): Promise<void>;
  /** Creates the change set and waits until CloudFormation has computed it (or failed to). */
  createChangeSet(region: string, input: CreateChangeSetInput): Promise<ChangeSetInfo>;
  deleteChangeSet(region: string, stackName: string, changeSetName: string): Promise<void>;
  executeChangeSet(region: string, stackName: string, changeSetName: string): Promise<void>;
  /** Id of the newest event of the stack (undefined when it has none). */
  latestEventId(region: string, stackName: string): Promise<string | undefined>;
  /** Events newer than `afterEventId` (all when undefined), oldest first. */
  eventsSince(region: string, stackName: string, afterEventId: string | undefined): Promise<StackEventInfo[]>;
  setStackPolicy(region: string, stackName: string, policy: string): Promise<void>;
  enableTerminationProtection(region: string, stackName: string): Promise<void>;
  /** Takes a manual cluster snapshot and waits until it is available. */
  snapshotCluster(region: string, clusterIdentifier: string, snapshotIdentifier: string, tags: readonly { key: string; value: string }[]): Promise<void>;
  /** Starts drift detection and waits for it to finish. */
  detectDrift(region: string, stackName: string): Promise<DriftDetectionInfo>;
  /** Drifted resources (MODIFIED, DELETED), every page. */
  resourceDrifts(region: string, stackName: string): Promise<ResourceDriftInfo[]>;
  /** Whether the IAM role exists in the caller's account (iam:GetRole; NoSuchEntity: false). */
  roleExists(roleName: string): Promise<boolean>;
  /**
   * The hosted zone (route53:GetHostedZone): 'missing' on NoSuchHostedZone, 'not-visible' when
   * Route 53 answers AccessDenied "not authorized to access this resource" (a zone of another
   * account); a missing route53:GetHostedZone permission ("not authorized to perform") is an error.
   */
  hostedZone(zoneId: string): Promise<ZoneLookup>;
  /** Whether the tag is in the repository (ecr:DescribeImages): ImageNotFoundException, RepositoryNotFoundException. */
  imageTag(region: string, repositoryName: string, tag: string): Promise<'present' | 'no-image' | 'no-repository'>;
  /** Pause between polls of a running stack operation. */
  pause(): Promise<void>;
}
