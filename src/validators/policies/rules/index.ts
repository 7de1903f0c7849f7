/** The invariant rules, in id order, then the liveness rules (src/validators/liveness). */
import { LIVENESS_RULES } from '../../liveness/index.js';
import type { Rule } from '../types.js';
import { auditOn, dataSafety } from './audit.js';
import { cmkEncryption, keyRotation } from './encryption.js';
import { leastPrivilege, scopedTrust } from './iam.js';
import { imdsV2, networkTiers, noPublicIps } from './network.js';
import { noSecretMaterial } from './secrets.js';
import { tlsEverywhere } from './transit.js';
import { availability, hardenedPods, imageProvenance } from './workloads.js';

export const RULES: readonly Rule[] = [
  noPublicIps,
  networkTiers,
  imdsV2,
  cmkEncryption,
  keyRotation,
  tlsEverywhere,
  auditOn,
  dataSafety,
  hardenedPods,
  availability,
  imageProvenance,
  leastPrivilege,
  scopedTrust,
  noSecretMaterial,
  ...LIVENESS_RULES,
];
