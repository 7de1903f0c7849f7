/**
 * The named inputs of a cost estimate that no spec field and no price states: how much traffic,
 * how many log bytes, how deep the Spot discount. Each has a documented default (`likely`) and the
 * cheapest and dearest values the estimate's range uses (`low`, `high`). A spec overrides them under
 * `cost.assumptions` (per environment under `overrides.cost.assumptions`), the CLI with
 * `--assume name=value` or `--assume name=low..high`; docs/cost.md lists them.
 */

export interface Assumption {
  readonly name: AssumptionName;
  readonly unit: string;
  readonly description: string;
  /** The value of the estimate's `low` (the cheapest the assumption allows). */
  readonly low: number;
  /** The stated default: the value of the estimate's `likely`. */
  readonly likely: number;
  /** The value of the estimate's `high` (the dearest). */
  readonly high: number;
  /** Where the default comes from. */
  readonly basis: string;
}

export const ASSUMPTION_NAMES = [
  'hoursPerMonth',
  'spotDiscountPercent',
  'karpenterBurstPercent',
  'natGbPerMonth',
  'endpointGbPerMonth',
  'albLcuPerHour',
  'logGbPerPodPerMonth',
  'flowLogGbPerMonth',
  'controlPlaneLogGbPerMonth',
  'databaseStorageGb',
  'databaseIoMillionsPerMonth',
  'backupDailyChangePercent',
  'drReplicationGbPerMonth',
  'serverlessUtilizationPercent',
  'ecrGbPerRepository',
  'imagePushesPerRepositoryPerMonth',
  'savingsPlanPercent',
] as const;
export type AssumptionName = (typeof ASSUMPTION_NAMES)[number];

const A = (name: AssumptionName, unit: string, low: number, likely: number, high: number, description: string, basis: string): Assumption => ({ name, unit, low, likely, high, description, basis });

export const ASSUMPTIONS: Readonly<Record<AssumptionName, Assumption>> = {
  hoursPerMonth: A('hoursPerMonth', 'hours', 730, 730, 730, 'Hours in a billing month for hourly prices.', 'the 730-hour month of AWS examples (e.g. the NAT gateway page: "Hourly charge (730 hrs)")'),
  spotDiscountPercent: A('spotDiscountPercent', '% off On-Demand', 90, 70, 50, 'Spot price as a discount on the On-Demand price of the same instance type (low estimate = deepest discount).', 'the architecture document: Spot "up to 90 %"; innovate defaults to 70 % and bounds the range at 50–90 %'),
  karpenterBurstPercent: A('karpenterBurstPercent', '% of the range', 0, 20, 100, "Average share of a Karpenter pool's range (baseline → ceiling) in use over the month.", 'innovate default: pools sit at their baseline most of the month'),
  natGbPerMonth: A('natGbPerMonth', 'GB/month', 10, 100, 1000, 'Data processed by the NAT gateways of one environment (all zones together).', 'innovate default for a small platform with interface endpoints for ECR, STS and CloudWatch'),
  endpointGbPerMonth: A('endpointGbPerMonth', 'GB/month', 5, 50, 500, 'Data processed by the interface VPC endpoints (image pulls, logs, metrics).', 'innovate default'),
  albLcuPerHour: A('albLcuPerHour', 'LCU', 0.5, 1, 10, 'Average Load Balancer Capacity Units the ALB consumes per hour.', 'innovate default: one LCU is 25 new connections/s or 1 GB/hour processed'),
  logGbPerPodPerMonth: A('logGbPerPodPerMonth', 'GB/pod/month', 0.1, 0.5, 2, 'Container log volume per running pod (Fluent Bit → CloudWatch Logs).', 'innovate default'),
  flowLogGbPerMonth: A('flowLogGbPerMonth', 'GB/month', 1, 5, 50, 'VPC flow log volume delivered to CloudWatch Logs, when flow logs are on.', 'innovate default'),
  controlPlaneLogGbPerMonth: A('controlPlaneLogGbPerMonth', 'GB/log type/month', 0.2, 1, 5, 'EKS control-plane log volume per enabled log type.', 'innovate default'),
  databaseStorageGb: A('databaseStorageGb', 'GB', 10, 20, 200, 'Aurora cluster volume in use (billed per GB-month used).', 'innovate default'),
  databaseIoMillionsPerMonth: A('databaseIoMillionsPerMonth', 'million I/Os/month', 1, 10, 100, 'Aurora Standard I/O requests per month.', 'innovate default'),
  backupDailyChangePercent: A('backupDailyChangePercent', '%/day', 1, 2, 5, 'Share of the database changed per day; backup storage beyond the free amount (the cluster size) is size × change × retention days.', 'innovate default'),
  drReplicationGbPerMonth: A('drReplicationGbPerMonth', 'GB/month', 5, 20, 200, 'Data the cross-region replica receives from the primary region.', 'innovate default'),
  serverlessUtilizationPercent: A('serverlessUtilizationPercent', '% of the ACU range', 0, 25, 100, 'Average position of an Aurora Serverless v2 instance between its minimum and maximum ACUs.', 'innovate default'),
  ecrGbPerRepository: A('ecrGbPerRepository', 'GB', 0.5, 2, 10, 'Image storage per ECR repository after the lifecycle policy expires old images.', 'innovate default with the lifecycle rules in place'),
  imagePushesPerRepositoryPerMonth: A('imagePushesPerRepositoryPerMonth', 'pushes/month', 10, 60, 300, 'Images pushed per repository per month (each is scanned once with enhanced scanning).', 'innovate default: a few merges a day'),
  savingsPlanPercent: A('savingsPlanPercent', '% off On-Demand', 40, 30, 30, "Discount a Compute Savings Plan gives the production baseline (shown as a saving, not in the totals).", 'the architecture document: Savings Plans "30–40 %"'),
};

