/**
 * EC2 instance families Karpenter can select, with the labels it derives from them
 * (karpenter.k8s.aws/instance-category, instance-generation, kubernetes.io/arch).
 *
 * Read from the sourced inventory (src/inventory, vendored in inventory/, see inventory/SOURCES.md):
 * every family in Karpenter v1.14's generated instance-type reference, so the satisfiability check
 * (INN037) and the platform model's scheduler read one table.
 */
import { INSTANCE_FAMILY_TABLE, instanceFamily, type InstanceFamilyInfo } from '../../inventory/instance-types.js';

export type InstanceFamily = InstanceFamilyInfo;

export const INSTANCE_FAMILIES: readonly InstanceFamily[] = INSTANCE_FAMILY_TABLE;

export const familyOf = (instanceType: string): InstanceFamily | undefined => instanceFamily(instanceType.split('.')[0]!);
