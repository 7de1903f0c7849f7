import { PRICE_DATA } from './data/prices.generated.js';

export interface PriceItem {
  usd: number;
  unit: string;
  /** the AWS page the price was read from. */
  url: string;
  /** when it was read. */
  date: string;
  /** when the price took effect, where the page says. */
  effective?: string;
}

/**
 * Prices in USD. ec2OnDemandHourly: on-demand Linux per hour, by region and instance type (platform families).
 * other: the other billed resources by region and item id ('eks-cluster-hour', 'nat-gateway-hour', ...,
 * 'rds-db-hour:<class>'); region '*' holds prices a page states without a region. gaps: '<item>:<region>'
 * pairs (and 'ec2-on-demand:<region>') that no vendored source gives: a cost estimate must say so, not guess.
 */
export interface PriceTable {
  source: string;
  date: string;
  currency: 'USD';
  ec2OnDemandHourly: Readonly<Record<string, Readonly<Record<string, number>>>>;
  other: Readonly<Record<string, Readonly<Record<string, PriceItem>>>>;
  gaps: readonly string[];
}

export const PRICES: PriceTable = PRICE_DATA;

/** A sourced price for an item in a region (falling back to a region-less statement), or undefined. */
export const priceOf = (region: string, item: string): PriceItem | undefined => PRICES.other[region]?.[item] ?? PRICES.other['*']?.[item];

/** On-demand hourly price of an instance type in a region, or undefined where no vendored source gives it. */
export const ec2HourlyPrice = (region: string, instanceType: string): number | undefined => PRICES.ec2OnDemandHourly[region]?.[instanceType];
