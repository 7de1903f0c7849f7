/**
 * Liveness rules: deployed, would the platform come up? Rules over the deployed-platform model
 * (src/platform) of each environment, reported like the invariant rules (INV1xx ids). docs/boot.md
 * explains them.
 */
import type { Rule } from '../policies/types.js';
import { certificateZones, dnsRecordsWritten } from './dns.js';
import { clusterAdminReachable, principalsExist } from './identity.js';
import { firstDeploy } from './first-deploy.js';
import { productionOnDemand, spotWhereIntended } from './intent.js';
import { permissionsCovered } from './permissions.js';
import { imagesReachEveryEnvironment, productionCveGate, promoterAppPushes } from './promotion.js';
import { reachability } from './reachability.js';
import { managedGroupsFit, podsHaveNodes, poolsFit } from './scheduling.js';
import { scpAllowsDeploy } from './scp.js';

export const LIVENESS_RULES: readonly Rule[] = [reachability, podsHaveNodes, managedGroupsFit, poolsFit, productionOnDemand, spotWhereIntended, principalsExist, clusterAdminReachable, permissionsCovered, firstDeploy, dnsRecordsWritten, certificateZones, scpAllowsDeploy, imagesReachEveryEnvironment, productionCveGate, promoterAppPushes];