export interface AssumptionValue {
  readonly low: number;
  readonly likely: number;
  readonly high: number;
}

export type AssumptionOverride = number | { readonly low?: number; readonly likely?: number; readonly high?: number };
export type AssumptionOverrides = Partial<Record<AssumptionName, AssumptionOverride>>;

export const isAssumptionName = (s: string): s is AssumptionName => (ASSUMPTION_NAMES as readonly string[]).includes(s);

/**
 * The assumptions in force: the defaults, then each layer of overrides in turn (spec, environment,
 * command line). A number sets `likely` and stretches `low`/`high` to include it; an object sets
 * what it names.
 */
export function resolveAssumptions(...layers: readonly (AssumptionOverrides | undefined)[]): Readonly<Record<AssumptionName, AssumptionValue>> {
  const out = {} as Record<AssumptionName, AssumptionValue>;
  for (const name of ASSUMPTION_NAMES) {
    const d = ASSUMPTIONS[name];
    let v: AssumptionValue = { low: d.low, likely: d.likely, high: d.high };
    for (const layer of layers) {
      const o = layer?.[name];
      if (o === undefined) continue;
      if (typeof o === 'number') {
        // A stated value pins the likely figure; the range still holds it on the same side as the defaults.
        const cheapFirst = d.low <= d.high;
        v = cheapFirst ? { low: Math.min(v.low, o), likely: o, high: Math.max(v.high, o) } : { low: Math.max(v.low, o), likely: o, high: Math.min(v.high, o) };
      } else v = { low: o.low ?? v.low, likely: o.likely ?? v.likely, high: o.high ?? v.high };
    }
    out[name] = v;
  }
  return out;
}

/**
 * `--assume` values: `name=value` or `name=low..high` (likely stays the default, clamped into the
 * range). Returns the overrides and the problems (an unknown name, a value that is not a number).
 */
export function parseAssumeFlags(flags: readonly string[]): { overrides: AssumptionOverrides; problems: string[] } {
  const overrides: Record<string, AssumptionOverride> = {};
  const problems: string[] = [];
  for (const flag of flags) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(flag.trim());
    if (!m) {
      problems.push(`--assume ${flag}: expected name=value or name=low..high`);
      continue;
    }
    const [, name, value] = m as unknown as [string, string, string];
    if (!isAssumptionName(name)) {
      problems.push(`--assume ${flag}: no assumption "${name}" (have: ${ASSUMPTION_NAMES.join(', ')})`);
      continue;
    }
    const range = /^(-?[\d.]+)\.\.(-?[\d.]+)$/.exec(value);
    if (range) {
      const low = Number(range[1]);
      const high = Number(range[2]);
      if (!Number.isFinite(low) || !Number.isFinite(high) || low < 0 || high < 0) problems.push(`--assume ${flag}: not a range of numbers`);
      else {
        const likely = Math.min(Math.max(ASSUMPTIONS[name].likely, Math.min(low, high)), Math.max(low, high));
        overrides[name] = { low, likely, high };
      }
      continue;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) problems.push(`--assume ${flag}: not a non-negative number`);
    else overrides[name] = n;
  }
  return { overrides: overrides as AssumptionOverrides, problems };
}
