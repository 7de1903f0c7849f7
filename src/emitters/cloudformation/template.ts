/**
 * A CloudFormation template under construction: resources, SSM-backed parameters and
 * published values. Wiring goes through small helpers (ref, getAtt, sub, join) instead of
 * hand-written intrinsic literals, and tags are applied in one place from TAGGING.
 *
 * Cross-stack values never use Fn::ImportValue: a producing template publishes an SSM
 * parameter under the environment's prefix (publish) and a consuming template declares a
 * parameter of type AWS::SSM::Parameter::Value<...> whose Default is that path (ssm).
 */
import type { Model } from '../../compiler/model.js';
import { logicalId, ssmParameter } from '../../compiler/names.js';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json | undefined };
export type Props = { readonly [key: string]: Json | undefined };

export const ref = (id: string): Json => ({ Ref: id });
export const getAtt = (id: string, attr: string): Json => ({ 'Fn::GetAtt': [id, attr] });
export const sub = (text: string): Json => ({ 'Fn::Sub': text });
export const join = (sep: string, parts: Json): Json => ({ 'Fn::Join': [sep, parts] });
export const select = (index: number, list: Json): Json => ({ 'Fn::Select': [index, list] });

/** A value published through SSM: path segments under the environment's prefix. */
export type SsmKey = readonly [string, ...string[]];

/** Where each taggable resource type takes its tags, and in which shape. */
const TAGGING: Readonly<Record<string, readonly [string, 'list' | 'map']>> = {
  'AWS::Backup::BackupPlan': ['BackupPlanTags', 'map'],
  'AWS::Backup::BackupVault': ['BackupVaultTags', 'map'],
  'AWS::CE::AnomalyMonitor': ['ResourceTags', 'list'],
  'AWS::CE::AnomalySubscription': ['ResourceTags', 'list'],
  'AWS::Budgets::Budget': ['ResourceTags', 'list'],
  'AWS::CertificateManager::Certificate': ['Tags', 'list'],
  'AWS::Chatbot::SlackChannelConfiguration': ['Tags', 'list'],
  'AWS::CloudTrail::Trail': ['Tags', 'list'],
  'AWS::Cognito::UserPool': ['UserPoolTags', 'map'],
  'AWS::CloudWatch::Alarm': ['Tags', 'list'],
  'AWS::CloudWatch::Dashboard': ['Tags', 'list'],
  'AWS::EC2::EIP': ['Tags', 'list'],
  'AWS::EC2::FlowLog': ['Tags', 'list'],
  'AWS::EC2::InternetGateway': ['Tags', 'list'],
  'AWS::EC2::NatGateway': ['Tags', 'list'],
  'AWS::EC2::NetworkAcl': ['Tags', 'list'],
  'AWS::EC2::RouteTable': ['Tags', 'list'],
  'AWS::EC2::SecurityGroup': ['Tags', 'list'],
  'AWS::EC2::Subnet': ['Tags', 'list'],
  'AWS::EC2::VPC': ['Tags', 'list'],
  'AWS::EC2::VPCEndpoint': ['Tags', 'list'],
  'AWS::ECR::Repository': ['Tags', 'list'],
  'AWS::EKS::AccessEntry': ['Tags', 'list'],
  'AWS::EKS::Addon': ['Tags', 'list'],
  'AWS::EKS::Cluster': ['Tags', 'list'],
  'AWS::EKS::Nodegroup': ['Tags', 'map'],
  'AWS::EKS::PodIdentityAssociation': ['Tags', 'list'],
  'AWS::Events::Rule': ['Tags', 'list'],
  'AWS::IAM::OIDCProvider': ['Tags', 'list'],
  'AWS::IAM::Role': ['Tags', 'list'],
  'AWS::KMS::Key': ['Tags', 'list'],
  'AWS::Logs::LogGroup': ['Tags', 'list'],
  'AWS::Organizations::Policy': ['Tags', 'list'],
  'AWS::RDS::DBCluster': ['Tags', 'list'],
  'AWS::RDS::DBClusterParameterGroup': ['Tags', 'list'],
  'AWS::RDS::DBInstance': ['Tags', 'list'],
  'AWS::RDS::DBSubnetGroup': ['Tags', 'list'],
  'AWS::RDS::GlobalCluster': ['Tags', 'list'],
  'AWS::S3::Bucket': ['Tags', 'list'],
  'AWS::SecretsManager::Secret': ['Tags', 'list'],
  'AWS::SNS::Topic': ['Tags', 'list'],
  'AWS::SQS::Queue': ['Tags', 'list'],
  'AWS::SSM::Parameter': ['Tags', 'map'],
  'AWS::SSO::PermissionSet': ['Tags', 'list'],
};

