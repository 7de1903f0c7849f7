// IAM policy documents: the AWS managed policies innovate attaches (MAMIP snapshots of GetPolicyVersion)
// and the upstream controller policies innovate mirrors, from the vendored files in inventory/.
import { parseDocument } from 'yaml';

/** A MAMIP file: { PolicyVersion: { Document, VersionId, CreateDate, IsDefaultVersion } }. */
export function managedPolicy(text) {
  const v = JSON.parse(text).PolicyVersion;
  return { version: `${v.VersionId} (${v.CreateDate})`, document: v.Document };
}

/**
 * Karpenter's getting-started CloudFormation: every AWS::IAM::ManagedPolicy's PolicyDocument. They are
 * `!Sub` JSON strings: placeholders such as ${AWS::Partition}, ${ClusterName} and
 * ${KarpenterInterruptionQueue.Arn} are kept verbatim inside the strings.
 */
export function karpenterPolicies(text) {
  const tags = ['Sub', 'Ref', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'ImportValue', 'GetAZs', 'Base64', 'Condition'].flatMap((n) =>
    ['scalar', 'seq', 'map'].map((collection) => ({ tag: `!${n}`, collection: collection === 'scalar' ? undefined : collection, resolve: (v) => ({ [`Fn::${n}`]: v && typeof v.toJSON === 'function' ? v.toJSON() : v }) })),
  );
  const doc = parseDocument(text, { customTags: tags }).toJS();
  const out = [];
  for (const [id, r] of Object.entries(doc.Resources)) {
    if (r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const pd = r.Properties.PolicyDocument;
    const json = typeof pd === 'object' && pd['Fn::Sub'] !== undefined ? pd['Fn::Sub'] : pd;
    out.push({ id, document: typeof json === 'string' ? JSON.parse(json) : json });
  }
  return out;
}

/** The first ```json block after the "### IAM Policy" heading of external-secrets' AWS Secrets Manager page. */
export function externalSecretsPolicy(md) {
  const from = md.indexOf('### IAM Policy');
  const m = /``` ?json\n([\s\S]*?)```/.exec(md.slice(from));
  if (from < 0 || !m) throw new Error('IAM policy block not found');
  return JSON.parse(m[1]);
}

/** The first ```json block after the "## IAM Policy" heading of external-dns's AWS tutorial (docs/tutorials/aws.md). */
export function externalDnsPolicy(md) {
  const from = md.indexOf('## IAM Policy');
  const m = /```json\n([\s\S]*?)```/.exec(md.slice(from));
  if (from < 0 || !m) throw new Error('IAM policy block not found');
  return JSON.parse(m[1]);
}
