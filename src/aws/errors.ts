/**
 * AWS errors in one line each, with the exit code they end the run with. Works on the shape of
 * SDK errors (name, message, $metadata, code) without importing the SDK.
 */
import { EXIT_AWS, EXIT_FINDINGS, EXIT_USAGE } from './decide.js';

export interface Explained {
  readonly message: string;
  readonly exitCode: number;
  /** Whether the run must stop (credentials, permissions, network): retrying other stacks is pointless. */
  readonly fatal: boolean;
  readonly kind: 'credentials' | 'access' | 'throttling' | 'network' | 'no-updates' | 'state' | 'validation' | 'other';
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  cause?: unknown;
  /** S3 PermanentRedirect: the endpoint of the bucket's region. */
  Endpoint?: string;
  $response?: { headers?: Record<string, string | undefined> };
}

/** What an upload to the template bucket was about, to explain S3's answers. */
export interface UploadContext {
  readonly bucket: string;
  readonly key: string;
  /** The stack's region, where the upload went. */
  readonly region: string;
  /** The environment's account, sent as ExpectedBucketOwner. */
  readonly account: string;
}

const REGION_CODES = ['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException'];

/** The region S3 says the bucket is in, when it says so. */
function bucketRegion(e: ErrorLike): string | undefined {
  const header = e.$response?.headers?.['x-amz-bucket-region'];
  if (header) return header;
  const fromEndpoint = /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(e.Endpoint ?? '')?.[1];
  if (fromEndpoint) return fromEndpoint;
  return /expecting '([a-z0-9-]+)'/.exec(e.message ?? '')?.[1];
}

/** S3's answers to PutObject on the template bucket, or undefined for the generic explanations. */
function explainUpload(e: ErrorLike, code: string, msg: string, doing: string, u: UploadContext): Explained | undefined {
  const status = e.$metadata?.httpStatusCode;
  const perRegion = 'name a bucket per region with {region}, e.g. --template-bucket innovate-templates-{account}-{region}';
  if (code === 'NoSuchBucket')
    return { kind: 'other', fatal: true, exitCode: EXIT_USAGE, message: `the template bucket ${u.bucket} does not exist (NoSuchBucket) while ${doing}: create it in account ${u.account}, region ${u.region} (see docs/aws.md), or pass another --template-bucket; to use one bucket per region, ${perRegion}` };
  if (REGION_CODES.includes(code) || status === 301) {
    const actual = bucketRegion(e);
    return { kind: 'other', fatal: true, exitCode: EXIT_USAGE, message: `the template bucket ${u.bucket} is not in ${u.region}${actual ? ` but in ${actual}` : ''} (${code}) while ${doing}: innovate uploads a stack's template to a bucket of the stack's region; ${perRegion}` };
  }
  if (ACCESS_CODES.includes(code) || status === 403)
    return {
      kind: 'access',
      fatal: true,
      exitCode: EXIT_USAGE,
      message: `access denied (${code}: ${msg}) while ${doing}: either bucket ${u.bucket} is not owned by account ${u.account} (innovate sends ExpectedBucketOwner ${u.account} and never uploads a template into another account's bucket), or the caller lacks s3:PutObject on arn:aws:s3:::${u.bucket}/${u.key.slice(0, u.key.lastIndexOf('/') + 1)}* (or kms:GenerateDataKey on the bucket's key, or a bucket policy demands an encryption header: pass --template-kms-key; see docs/aws.md)`,
    };
  if (code.startsWith('KMS.'))
    return { kind: 'access', fatal: true, exitCode: EXIT_USAGE, message: `S3 could not encrypt the template for bucket ${u.bucket} with KMS (${code}: ${msg}) while ${doing}: the key (the bucket's default, or --template-kms-key) must be enabled and allow the caller kms:GenerateDataKey` };
  return undefined;
}

const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET'];
const CREDENTIAL_CODES = ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired'];
const INVALID_CREDENTIAL_CODES = ['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken', 'InvalidAccessKeyId', 'AuthFailure'];
const ACCESS_CODES = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError'];
const THROTTLE_CODES = ['Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'SlowDown'];

const firstLine = (s: string) => s.split('\n')[0]!.trim();

function networkCode(e: ErrorLike): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; cur = (cur as ErrorLike).cause, depth++) {
    const c = (cur as ErrorLike).code;
    if (c && NETWORK_CODES.includes(c)) return c;
  }
  if (e.name === 'TimeoutError' && !e.$metadata?.httpStatusCode) return 'timeout';
  return undefined;
}

