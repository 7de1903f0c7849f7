/**
 * How people and pipelines get into the environment's account: the IAM Identity Center permission
 * sets of organization.json (their inline policies and the accounts they are assigned to) and the
 * roles the generated GitHub workflows assume here. Both are spec-wide artifacts (no environment);
 * the pipeline hands them to every environment's platform with its templates.
 */
import type { Model } from '../compiler/model.js';
import type { Artifact } from '../emitters/artifact.js';
import { workflowCalls, workflowTextCalls } from '../emitters/ci/calls.js';
import { statementsOf } from './permissions.js';
import { isObj } from './sources.js';
import type { PermissionSetFact, WorkflowRole } from './types.js';

export const ORGANIZATION_TEMPLATE = 'cloudformation/organization.json';
export const WORKFLOW_PATH = /(^|\/)workflows\/[^/]+\.ya?ml$/;

/** The artifacts a platform needs beyond its environment's own: organization.json and the workflows. */
export const isAccessArtifact = (a: Pick<Artifact, 'path' | 'environment'>): boolean => a.environment === undefined && (a.path === ORGANIZATION_TEMPLATE || WORKFLOW_PATH.test(a.path));

/** Permission sets, or undefined when organization.json is not at hand (then nothing is judged of them). */
export function permissionSets(artifacts: readonly Artifact[]): PermissionSetFact[] | undefined {
  const org = artifacts.find((a) => a.path === ORGANIZATION_TEMPLATE);
  if (!org) return undefined;
  const data = org.data ?? safeJson(org.content);
  const resources = isObj(data) && isObj(data.Resources) ? data.Resources : {};
  const entries = Object.entries(resources).filter((e): e is [string, Record<string, unknown>] => isObj(e[1]));
  return entries
    .filter(([, r]) => r.Type === 'AWS::SSO::PermissionSet')
    .map(([id, r]) => {
      const props = isObj(r.Properties) ? r.Properties : {};
      const assignments = entries.filter(([, a]) => a.Type === 'AWS::SSO::Assignment' && JSON.stringify((a.Properties as Record<string, unknown> | undefined)?.PermissionSetArn ?? '').includes(`"${id}"`));
      return {
        id,
        name: String(props.Name ?? id),
        inline: statementsOf(props.InlinePolicy),
        // No assignment in the template: assigned outside it (a set without groupId), so not judged.
        assignedAccounts: assignments.length ? [...new Set(assignments.map(([, a]) => String((a.Properties as Record<string, unknown>).TargetId)))].sort() : undefined,
        source: { artifact: ORGANIZATION_TEMPLATE, resource: id },
      } satisfies PermissionSetFact;
    });
}

/** The jobs of the generated workflows that assume a role in this environment's account. */
export function workflowRoles(model: Model, artifacts: readonly Artifact[]): WorkflowRole[] {
  return artifacts
    .filter((a) => WORKFLOW_PATH.test(a.path))
    .flatMap((a) => (a.data !== undefined ? workflowCalls(a.path, a.data) : workflowTextCalls(a.path, a.content)))
    .flatMap((j) => (j.role && j.role.startsWith(`arn:${model.partition}:iam::${model.environment.accountId}:`) ? [{ workflow: j.workflow, job: j.job, roleArn: j.role, source: { artifact: j.workflow, resource: `jobs.${j.job}` } }] : []));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
