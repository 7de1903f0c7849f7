import { finding, type Finding } from '../diagnostics/diagnostic.js';
import type { Validator } from './registry.js';

/** Encryption and TLS are not optional; secrets that cannot rotate are flagged. */
const dataProtection: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const db = spec.database;
  if (!db.storageEncrypted) out.push(finding('INN040', ['database', 'storageEncrypted'], 'storageEncrypted: false would leave Aurora storage unencrypted'));
  if (!db.forceSsl) out.push(finding('INN041', ['database', 'forceSsl'], 'forceSsl: false would accept unencrypted database connections'));
  if (db.serverlessV2 && db.serverlessV2.minCapacity > db.serverlessV2.maxCapacity) {
    out.push(finding('INN045', ['database', 'serverlessV2', 'minCapacity'], `minCapacity ${db.serverlessV2.minCapacity} exceeds maxCapacity ${db.serverlessV2.maxCapacity}`));
  }
  for (const [name, s] of Object.entries(spec.security.secrets)) {
    if (s.kind === 'generic' && !s.rotationLambdaArn) out.push(finding('INN046', ['security', 'secrets', name], `generic secret "${name}" has no rotationLambdaArn, so it is never rotated`));
  }
  return out;
};

/** Signatures are verified with the key CI signs with: without registry.signing there is none. */
const admission: Validator = ({ spec }) =>
  spec.security.admission.imageSignatures !== undefined && !spec.registry.signing
    ? [finding('INN100', ['security', 'admission', 'imageSignatures'], `imageSignatures: ${spec.security.admission.imageSignatures} verifies signatures made with the KMS signing key, but registry.signing is false: there is no key and CI signs nothing`)]
    : [];

export const securityValidators = [
  ['data-protection', dataProtection, ['database', 'security']],
  ['admission', admission, ['security', 'registry']],
] as const;
