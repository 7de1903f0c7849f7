/** The result of `innovate diff`: plain data, formatted at the edge (format.ts). */

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One leaf that differs, by dotted path (Properties.EngineVersion, spec.replicas, image.tag). */
export interface FieldChange {
  readonly path: string;
  readonly kind: ChangeKind;
  readonly before?: unknown;
  readonly after?: unknown;
  /** CloudFormation: this property change replaces the resource. */
  readonly replaces?: boolean;
}

/** A CloudFormation resource or a Kubernetes document that differs. */
export interface EntryChange {
  /** Logical id, or Kind namespace/name for a manifest. */
  readonly id: string;
  readonly type?: string;
  readonly kind: ChangeKind;
  /** CloudFormation's view of what an update does to the physical resource. */
  readonly impact?: 'update' | 'create' | 'replace' | 'may-replace' | 'destroy' | 'orphan' | 'import' | 'none';
  readonly fields: readonly FieldChange[];
}

export interface FileDiff {
  readonly path: string;
  readonly environment?: string;
  readonly kind: ChangeKind;
  readonly format: 'cloudformation' | 'yaml' | 'text';
  readonly entries: readonly EntryChange[];
}

/** A stateful resource that the change replaces, deletes or moves to another stack: data may be lost. */
export interface Hazard {
  readonly path: string;
  readonly environment?: string;
  readonly id: string;
  readonly type: string;
  readonly impact: 'replace' | 'may-replace' | 'destroy' | 'orphan' | 'move';
  /** For a move: the template it moves to. */
  readonly to?: string;
}

/**
 * Something relocated rather than changed (moves.ts): a CloudFormation resource to another stack,
 * a Kubernetes document to another file, or what an ArgoCD Application watches.
 */
export interface Move {
  readonly kind: 'resource' | 'document' | 'source';
  readonly environment?: string;
  /** Logical id, or Kind namespace/name. */
  readonly id: string;
  readonly type?: string;
  /** The file (or, for a source, what was watched) before and after. */
  readonly from: string;
  readonly to: string;
  readonly stateful: boolean;
  /** A moved document's field changes. */
  readonly fields?: readonly FieldChange[];
}

export interface DiffReport {
  readonly files: readonly FileDiff[];
  readonly hazards: readonly Hazard[];
  readonly moves: readonly Move[];
}

/** Resource types whose replacement or deletion loses data or identity. */
export const STATEFUL_TYPES: readonly string[] = [
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::RDS::GlobalCluster',
  'AWS::KMS::Key',
  'AWS::S3::Bucket',
  'AWS::ECR::Repository',
  'AWS::Logs::LogGroup',
  'AWS::SecretsManager::Secret',
  'AWS::EKS::Cluster',
  'AWS::DynamoDB::Table',
  'AWS::EFS::FileSystem',
  // Everything inside a VPC goes with it: a new CIDR (the DR VPC's drVpcCidr) means rebuilding the
  // database, subnets and groups in it, which the resource-level diff alone does not show.
  'AWS::EC2::VPC',
  // A subnet's replacement takes every interface in it along (database instances, nodes, endpoints).
  'AWS::EC2::Subnet',
];
