/**
 * The budget check of `innovate validate`: an environment whose likely monthly estimate exceeds its
 * cost.monthlyBudgetUsd gets INN080, positioned at the budget line that applies to it (the
 * environment's override, else the top-level cost section). Off with `validate --no-budget`.
 */
import { finding, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../schema/load.js';
import { placer } from '../schema/load.js';
import type { CostEstimate } from './models.js';

const money = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

export function budgetDiagnostics(loaded: LoadedSpec, estimate: CostEstimate): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of Object.values(estimate.environments)) {
    if (e.monthlyUsd.likely <= e.budgetUsd) continue;
    const top = [...e.items].sort((a, b) => b.monthlyUsd.likely - a.monthlyUsd.likely).slice(0, 3);
    const place = placer(loaded.source, loaded.file, e.environment);
    out.push(
      place(
        finding(
          'INN080',
          ['cost', 'monthlyBudgetUsd'],
          `environment "${e.environment}" is estimated at ${money(e.monthlyUsd.likely)}/month (range ${money(e.monthlyUsd.low)}–${money(e.monthlyUsd.high)}), above its budget of ${money(e.budgetUsd)}; largest items: ${top.map((i) => `${i.name} ${money(i.monthlyUsd.likely)}`).join(', ')}`,
          `raise cost.monthlyBudgetUsd (environments.${e.environment}.overrides.cost.monthlyBudgetUsd for this environment alone), or take the savings \`innovate cost --env ${e.environment}\` lists; --no-budget turns this check off`,
        ),
      ),
    );
  }
  return out;
}
