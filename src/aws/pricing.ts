/**
 * The AWS Price List API (`pricing:GetProducts`) for `innovate cost --live`. Like the other SDK
 * clients (src/aws/driver.ts), @aws-sdk/client-pricing is loaded with a dynamic import() only when
 * --live is given: the CLI bundle keeps @aws-sdk/* external and `innovate cost` stays offline and
 * fast without it. The API has endpoints in a few regions only (us-east-1 among them) and answers
 * for every region, so the client always talks to us-east-1.
 */
import { compareLive, liveQuery, livePriceKeys, pickLivePrice, type LivePrice, type LiveQuery, type LiveReport } from '../cost/live.js';
import type { CostEstimate } from '../cost/models.js';
import { loadOptional } from '../util/optional.js';

/** What innovate needs of the Price List API: every page of GetProducts for a service and filters. */
export interface PriceListApi {
  getProducts(serviceCode: string, filters: readonly { field: string; value: string }[]): Promise<string[]>;
}

/** The parts of @aws-sdk/client-pricing innovate uses (typed here so the module stays optional until --live). */
interface PricingModule {
  PricingClient: new (config: Record<string, unknown>) => { send(command: unknown): Promise<{ PriceList?: string[]; NextToken?: string }> };
  GetProductsCommand: new (input: { ServiceCode: string; Filters: { Type: string; Field: string; Value: string }[]; NextToken?: string; MaxResults?: number; FormatVersion?: string }) => unknown;
}

export interface PricingOptions {
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** Attempts per request, retries included (the CLI passes AWS_MAX_ATTEMPTS). @default 5 */
  readonly maxAttempts?: number;
  /** Loads the SDK module (tests pass a stand-in). @default the optional @aws-sdk/client-pricing */
  readonly load?: () => Promise<PricingModule>;
}

/** The Price List API's endpoint region. */
export const PRICING_REGION = 'us-east-1';
export const PRICING_SDK = '@aws-sdk/client-pricing';
const SDK: string = PRICING_SDK;

export async function openPricing(options: PricingOptions = {}): Promise<PriceListApi> {
  // The specifier is a constant, not a literal, so type-checking and tests do not need the package
  // installed (it is optional until --live); the bundle turns this into a require() inside a promise.
  const sdk = options.load ? await options.load() : await loadOptional(PRICING_SDK, async () => (await import(SDK)) as PricingModule);
  const client = new sdk.PricingClient({
    region: PRICING_REGION,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
  });
  return {
    async getProducts(serviceCode, filters) {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new sdk.GetProductsCommand({ ServiceCode: serviceCode, Filters: filters.map((f) => ({ Type: 'TERM_MATCH', Field: f.field, Value: f.value })), FormatVersion: 'aws_v1', MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
        out.push(...(page.PriceList ?? []));
        token = page.NextToken;
      } while (token);
      return out;
    },
  };
}

/**
 * Asks the API for every price the estimate uses or lacks and compares them with the snapshot.
 * Requests of the same service and filters are made once. Throws the SDK's error (credentials,
 * network, access) for the caller to explain.
 */
export async function askLivePrices(api: PriceListApi, estimate: CostEstimate, asked: string): Promise<LiveReport> {
  const keys = livePriceKeys(estimate);
  const live = new Map<string, LivePrice | undefined | 'not checked'>();
  const pages = new Map<string, Promise<string[]>>();
  const queries: LiveQuery[] = [];
  for (const k of keys) {
    const q = liveQuery(k.id, k.region);
    if (!q) live.set(`${k.region} ${k.id}`, 'not checked');
    else queries.push(q);
  }
  // A few requests at a time: the API throttles, and adaptive retry handles the rest.
  const run = async (q: LiveQuery) => {
    const key = `${q.serviceCode} ${JSON.stringify(q.filters)}`;
    let p = pages.get(key);
    if (!p) pages.set(key, (p = api.getProducts(q.serviceCode, q.filters)));
    live.set(`${q.region} ${q.id}`, pickLivePrice(q, await p));
  };
  for (let i = 0; i < queries.length; i += 4) await Promise.all(queries.slice(i, i + 4).map(run));
  return compareLive(keys, live, asked);
}
