/**
 * How each template reaches CloudFormation. Up to 51,200 bytes (minified) it goes inline
 * (TemplateBody); a larger one is uploaded to the template bucket and CloudFormation gets its URL
 * (TemplateURL, up to 1 MB), as `aws cloudformation deploy --s3-bucket` and SAM do.
 *
 * The bucket name may contain {region} and {account}, replaced per stack: one environment's
 * stacks can live in several regions, and CloudFormation reads a template from a bucket of the
 * stack's region. Keys are content-addressed (`<prefix><stackName>/<sha256>.json`): a re-run
 * uploads the same object again, and a change set always points at exactly the template it was
 * planned with.
 *
 * Pure: decided before any AWS call, so a missing or malformed bucket is refused up front.
 */
import { sha256 } from '../pipeline.js';
import { MAX_TEMPLATE_BODY_BYTES, type StackTarget } from './targets.js';

/** CloudFormation reads at most this many bytes from a TemplateURL. */
export const MAX_TEMPLATE_URL_BYTES = 1_048_576;
export const DEFAULT_TEMPLATE_PREFIX = 'innovate/';
/** The bucket when --template-bucket is absent (CI). The flag wins when both are set. */
export const TEMPLATE_BUCKET_VARIABLE = 'INNOVATE_TEMPLATE_BUCKET';

export interface TemplateBucket {
  /** The bucket name, possibly with {region} and {account}. */
  readonly bucket: string;
  /** Key prefix, e.g. `innovate/` (a trailing slash is added when missing; empty for none). */
  readonly prefix: string;
  /** Where the name came from, for messages. */
  readonly source: '--template-bucket' | typeof TEMPLATE_BUCKET_VARIABLE;
  /** KMS key (id, ARN or alias) for SSE-KMS; absent: the bucket's default encryption applies. */
  readonly kmsKeyId?: string;
}

export type TemplateDelivery =
  | { readonly via: 'inline'; readonly bytes: number }
  | { readonly via: 's3'; readonly bytes: number; readonly bucket: string; readonly key: string; readonly url: string; readonly expectedOwner: string; readonly kmsKeyId?: string };

/** The flag, else the environment variable (ignored when empty), else none. */
export function templateBucketFrom(flag: string | undefined, variable: string | undefined, prefix: string = DEFAULT_TEMPLATE_PREFIX, kmsKeyId?: string): TemplateBucket | undefined {
  const key = kmsKeyId ? { kmsKeyId } : {};
  if (flag !== undefined) return { bucket: flag, prefix, source: '--template-bucket', ...key };
  if (variable !== undefined && variable.trim() !== '') return { bucket: variable.trim(), prefix, source: TEMPLATE_BUCKET_VARIABLE, ...key };
  return undefined;
}

const PLACEHOLDERS = ['{region}', '{account}'];

export const bucketName = (pattern: string, region: string, account: string): string => pattern.replaceAll('{region}', region).replaceAll('{account}', account);