export const tagList = (tags: readonly { key: string; value: string }[]): Json =>
  [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((t) => ({ Key: t.key, Value: t.value }));

export interface ResourceOptions {
  readonly dependsOn?: readonly string[];
  /** Delete, Retain, Snapshot: set together with UpdateReplacePolicy. */
  readonly retain?: 'Retain' | 'Snapshot' | 'Delete';
  /** Extra tags (Name, discovery tags), merged with the model's tags. */
  readonly tags?: readonly { key: string; value: string }[];
  /** Resource Metadata (scanner suppressions are added by suppressions.ts once the template is built). */
  readonly metadata?: Json;
}

export interface Resource {
  Type: string;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Json;
  Properties: Props;
}

/**
 * Two resources with one logical id: a name collision the validators (INN048, collisions.ts and
 * naming.ts) should have reported at the spec line. Reaching it is a bug in innovate; the pipeline
 * reports it as INN999 (stage "emit") rather than letting a template silently lose a resource.
 */
export class DuplicateLogicalIdError extends Error {
  constructor(
    readonly id: string,
    readonly existing: string,
    readonly added: string,
    template: string,
  ) {
    super(`duplicate logical id ${id} (${existing}, then ${added}) in the template "${template.split(':')[0]}"`);
    this.name = 'DuplicateLogicalIdError';
  }
}

export class Template {
  readonly parameters: Record<string, Json> = {};
  readonly resources: Record<string, Resource> = {};
  readonly outputs: Record<string, Json> = {};
  /** SSM paths this template reads / writes, in declaration order. */
  readonly consumes: string[] = [];
  readonly publishes: string[] = [];
  transform?: string;

  constructor(
    readonly model: Model,
    readonly description: string,
  ) {}

  /** Adds a resource, tagging it when its type is taggable; returns its logical id. */
  add(id: string, type: string, properties: Props, options: ResourceOptions = {}): string {
    if (this.resources[id]) throw new DuplicateLogicalIdError(id, this.resources[id].Type, type, this.description);
    const tagging = TAGGING[type];
    let props: Props = properties;
    if (tagging) {
      // Most resources carry the model's tags alone: built once per template and shared (nothing
      // edits a resource's tags once added; at 1,000 workloads this was most of add()'s time).
      const value = options.tags?.length ? this.tagsValue(tagging[1], options.tags) : (this.modelTags[tagging[1]] ??= this.tagsValue(tagging[1], []));
      props = { ...properties, [tagging[0]]: value };
    }
    this.resources[id] = {
      Type: type,
      ...(options.dependsOn?.length ? { DependsOn: [...options.dependsOn].sort() } : {}),
      ...(options.retain ? { DeletionPolicy: options.retain, UpdateReplacePolicy: options.retain } : {}),
      ...(options.metadata ? { Metadata: options.metadata } : {}),
      Properties: props,
    };
    return id;
  }

  private readonly modelTags: { list?: Json; map?: Json } = {};

  /** The model's tags with `extra` over them, as CloudFormation's Key/Value list or as a map. */
  private tagsValue(form: 'list' | 'map', extra: readonly { key: string; value: string }[]): Json {
    const merged = new Map([...this.model.tags, ...extra].map((t) => [t.key, t.value]));
    const all = [...merged].map(([key, value]) => ({ key, value }));
    return form === 'map' ? Object.fromEntries(all.map((t) => [t.key, t.value])) : tagList(all);
  }

  /** Full SSM path of a published value. */
  path(key: SsmKey): string {
    return ssmParameter(this.model.ssmPrefix, ...key);
  }

  /** Reads a value another template published: a parameter resolved from SSM at deploy time. */
  ssm(key: SsmKey, list = false): Json {
    const id = logicalId(...key);
    if (!this.parameters[id]) {
      const path = this.path(key);
      this.parameters[id] = {
        Type: list ? 'AWS::SSM::Parameter::Value<List<String>>' : 'AWS::SSM::Parameter::Value<String>',
        Default: path,
        Description: `SSM parameter ${path}, published by an earlier stack.`,
      };
      this.consumes.push(path);
    }
    return ref(id);
  }

  /** Publishes a value (a list is an array of values, stored as a StringList): an SSM parameter under the environment's prefix and a stack Output (never an Export). */
  publish(key: SsmKey, value: Json, description: string, list = false): void {
    const id = logicalId(...key);
    const path = this.path(key);
    this.add(`${id}Parameter`, 'AWS::SSM::Parameter', {
      Name: path,
      Type: list ? 'StringList' : 'String',
      Value: list ? join(',', value) : value,
      Description: description,
    });
    this.outputs[id] = { Description: `${description} (SSM ${path})`, Value: list ? join(',', value) : value };
    this.publishes.push(path);
  }

  output(id: string, value: Json, description: string): void {
    this.outputs[id] = { Description: description, Value: value };
  }

  toObject(): Record<string, unknown> {
    return {
      AWSTemplateFormatVersion: '2010-09-09',
      ...(this.transform ? { Transform: this.transform } : {}),
      Description: this.description,
      ...(Object.keys(this.parameters).length ? { Parameters: this.parameters } : {}),
      Resources: this.resources,
      ...(Object.keys(this.outputs).length ? { Outputs: this.outputs } : {}),
    };
  }
}
