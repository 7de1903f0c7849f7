/**
 * Issue 17 §7: the promoted DR cluster has what the primary has. dr.json gives the secondary
 * cluster as many instances as the primary (a writer and its failover readers once promoted), of
 * the same class, so the promotion runbook (docs/aws.md, "Disaster recovery: promoting the DR
 * region") adds no instance while the application waits.
 */
import { describe, expect, it } from 'vitest';
import { exampleVariant } from '../helpers.js';
import { compileCfn, EXAMPLE } from './fixtures.js';

type Resource = { Type: string; Properties: Record<string, any> };
type Template = { Resources: Record<string, Resource> };
const templates = (text: string) => {
  const r = compileCfn(text);
  const read = (path: string): Template => JSON.parse(r.artifacts.find((a) => a.path === `cloudformation/${path}`)!.content);
  return { primary: read('production/data.json'), dr: read('production/dr.json') };
};
const instances = (t: Template) => Object.values(t.Resources).filter((r) => r.Type === 'AWS::RDS::DBInstance');

describe('the DR cluster mirrors the primary', () => {
  it('the example: a writer and a failover reader on each side, of the same class', () => {
    const { primary, dr } = templates(EXAMPLE);
    expect(instances(primary)).toHaveLength(2);
    expect(instances(dr)).toHaveLength(instances(primary).length);
    expect(instances(dr).map((i) => i.Properties.DBInstanceClass)).toEqual(instances(primary).map((i) => i.Properties.DBInstanceClass));
    for (const i of instances(dr)) expect(i.Properties.DBClusterIdentifier).toEqual({ Ref: 'DrDatabaseCluster' });
    // One instance Aurora makes the writer on promotion, the rest its failover targets.
    expect(instances(dr).map((i) => i.Properties.PromotionTier)).toEqual([0, 1]);
  });

  it('follows the primary count (three instances: three in DR)', () => {
    const { primary, dr } = templates(exampleVariant((s) => (s.database.instances = 3)));
    expect(instances(primary)).toHaveLength(3);
    expect(instances(dr)).toHaveLength(3);
  });
});
