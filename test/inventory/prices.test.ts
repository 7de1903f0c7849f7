import { describe, expect, it } from 'vitest';
import { INSTANCE_TYPES, PRICES, ec2HourlyPrice, priceOf } from '../../src/inventory/index.js';

describe('prices', () => {
  it('on-demand us-east-1 for every platform instance type, from Karpenter generated table', () => {
    expect(PRICES.currency).toBe('USD');
    expect(PRICES.source).toMatch(/zz_generated\.pricing_aws\.go @ 1d927085/);
    for (const t of INSTANCE_TYPES) expect(ec2HourlyPrice('us-east-1', t.name), t.name).toBeGreaterThan(0);
    expect(ec2HourlyPrice('us-east-1', 't3.small')).toBe(0.0208);
    expect(ec2HourlyPrice('us-east-1', 'm5.large')).toBe(0.096);
  });

  it('names every region and item no vendored source gives, instead of guessing', () => {
    for (const r of ['us-west-2', 'eu-west-1', 'eu-central-1']) {
      expect(ec2HourlyPrice(r, 'm5.large')).toBeUndefined();
      expect(PRICES.gaps).toContain(`ec2-on-demand:${r}`);
    }
    expect(PRICES.gaps).toContain('nat-gateway-hour:eu-west-1');
    expect(PRICES.gaps).toContain('ebs-gp3-gb-month:eu-west-1');
    expect(PRICES.gaps).not.toContain('ebs-gp3-gb-month:us-east-1');
    expect(PRICES.gaps.some((g) => g.startsWith('eks-cluster-hour:'))).toBe(false);
  });

  it('EKS control plane: $0.10 per cluster-hour in standard support, from AWS, for any region', () => {
    expect(priceOf('eu-central-1', 'eks-cluster-hour')).toMatchObject({ usd: 0.1, url: expect.stringMatching(/^https:\/\/aws\.amazon\.com\//), date: '2026-12-05' });
    expect(priceOf('us-east-1', 'eks-cluster-hour-extended-support')?.usd).toBe(0.6);
    expect(priceOf('eu-central-1', 'nat-gateway-hour')).toBeUndefined();
  });

  it('issue 18: the items the cost estimate prices, each with its page and read date', () => {
    expect(priceOf('us-east-1', 'nat-gateway-hour')).toMatchObject({ usd: 0.045, url: 'https://basavytix.com/blog/aws-nat-gateway-pricing', date: '2026-12-06' });
    expect(priceOf('us-east-1', 'rds-db-hour:db.r6g.large')?.usd).toBe(0.3);
    expect(priceOf('eu-west-1', 'kms-key-month')?.usd).toBe(1);
    expect(priceOf('us-west-2', 'rds-db-hour:db.r6g.large')).toBeUndefined();
  });
});
