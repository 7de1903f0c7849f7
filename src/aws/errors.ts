/**
 * AWS errors in one line each, with the exit code they end the run with. Works on the shape of
 * SDK errors (name, message, $metadata, code) without importing the SDK.
 */
import { EXIT_FINDINGS, EXIT_USAGE } from './decide.js';

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
 */
export function explainAwsError(error: unknown, doing: string, where: string): Explained {
  const e = (error ?? {}) as ErrorLike;
  const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Error');
  const msg = firstLine(e.message ?? String(error));
  const attempts = e.$metadata?.attempts;

  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(msg))
    return { kind: 'credentials', fatal: true, exitCode: EXIT_USAGE, message: `no AWS credentials found while ${doing}: configure the standard chain (environment variables, ~/.aws, SSO) or pass --profile (${msg})` };
  if (CREDENTIAL_CODES.includes(code) || /security token included in the request is expired|token has expired/i.test(msg))
    return { kind: 'credentials', fatal: true, exitCode: EXIT_USAGE, message: `the AWS credentials have expired (${code}) while ${doing}: refresh them (aws sso login, or new session credentials) and run again` };
  if (INVALID_CREDENTIAL_CODES.includes(code))
    return { kind: 'credentials', fatal: true, exitCode: EXIT_USAGE, message: `AWS rejected the credentials (${code}) while ${doing}: check the access key, secret and session token of the profile in use` };
  if (ACCESS_CODES.includes(code) || /not authorized to perform/i.test(msg))
    return { kind: 'access', fatal: true, exitCode: EXIT_USAGE, message: `access denied while ${doing}: ${msg} (grant the permissions listed in docs/aws.md)` };
  if (THROTTLE_CODES.includes(code) || /rate exceeded/i.test(msg))
    return { kind: 'throttling', fatal: true, exitCode: EXIT_USAGE, message: `AWS kept throttling the requests (${code}${attempts ? ` after ${attempts} attempts` : ''}) while ${doing}: wait a few minutes and run again` };
  const net = networkCode(e);
  if (net)
    return { kind: 'network', fatal: true, exitCode: EXIT_USAGE, message: `network failure (${net}) while ${doing}: could not reach ${where}; check the connection, proxy and --endpoint-url` };
  if (/No updates are to be performed/i.test(msg)) return { kind: 'no-updates', fatal: false, exitCode: 0, message: `no changes (${doing})` };
  if (/is in [A-Z_]+ state and can not be updated|_IN_PROGRESS state/i.test(msg))
    return { kind: 'state', fatal: false, exitCode: EXIT_USAGE, message: `${msg} (while ${doing}): wait for the running operation to finish, or delete a stack in ROLLBACK_COMPLETE, and run again` };
  if (code === 'InsufficientCapabilitiesException' || code === 'InsufficientCapabilities')
    return { kind: 'validation', fatal: false, exitCode: EXIT_FINDINGS, message: `CloudFormation needs more capabilities while ${doing}: ${msg}` };
  if (code === 'ValidationError')
    return { kind: 'validation', fatal: false, exitCode: EXIT_FINDINGS, message: `CloudFormation rejected the request while ${doing}: ${msg}` };
  if (code === 'LimitExceededException')
    return { kind: 'other', fatal: true, exitCode: EXIT_USAGE, message: `an account limit was reached while ${doing}: ${msg}` };
  // innovate's own waits (driver.ts): already one clear sentence.
  if (code === 'SnapshotNotAvailable' || code === 'ChangeSetTimeout' || code === 'DriftTimeout')
    return { kind: 'other', fatal: true, exitCode: EXIT_USAGE, message: `${msg} (while ${doing})` };
  const status = e.$metadata?.httpStatusCode;
  return { kind: 'other', fatal: true, exitCode: EXIT_USAGE, message: `AWS error ${code}${status ? ` (HTTP ${status})` : ''} while ${doing}: ${msg}` };
}
