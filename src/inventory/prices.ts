export interface PriceItem {
  usd: number;
  unit: string;
  url: string;
  date: string;
}

export interface PriceTable {
  source: string;
  date: string;
  currency: 'USD';
  ec2OnDemandHourly: Readonly<Record<string, Readonly<Record<string, number>>>>;
  other: Readonly<Record<string, Readonly<Record<string, PriceItem>>>>;
}

export const PRICES: PriceTable = { source: '', date: '', currency: 'USD', ec2OnDemandHourly: {}, other: {} };
