// Prices: on-demand EC2 (Linux, shared tenancy) from Karpenter's generated pricing table, and the other
// billed resources from the vendored AWS pricing-page excerpts (inventory/aws-pricing/*.json).

/** Karpenter's zz_generated.pricing_aws.go: region -> instance type -> USD per hour. */
export function parseKarpenterPricing(text) {
  const out = {};
  let region;
  for (const line of text.split('\n')) {
    const r = /^\t"([a-z]{2}(?:-[a-z]+)+-\d)": \{$/.exec(line);
    if (r) {
      region = r[1];
      out[region] = {};
      continue;
    }
    if (!region) continue;
    for (const m of line.matchAll(/"([a-z0-9-]+\.[a-z0-9-]+)": ([0-9.]+)/g)) out[region][m[1]] = Number(m[2]);
  }
  return out;
}

/** "generated at <timestamp> for <region>" from the file's header. */
export const karpenterPricingDate = (text) => /generated at (\S+) for/.exec(text)?.[1] ?? '?';
