/**
 * What "no expression built from spec text" means, checked on artifacts:
 *   workflows  every `${{ … }}` is one innovate writes (matrix, step outputs, vars, secrets,
 *              inputs, github.ref), and every `if:` is one of innovate's conditions with only
 *              quoted literals in it (a quote inside written '' by GitHub's rule);
 *   templates  a Helm template holds exactly the `{{` of the same template compiled from a
 *              spec with plain text: spec text adds none.
 */
import { parse } from 'yaml';

const ALLOWED_EXPRESSION = /^(matrix\.[a-z]+|steps\.[a-z-]+\.outputs\.[a-z]+|vars\.[A-Z_]+|secrets\.[A-Z_]+|inputs\.[a-z]+|github\.ref)$/;

/** innovate's `if:` conditions with each literal replaced by L. */
const ALLOWED_CONDITIONS = new Set(['github.repository == L', 'github.repository == L && inputs.environment == L', 'always() && hashFiles(L) != L']);

function eachString(v: unknown, key: string | undefined, visit: (key: string | undefined, s: string) => void): void {
  if (typeof v === 'string') visit(key, v);
  else if (Array.isArray(v)) for (const x of v) eachString(x, key, visit);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) eachString(x, k, visit);
}

/** Every expression of one workflow that innovate did not write. */
export function workflowExpressionProblems(content: string): string[] {
  const problems: string[] = [];
  eachString(parse(content), undefined, (key, s) => {
    const rest = s.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_all, expr: string) => {
      if (!ALLOWED_EXPRESSION.test(expr)) problems.push(`expression \${{ ${expr} }}`);
      return '';
    });
    if (rest.includes('${{')) problems.push(`unclosed expression in ${JSON.stringify(s)}`);
    if (key === 'if') {
      const skeleton = s.replace(/'(?:[^']|'')*'/g, 'L');
      if (!ALLOWED_CONDITIONS.has(skeleton)) problems.push(`condition ${JSON.stringify(s)}`);
    }
  });
  return problems;
}

/** Occurrences of `{{` (a Helm action opens with it, escaped or not). */
export const templateActions = (content: string): number => content.split('{{').length - 1;

/** A Helm chart template (helm/** or a workload chart's templates/). */
export const isHelmTemplate = (path: string): boolean => /(^|\/)templates\//.test(path) && !path.endsWith('.json');
