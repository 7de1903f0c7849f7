/**
 * innovate cost --live through the real @aws-sdk/client-pricing against a local stand-in of the
 * Price List API (JSON 1.1 over HTTP, paged two products at a time): the SDK's serialization,
 * signing and paging run for real. Skipped with a message while the package is not installed
 * (it is an optional, lazily loaded dependency of --live only).
 */
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { openPricing, PRICING_SDK } from '../../src/aws/pricing.js';
import { startFakePricingServer, product } from './fake-pricing.js';

const installed = (() => {
  try {
    createRequire(import.meta.url).resolve(PRICING_SDK);
    return true;
  } catch {
    return false;
  }
})();
if (!installed) console.warn(`skipping test/cost/live-sdk.test.ts: ${PRICING_SDK} is not installed (npm ci installs it)`);

describe.skipIf(!installed)('--live over the real SDK', () => {
  const servers: { close: () => void }[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('pages through GetProducts with TERM_MATCH filters', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'x';
    const fake = await startFakePricingServer([
      product('AmazonEC2', { usagetype: 'NatGateway-Hours', regionCode: 'us-east-1' }, 'Hrs', [['0.045', '0', 'a']], 'NAT Gateway'),
      product('AmazonEC2', { usagetype: 'NatGateway-Bytes', regionCode: 'us-east-1' }, 'GB', [['0.045', '0', 'b']], 'NAT Gateway'),
      product('AmazonEC2', { usagetype: 'EU-NatGateway-Hours', regionCode: 'eu-west-1' }, 'Hrs', [['0.048', '0', 'c']], 'NAT Gateway'),
      product('AmazonEC2', { usagetype: 'RegionalNatGateway-Hours', regionCode: 'us-east-1' }, 'Hrs', [['0.045', '0', 'd']], 'NAT Gateway'),
      product('AmazonEC2', { usagetype: 'NatGateway-Prvd-Gbps', regionCode: 'us-east-1' }, 'Gbps-hrs', [['1.1', '0', 'e']], 'NAT Gateway'),
    ]);
    servers.push(fake.server);
    const api = await openPricing({ endpointUrl: fake.url });
    const list = await api.getProducts('AmazonEC2', [{ field: 'regionCode', value: 'us-east-1' }, { field: 'productFamily', value: 'NAT Gateway' }]);
    expect(list).toHaveLength(4); // two pages of two
    expect(fake.calls).toBe(2);
  });
});
