/**
 * A stand-in for the AWS Price List API, in the shape of its GetProducts answers: products as JSON
 * strings ({ product: { productFamily, attributes }, terms: { OnDemand }, publicationDate }), the
 * service code and TERM_MATCH filters applied to the attributes, and paging with NextToken. Used
 * two ways: as a PriceListApi object (no SDK needed), and as a local HTTP server speaking the API's
 * JSON 1.1 protocol for the real SDK (test/cost/live-sdk.test.ts, skipped without the SDK).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PriceListApi } from '../../src/aws/pricing.js';

export interface FakeProduct {
  readonly serviceCode: string;
  readonly productFamily?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Price dimensions in order: [usd, beginRange, description]. */
  readonly tiers: readonly (readonly [string, string, string])[];
  readonly unit: string;
}

export const product = (serviceCode: string, attributes: Record<string, string>, unit: string, tiers: [string, string, string][], productFamily?: string): FakeProduct => ({
  serviceCode,
  attributes,
  unit,
  tiers,
  ...(productFamily ? { productFamily } : {}),
});

/** One product as the API's JSON string. */
export function priceListItem(p: FakeProduct, sku: string): string {
  const dims: Record<string, unknown> = {};
  p.tiers.forEach(([usd, begin, description], i) => {
    dims[`${sku}.JRTCKXETXF.${i}`] = { unit: p.unit, beginRange: begin, endRange: 'Inf', description, pricePerUnit: { USD: usd } };
  });
  return JSON.stringify({
    product: { ...(p.productFamily ? { productFamily: p.productFamily } : {}), attributes: { servicecode: p.serviceCode, ...p.attributes }, sku },
    serviceCode: p.serviceCode,
    terms: { OnDemand: { [`${sku}.JRTCKXETXF`]: { offerTermCode: 'JRTCKXETXF', sku, effectiveDate: '2026-11-01T00:00:00Z', priceDimensions: dims } } },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  });
}

const matches = (p: FakeProduct, serviceCode: string, filters: readonly { field: string; value: string }[]) =>
  p.serviceCode === serviceCode && filters.every((f) => (f.field === 'productFamily' ? p.productFamily === f.value : p.attributes[f.field] === f.value));

/** The API as an object: what openPricing returns, for tests that need no SDK. Records each request. */
export function fakePriceList(products: readonly FakeProduct[], fail?: unknown): PriceListApi & { requests: { serviceCode: string; filters: readonly { field: string; value: string }[] }[] } {
  const requests: { serviceCode: string; filters: readonly { field: string; value: string }[] }[] = [];
  return {
    requests,
    async getProducts(serviceCode, filters) {
      requests.push({ serviceCode, filters });
      if (fail) throw fail;
      return products.map((p, i) => ({ p, i })).filter(({ p }) => matches(p, serviceCode, filters)).map(({ p, i }) => priceListItem(p, `SKU${String(i).padStart(6, '0')}`));
    },
  };
}

/** The API over HTTP (JSON 1.1, X-Amz-Target AWSPriceListService.GetProducts), two products a page. */
export async function startFakePricingServer(products: readonly FakeProduct[]): Promise<{ url: string; server: Server; calls: number }> {
  const state = { calls: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      state.calls++;
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target !== 'AWSPriceListService.GetProducts') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InvalidParameterException', message: `unknown target ${target}` }));
        return;
      }
      const input = JSON.parse(body) as { ServiceCode: string; Filters?: { Type: string; Field: string; Value: string }[]; NextToken?: string };
      const all = products.map((p, i) => ({ p, i })).filter(({ p }) => matches(p, input.ServiceCode, (input.Filters ?? []).map((f) => ({ field: f.Field, value: f.Value }))));
      const start = Number(input.NextToken ?? 0);
      const page = all.slice(start, start + 2);
      const next = start + 2 < all.length ? String(start + 2) : undefined;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${state.calls}` });
      res.end(JSON.stringify({ FormatVersion: 'aws_v1', PriceList: page.map(({ p, i }) => priceListItem(p, `SKU${String(i).padStart(6, '0')}`)), ...(next ? { NextToken: next } : {}) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    get calls() {
      return state.calls;
    },
  };
}
