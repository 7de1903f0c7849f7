/** Intrinsic wiring checks shared by the reference tests and the invariant properties. */
import { walk } from './cfn-spec.js';

const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

export type Template = { Parameters?: Record<string, { Type: string; Default?: string }>; Resources: Record<string, { DependsOn?: string[] }>; Outputs?: Record<string, { Export?: unknown }>; Conditions?: unknown };

export function unresolved(t: Template): string[] {
  const out: string[] = [];
  const params = new Set(Object.keys(t.Parameters ?? {}));
  const resources = new Set(Object.keys(t.Resources));
  const known = (name: string) => PSEUDO.has(name) || params.has(name) || resources.has(name);
  walk(t, (node) => {
    const n = node as Record<string, unknown>;
    if (typeof n.Ref === 'string' && !known(n.Ref)) out.push(`Ref ${n.Ref}`);
    const getAtt = n['Fn::GetAtt'];
    if (Array.isArray(getAtt) && !resources.has(getAtt[0] as string)) out.push(`Fn::GetAtt ${getAtt[0]}`);
    const sub = n['Fn::Sub'];
    if (sub !== undefined) {
      const [text, vars] = typeof sub === 'string' ? [sub, {}] : (sub as [string, Record<string, unknown>]);
      for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const base = name!.split('.')[0]!;
        if (!(name! in vars) && !known(name!) && !(name!.includes('.') && resources.has(base))) out.push(`Fn::Sub \${${name}}`);
      }
    }
    if ('Fn::ImportValue' in n) out.push('Fn::ImportValue');
  });
  for (const [id, r] of Object.entries(t.Resources)) for (const d of r.DependsOn ?? []) if (!resources.has(d)) out.push(`${id} DependsOn ${d}`);
  for (const [id, o] of Object.entries(t.Outputs ?? {})) if (o.Export) out.push(`Output ${id} has an Export`);
  if (t.Conditions) out.push('Conditions');
  return out;
}