/**
 * @param doing what innovate was doing, e.g. "creating a change set for innovate-production-data"
 * @param where the endpoint or region, for network failures
 * @param upload set when the call uploaded a template to the template bucket
 */
export function explainAwsError(error: unknown, doing: string, where: string, upload?: UploadContext): Explained {
  const e = (error ?? {}) as ErrorLike;
  const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Error');
  const msg = firstLine(e.message ?? String(error));
  const attempts = e.$metadata?.attempts;

  // An optional dependency (an SDK client) not installed: its message says what to install.
  if (code === 'MissingDependencyError') return { kind: 'other', fatal: true, exitCode: EXIT_USAGE, message: msg };
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(msg))
    return { kind: 'credentials', fatal: true, exitCode: EXIT_AWS, message: `no AWS credentials found while ${doing}: configure the standard chain (environment variables, ~/.aws, SSO) or pass --profile (${msg})` };
  if (CREDENTIAL_CODES.includes(code) || /security token included in the request is expired|token has expired/i.test(msg))
    return { kind: 'credentials', fatal: true, exitCode: EXIT_AWS, message: `the AWS credentials have expired (${code}) while ${doing}: refresh them (aws sso login, or new session credentials) and run again` };
  if (INVALID_CREDENTIAL_CODES.includes(code))
    return { kind: 'credentials', fatal: true, exitCode: EXIT_AWS, message: `AWS rejected the credentials (${code}) while ${doing}: check the access key, secret and session token of the profile in use` };
  if (upload) {
    const explained = explainUpload(e, code, msg, doing, upload);
    if (explained) return explained;
  }
  if (ACCESS_CODES.includes(code) || /not authorized to perform/i.test(msg))
    return { kind: 'access', fatal: true, exitCode: EXIT_AWS, message: `access denied while ${doing}: ${msg} (grant the permissions listed in docs/aws.md)` };
  if (THROTTLE_CODES.includes(code) || /rate exceeded/i.test(msg))
    return { kind: 'throttling', fatal: true, exitCode: EXIT_AWS, message: `AWS kept throttling the requests (${code}${attempts ? ` after ${attempts} attempts` : ''}) while ${doing}: wait a few minutes and run again` };
  const net = networkCode(e);
  if (net)
    return { kind: 'network', fatal: true, exitCode: EXIT_AWS, message: `network failure (${net}) while ${doing}: could not reach ${where}; check the connection, proxy and --endpoint-url` };
  if (/No updates are to be performed/i.test(msg)) return { kind: 'no-updates', fatal: false, exitCode: 0, message: `no changes (${doing})` };
  if (/is in [A-Z_]+ state and can not be updated|_IN_PROGRESS state/i.test(msg))
    return { kind: 'state', fatal: false, exitCode: EXIT_USAGE, message: `${msg} (while ${doing}): wait for the running operation to finish, or delete a stack in ROLLBACK_COMPLETE, and run again` };
  if (code === 'InsufficientCapabilitiesException' || code === 'InsufficientCapabilities')
    return { kind: 'validation', fatal: false, exitCode: EXIT_FINDINGS, message: `CloudFormation needs more capabilities while ${doing}: ${msg}` };
  // CloudFormation reads a TemplateURL with the caller's credentials: "S3 error: Access Denied",
  // "S3 error: The specified key does not exist.", "TemplateURL must be a supported URL."
  if (code === 'ValidationError' && /^S3 error|TemplateURL/i.test(msg))
    return { kind: 'access', fatal: true, exitCode: EXIT_AWS, message: `CloudFormation could not read the template from S3 while ${doing}: ${msg} (it reads the object with the caller's credentials: grant s3:GetObject on the template prefix, and kms:Decrypt on the key the object is encrypted with; see docs/aws.md)` };
  if (code === 'ValidationError')
    return { kind: 'validation', fatal: false, exitCode: EXIT_FINDINGS, message: `CloudFormation rejected the request while ${doing}: ${msg}` };
  if (code === 'LimitExceededException')
    return { kind: 'other', fatal: true, exitCode: EXIT_AWS, message: `an account limit was reached while ${doing}: ${msg}` };
  // innovate's own waits (driver.ts): already one clear sentence.
  if (code === 'SnapshotNotAvailable' || code === 'ChangeSetTimeout' || code === 'DriftTimeout')
    return { kind: 'other', fatal: true, exitCode: EXIT_AWS, message: `${msg} (while ${doing})` };
  const status = e.$metadata?.httpStatusCode;
  return { kind: 'other', fatal: true, exitCode: EXIT_AWS, message: `AWS error ${code}${status ? ` (HTTP ${status})` : ''} while ${doing}: ${msg}` };
}
