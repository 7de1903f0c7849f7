import { describe, expect, it } from 'vitest';
import { DB_INSTANCE_CLASSES, INSTANCE_TYPES, dbInstanceClass, eniMaxPods, instanceType } from '../../src/inventory/index.js';
import { INSTANCE_FAMILIES, familyOf } from '../../src/validators/data/instance-families.js';

describe('instance types', () => {
  it.each([
    // name, vcpu, memoryMiB, arch, enis, ipv4PerEni, maxPods
    ['t3.small', 2, 2048, 'amd64', 3, 4, 11],
    ['t3.medium', 2, 4096, 'amd64', 3, 6, 17],
    ['t4g.small', 2, 2048, 'arm64', 3, 4, 11],
    ['m5.large', 2, 8192, 'amd64', 3, 10, 29],
    ['m6g.xlarge', 4, 16384, 'arm64', 4, 15, 58],
    ['c6i.large', 2, 4096, 'amd64', 3, 10, 29],
    ['r6a.2xlarge', 8, 65536, 'amd64', 4, 15, 58],
  ] as const)('%s: %i vCPU, %i MiB, %s, %i ENIs x %i IPs, %i max pods', (name, vcpu, mem, arch, enis, ips, pods) => {
    const t = instanceType(name)!;
    expect(t).toMatchObject({ vcpu, memoryMiB: mem, architecture: arch, enis, ipv4PerEni: ips, maxPods: pods });
  });

  it('t3.small: 11 max pods, burstable, generation 3', () => {
    expect(instanceType('t3.small')).toMatchObject({ maxPods: 11, burstable: true, family: 't3', category: 't', generation: 3 });
  });

  it('holds only the platform families (t, m, c, r of generation >= 3), with Graviton and AMD variants', () => {
    expect(INSTANCE_TYPES.length).toBeGreaterThan(900);
    for (const t of INSTANCE_TYPES) {
      expect(['t', 'm', 'c', 'r']).toContain(t.category);
      expect(t.generation).toBeGreaterThanOrEqual(3);
    }
    const families = new Set(INSTANCE_TYPES.map((t) => t.family));
    for (const f of ['t3', 't3a', 't4g', 'm5', 'm6a', 'm6g', 'm6i', 'm7g', 'm7i', 'c6g', 'c7i', 'r6g', 'r7i']) expect(families).toContain(f);
    expect(instanceType('t2.micro')).toBeUndefined();
  });

  it('maxPods is the VPC CNI formula over the default network card: below it only for multi-card sizes', () => {
    const below = INSTANCE_TYPES.filter((t) => t.maxPods !== eniMaxPods(t));
    for (const t of below) {
      expect(t.maxPods).toBeLessThan(eniMaxPods(t));
      expect(t.name).toMatch(/\.(32xlarge|48xlarge|96xlarge|metal.*)$/);
    }
    expect(below.length).toBeLessThan(50);
  });

  it('Karpenter allocatable is below capacity', () => {
    for (const t of INSTANCE_TYPES) {
      expect(t.karpenterAllocatable.cpuMilli).toBeLessThan(t.vcpu * 1000);
      expect(t.karpenterAllocatable.memoryMiB).toBeLessThan(t.memoryMiB);
    }
  });
});

describe('instance families (INN037 reads the same table)', () => {
  it('derives every family the pools can select, with Karpenter labels', () => {
    expect(familyOf('m7g.large')).toEqual({ family: 'm7g', category: 'm', generation: 7, architecture: 'arm64' });
    expect(familyOf('m7i-flex.large')).toEqual({ family: 'm7i-flex', category: 'm', generation: 7, architecture: 'amd64' });
    expect(familyOf('c6gn.large')?.architecture).toBe('arm64');
    expect(familyOf('nope.large')).toBeUndefined();
    for (const t of INSTANCE_TYPES) expect(familyOf(t.name)).toMatchObject({ family: t.family, architecture: t.architecture });
    expect(INSTANCE_FAMILIES.length).toBeGreaterThan(100);
  });
});

describe('Aurora DB instance classes', () => {
  it.each([
    ['db.r6g.large', 2, 16384, 'arm64'],
    ['db.t3.medium', 2, 4096, 'amd64'],
    ['db.t4g.medium', 2, 4096, 'arm64'],
    ['db.r5.large', 2, 16384, 'amd64'],
  ] as const)('%s: %i vCPU, %i MiB, %s', (name, vcpu, memoryMiB, architecture) => {
    expect(dbInstanceClass(name)).toEqual({ name, vcpu, memoryMiB, architecture });
  });
  it('holds only db.t and db.r classes', () => {
    expect(DB_INSTANCE_CLASSES.every((c) => /^db\.[tr]\d/.test(c.name))).toBe(true);
  });
});