/** Why a name is not a general purpose S3 bucket name innovate can address, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `a bucket name has 3 to 63 characters (this one has ${name.length})`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'a bucket name has only lowercase letters, digits, dots and hyphens, and begins and ends with a letter or digit';
  if (name.includes('..')) return 'a bucket name has no two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'a bucket name is not an IP address';
  for (const p of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (name.startsWith(p)) return `a bucket name does not begin with ${p}`;
  for (const s of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (name.endsWith(s)) return `a name ending with ${s} is not a general purpose bucket`;
  return undefined;
}

/** Why a key prefix is refused, or undefined: plain URL-safe characters, relative, no empty or dot segments. */
export function prefixProblem(prefix: string): string | undefined {
  if (!/^[A-Za-z0-9!_.*'()/-]*$/.test(prefix)) return "a key prefix has only letters, digits, / and !-_.*'()";
  if (prefix.startsWith('/')) return 'a key prefix does not begin with /';
  if (normalizePrefix(prefix).split('/').slice(0, -1).some((s) => s === '' || s === '.' || s === '..')) return 'a key prefix has no empty, . or .. segments';
  return undefined;
}

/** `templates` → `templates/`; empty stays empty (keys at the top of the bucket). */
export const normalizePrefix = (prefix: string): string => (prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`);

/** `<prefix><stackName>/<sha256 of the minified body>.json` */
export const templateKey = (prefix: string, stackName: string, body: string): string => `${normalizePrefix(prefix)}${stackName}/${sha256(body)}.json`;

/**
 * The https URL CloudFormation reads the template from: virtual-hosted style in the bucket's
 * region, or path style for a name with dots (a dotted host does not match S3's certificate).
 * Domain amazonaws.com: the commercial and GovCloud partitions (not China).
 */
export function templateUrl(bucket: string, region: string, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return bucket.includes('.') ? `https://s3.${region}.amazonaws.com/${bucket}/${path}` : `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
}

/**
 * How each target's template is sent, or the reasons it cannot be: templates over 1 MB, oversized
 * templates without a bucket, an unusable bucket name or prefix.
 */
export function planDeliveries(targets: readonly StackTarget[], bucket: TemplateBucket | undefined): { deliveries: Map<string, TemplateDelivery>; problems: string[] } {
  const problems: string[] = [];
  const deliveries = new Map<string, TemplateDelivery>();
  if (bucket) {
    const named = `${bucket.source} ${JSON.stringify(bucket.bucket)}`;
    const unknown = [...new Set(bucket.bucket.match(/\{[^}]*\}/g) ?? [])].filter((p) => !PLACEHOLDERS.includes(p));
    if (bucket.bucket.trim() === '') problems.push(`${named}: the bucket name is empty`);
    else if (unknown.length) problems.push(`${named}: unknown placeholder ${unknown.join(', ')}; only {region} and {account} are replaced`);
    else {
      const seen = new Set<string>();
      for (const t of targets) {
        const name = bucketName(bucket.bucket, t.region, t.accountId);
        if (seen.has(name)) continue;
        seen.add(name);
        const problem = bucketNameProblem(name);
        if (problem) problems.push(`${named}${name === bucket.bucket ? '' : ` (${name} in ${t.region})`}: not a usable S3 bucket name: ${problem}`);
      }
    }
    const prefixIssue = prefixProblem(bucket.prefix);
    if (prefixIssue) problems.push(`--template-prefix ${JSON.stringify(bucket.prefix)}: ${prefixIssue}`);
  }
  for (const t of targets) {
    if (t.bodyBytes > MAX_TEMPLATE_URL_BYTES) {
      problems.push(`${t.template}: the template is ${t.bodyBytes} bytes minified; CloudFormation accepts at most ${MAX_TEMPLATE_URL_BYTES} bytes even from S3: split the platform into smaller specs`);
    } else if (t.bodyBytes <= MAX_TEMPLATE_BODY_BYTES) {
      deliveries.set(t.stackName, { via: 'inline', bytes: t.bodyBytes });
    } else if (!bucket) {
      problems.push(
        `${t.template}: the template is ${t.bodyBytes} bytes minified, over the ${MAX_TEMPLATE_BODY_BYTES} bytes CloudFormation accepts inline: pass --template-bucket NAME (or set ${TEMPLATE_BUCKET_VARIABLE}) to upload it to an S3 bucket of account ${t.accountId} in ${t.region} and send its URL (see docs/aws.md)`,
      );
    } else {
      const name = bucketName(bucket.bucket, t.region, t.accountId);
      const key = templateKey(bucket.prefix, t.stackName, t.body);
      deliveries.set(t.stackName, { via: 's3', bytes: t.bodyBytes, bucket: name, key, url: templateUrl(name, t.region, key), expectedOwner: t.accountId, ...(bucket.kmsKeyId ? { kmsKeyId: bucket.kmsKeyId } : {}) });
    }
  }
  return { deliveries, problems };
}
