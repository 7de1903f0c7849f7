/**
 * An unknown key that names a credential (`database.password`, `token`, `apiKey`) is not a typo to
 * fix but a value that must not be in the spec at all: decode reports it as INN071 with where the
 * credential belongs, instead of the generic INN011 "unknown key".
 */
import { finding, type Finding, type SpecPath } from '../diagnostics/diagnostic.js';

const CREDENTIAL_KEY = /(password|passwd|passphrase|pass|pwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|secret[_-]?key|credentials?)$/i;

const DATABASE_HINT =
  'the Aurora master password is generated and kept in Secrets Manager by innovate (never in the spec); for an application login declare security.secrets.<name>: { kind: database-user } and reference it from workloads.<w>.secrets.<VAR>: { secret: <name>, key: password }';

const GENERIC_HINT =
  'declare the secret under security.secrets (innovate creates it in Secrets Manager; set its value with aws secretsmanager put-secret-value) and reference it from workloads.<w>.secrets.<VAR>: { secret: <name>, key: <json key> }';

/** INN071 for an unknown credential-like key at path/key, or undefined for any other unknown key. */
export function credentialKeyFinding(path: SpecPath, key: string): Finding | undefined {
  if (!CREDENTIAL_KEY.test(key)) return undefined;
  const where = path.includes('database') ? 'a database password' : 'a credential';
  return { ...finding('INN071', [...path, key], `"${key}" would put ${where} in the spec; innovate never reads one from here`, path.includes('database') ? DATABASE_HINT : GENERIC_HINT), atKey: true };
}
