/**
 * What the cdk-nag harness needs to run every rule, and to prove that it does.
 *
 * cdk-nag decides whether a rule applies to a resource by the construct's class (`node instanceof
 * CfnCluster` of the module the rule imports) or by `cfnResourceType`. aws-cdk-lib's CfnInclude
 * builds each resource with the class its own type table names, which is not always the class a
 * rule imports: AWS::EKS::Cluster becomes aws-eks-v2's CfnCluster while AwsSolutions-EKS1/EKS2
 * check aws-eks's, so those rules answered "not applicable" and never ran. Here:
 *   1. `ruleTargets()` reads every rule file of the installed cdk-nag and lists, per rule, the
 *      CloudFormation types it checks and the class it checks them with;
 *   2. `useRuleClasses()` makes CfnInclude build every such type with the class the rules import;
 *   3. `Probe` wraps a pack so each rule's result on each resource is recorded: a rule that applies
 *      to a type we emit must answer something else than "not applicable" on one of our resources.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagRuleCompliance, NIST80053R5Checks, type IApplyRule } from 'cdk-nag';

const require = createRequire(import.meta.url);
const CDK = dirname(require.resolve('aws-cdk-lib'));
const NAG_RULES = join(dirname(require.resolve('cdk-nag')), 'rules');

/** A rule file of cdk-nag: its function name and the types (with the class) it checks. */
export interface RuleTarget {
  readonly rule: string;
  /** CloudFormation type -> the class the rule tests with instanceof (`aws-cdk-lib/aws-eks.CfnCluster`), or undefined when it compares cfnResourceType. */
  readonly types: ReadonlyMap<string, string | undefined>;
  /** The types it judges (the resource it is asked about is one); the others it only looks up (a bucket of a distribution). */
  readonly judged: ReadonlySet<string>;
}

const cfnTypeOf = (fqn: string): string => {
  const [module, cls] = fqn.split('.') as [string, string];
  const type = (require(module) as Record<string, { CFN_RESOURCE_TYPE_NAME?: string }>)[cls]?.CFN_RESOURCE_TYPE_NAME;
  if (!type) throw new Error(`cdk-nag checks ${fqn}, which names no CloudFormation type`);
  return type;
};

let targets: RuleTarget[] | undefined;

/** Every rule of the installed cdk-nag with the types it checks (read from the rule files). */
export function ruleTargets(): readonly RuleTarget[] {
  if (targets) return targets;
  targets = [];
  for (const dir of readdirSync(NAG_RULES).map((d) => join(NAG_RULES, d)).filter((d) => statSync(d).isDirectory())) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'index.js')) {
      const source = readFileSync(join(dir, file), 'utf8').split('//# sourceMappingURL')[0]!;
      const modules = new Map([...source.matchAll(/const (\w+) = require\("(aws-cdk-lib\/[\w-]+)"\)/g)].map((m) => [m[1]!, m[2]!]));
      // The rule itself is the default export; helpers after it take other resources as `node` too.
      const body = source.slice(source.indexOf('exports.default'), source.indexOf("}, 'name'"));
      const types = new Map<string, string | undefined>();
      const judged = new Set<string>();
      for (const m of source.matchAll(/(\w+) instanceof (\w+)\.(Cfn\w+)/g)) {
        const module = modules.get(m[2]!);
        if (!module) throw new Error(`${file}: instanceof ${m[2]}.${m[3]} of an unknown module`);
        const fqn = `${module}.${m[3]}`;
        types.set(cfnTypeOf(fqn), fqn);
        if (m[1] === 'node' && body.includes(m[0])) judged.add(cfnTypeOf(fqn));
      }
      for (const m of source.matchAll(/(\w+)\.cfnResourceType === '([^']+)'/g)) {
        if (!types.has(m[2]!)) types.set(m[2]!, undefined);
        if (m[1] === 'node' && body.includes(m[0])) judged.add(m[2]!);
      }
      if (judged.size === 0) throw new Error(`${file}: no resource type the rule judges was found`);
      targets.push({ rule: file.replace(/\.js$/, ''), types, judged });
    }
  }
  return targets;
}

/** The class CfnInclude builds a type with (aws-cdk-lib's own table), as `aws-cdk-lib/<module>.<Class>`. */
const mapping = require(join(CDK, 'cloudformation-include', 'lib', 'cfn-type-to-l1-mapping.js')) as { lookup: (type: string) => string | undefined };
const includeDefault = mapping.lookup;

/** Types whose rules import another class than the one CfnInclude builds: type -> [CfnInclude's, the rules']. */
export function classMismatches(): Map<string, [string | undefined, string]> {
  const out = new Map<string, [string | undefined, string]>();
  for (const t of ruleTargets()) {
    for (const [type, fqn] of t.types) {
      if (!fqn) continue;
      const built = includeDefault(type);
      const seen = out.get(type);
      if (seen && seen[1] !== fqn) throw new Error(`cdk-nag checks ${type} through two classes, ${seen[1]} and ${fqn}: one construct cannot be both`);
      if (built !== fqn) out.set(type, [built, fqn]);
    }
  }
  return out;
}

/** Makes CfnInclude build every type a rule checks with the class the rule imports (idempotent). */
export function useRuleClasses(): void {
  const overrides = new Map([...classMismatches()].map(([type, [, fqn]]) => [type, fqn]));
  mapping.lookup = (type: string) => overrides.get(type) ?? includeDefault(type);
}

/** What each rule answered for each resource it was asked about. */
export interface Evaluation {
  readonly id: string;
  readonly rule: string;
  readonly type: string;
  readonly applied: boolean;
}

type PackClass = typeof AwsSolutionsChecks | typeof NIST80053R5Checks;
type PackBase = new (...args: ConstructorParameters<typeof AwsSolutionsChecks>) => { applyRule(params: IApplyRule): void };

/** A pack that records, for every rule and resource, whether the rule applied (anything but NOT_APPLICABLE). */
export function probe(Pack: PackClass, record: Evaluation[]): typeof AwsSolutionsChecks {
  // applyRule is the protected hook every rule of a pack goes through.
  const Base = Pack as unknown as PackBase;
  class Probed extends Base {
    override applyRule(params: IApplyRule): void {
      const original = params.rule;
      const id = `${(this as unknown as { packName: string }).packName}-${params.ruleSuffixOverride ?? original.name}`;
      const wrapped = (node: CfnResource) => {
        const result = original(node);
        record.push({ id, rule: original.name, type: node.cfnResourceType, applied: result !== NagRuleCompliance.NOT_APPLICABLE });
        return result;
      };
      Object.defineProperty(wrapped, 'name', { value: original.name });
      super.applyRule({ ...params, rule: wrapped });
    }
  }
  return Probed as unknown as typeof AwsSolutionsChecks;
}
