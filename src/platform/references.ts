/**
 * Every principal the templates of one environment name: in trust policies and resource policies
 * (KMS key policies, repository, bucket, topic, queue and secret policies), as written or after
 * following Ref / GetAtt / SSM parameters and Fn::Sub with the environment's pseudo parameters.
 * Access entries and Pod Identity bindings are principals' own facts (principals.ts); the
 * liveness rule INV110 judges all of them (src/validators/liveness/identity.ts).
 */
import type { Model } from '../compiler/model.js';
import { isObj, type CfnEntry, type CfnTemplate, type Sources } from './sources.js';
import type { PrincipalReference } from './types.js';

/** Properties that hold a policy document with a Principal, by resource type. */
const POLICY_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'AssumeRolePolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::ECR::Repository': 'RepositoryPolicyText',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
  'AWS::Events::EventBusPolicy': 'Statement',
};

/** `${AWS::AccountId}` and friends, as the environment's stacks see them. */
const pseudo = (model: Model): Record<string, string> => ({
  'AWS::AccountId': model.environment.accountId,
  'AWS::Partition': model.partition,
  'AWS::Region': model.environment.region,
  'AWS::URLSuffix': 'amazonaws.com',
});

/** A principal value as a literal ARN or a created resource; undefined when it cannot be followed. */
function principalOf(src: Sources, model: Model, template: CfnTemplate, value: unknown): { literal: string } | { resource: string } | undefined {
  const sub = isObj(value) ? value['Fn::Sub'] : undefined;
  if (sub !== undefined) {
    const [text, vars] = Array.isArray(sub) ? [sub[0], isObj(sub[1]) ? sub[1] : {}] : [sub, {}];
    if (typeof text !== 'string') return undefined;
    let out = text;
    for (const [name, v] of Object.entries(vars)) {
      const r = principalOf(src, model, template, v);
      if (!r) return undefined;
      if ('resource' in r) {
        if (text === `\${${name}}`) return r;
        return undefined;
      }
      out = out.split(`\${${name}}`).join(r.literal);
    }
    for (const [name, v] of Object.entries(pseudo(model))) out = out.split(`\${${name}}`).join(v);
    return /\$\{/.test(out) ? undefined : { literal: out };
  }
  const r = src.resolve(template, value);
  if (r.kind === 'literal') return { literal: r.value };
  if (r.kind === 'resource') return { resource: src.key(r.template, r.id) };
  return undefined;
}

export function principalReferences(model: Model, src: Sources): PrincipalReference[] {
  const out: PrincipalReference[] = [];
  for (const [type, property] of Object.entries(POLICY_PROPERTIES)) {
    for (const e of src.of(type)) out.push(...fromDocument(src, model, e, property));
  }
  return out;
}

function fromDocument(src: Sources, model: Model, e: CfnEntry, property: string): PrincipalReference[] {
  const doc = e.props[property];
  const raw = property === 'Statement' ? [{ Principal: e.props.Principal, Sid: e.props.StatementId }] : isObj(doc) ? doc.Statement : undefined;
  const statements = (Array.isArray(raw) ? raw : isObj(raw) ? [raw] : []).filter(isObj);
  const out: PrincipalReference[] = [];
  statements.forEach((s, i) => {
    const principal = s.Principal;
    if (!isObj(principal)) return;
    for (const kind of ['AWS', 'Federated'] as const) {
      const values = principal[kind];
      for (const v of Array.isArray(values) ? values : values === undefined ? [] : [values]) {
        if (v === '*') continue; // anyone, narrowed by conditions: not a reference to one principal
        const p = principalOf(src, model, e.template, v);
        out.push({
          kind: property === 'AssumeRolePolicyDocument' ? 'trust' : 'resource-policy',
          principalType: kind,
          ...(p === undefined ? { unresolved: JSON.stringify(v) } : 'literal' in p ? { arn: p.literal } : { resource: p.resource }),
          where: `${property}.Statement[${typeof s.Sid === 'string' ? s.Sid : i}]`,
          source: src.cfnSource(e),
        });
      }
    }
  });
  return out;
}
