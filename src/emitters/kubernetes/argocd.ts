/**
 * ArgoCD app-of-apps: two AppProjects (platform: the config repo and the pinned chart
 * repositories; applications: the config repo and the application namespaces only, no
 * cluster-scoped objects, no guardrail edits), the root Application that syncs this folder,
 * one Application per platform chart (upstream chart at the model's version, values from
 * helm/<env>/) and one per workload (its chart, charts/<name>, shared by every environment, with
 * the environment's values file helm/<env>/workloads/<name>.values.yaml through the `$values` source).
 * Automated sync (prune, selfHeal) only when the model says so; otherwise a person syncs.
 */
import type { Model, PlatformComponent, Workload } from '../../compiler/model.js';
import { k8sName } from '../../compiler/names.js';
import { applicationNamespaces, meta, platformNamespaces, WAVE, waveAnnotations, type Doc } from './meta.js';

export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Folder layout inside the config repo (the output folder is its root). */
export const paths = {
  kubernetes: (env: string): string => `kubernetes/${env}`,
  /** One chart per workload, shared by every environment: no environment data in it. */
  workloadChart: (workload: string): string => `charts/${workload}`,
  chartValues: (env: string, chart: string): string => `helm/${env}/${chart}.values.yaml`,
  /** Everything the workload chart renders in one environment; CI's promotion changes its image.tag line. */
  workloadValues: (env: string, workload: string): string => `helm/${env}/workloads/${workload}.values.yaml`,
};

/** Whether an artifact path is a workload's values file (paths.workloadValues). */
export const isWorkloadValuesPath = (path: string): boolean => /^helm\/[^/]+\/workloads\/[^/]+\.values\.yaml$/.test(path);

/** Where an artifact lies in the config repository: under the compiled output folder. */
const inRepo = (model: Model, artifactPath: string): string => `${model.delivery.outputDir}/${artifactPath}`;

export const projectNames = (model: Model) => ({ platform: k8sName(model.project, 'platform'), applications: k8sName(model.project, 'applications') });

/** ArgoCD's Helm OCI sources take the registry without a scheme; HTTP repositories keep theirs. */
export const isOciRepository = (repoUrl: string): boolean => !/^https?:\/\//.test(repoUrl);

function syncPolicy(model: Model, syncOptions: readonly string[]): Doc {
  return {
    automated: model.delivery.autoSync ? { prune: true, selfHeal: true } : undefined,
    syncOptions: [...syncOptions],
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
  };
}

function project(model: Model, name: string, description: string, sourceRepos: string[], namespaces: string[], clusterWide: boolean): Doc {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: meta(model, name, { namespace: model.platform.argocd.namespace, annotations: waveAnnotations(WAVE.projects, true) }),
    spec: {
      description,
      sourceRepos,
      destinations: namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResourceWhitelist: clusterWide ? [{ group: '*', kind: '*' }] : [],
      namespaceResourceBlacklist: clusterWide
        ? undefined
        : [
            { group: '', kind: 'LimitRange' },
            { group: '', kind: 'ResourceQuota' },
            { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
            { group: 'rbac.authorization.k8s.io', kind: 'Role' },
            { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
          ],
    },
  };
}

function application(model: Model, name: string, wave: number, spec: Doc, finalizer: boolean): Doc {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      ...meta(model, name, { namespace: model.platform.argocd.namespace, annotations: waveAnnotations(wave, true) }),
      finalizers: finalizer ? ['resources-finalizer.argocd.argoproj.io'] : undefined,
    },
    spec,
  };
}

const valuesSource = (model: Model): Doc => ({ repoURL: model.delivery.configRepoUrl, targetRevision: model.delivery.branch, ref: 'values' });

function rootApplication(model: Model): Doc {
  return application(
    model,
    k8sName(model.project, model.environment.name),
    WAVE.projects,
    {
      project: projectNames(model).platform,
      source: { repoURL: model.delivery.configRepoUrl, targetRevision: model.delivery.branch, path: inRepo(model, paths.kubernetes(model.environment.name)) },
      destination: { server: IN_CLUSTER, namespace: model.platform.argocd.namespace },
      syncPolicy: syncPolicy(model, ['ServerSideApply=true']),
    },
    false,
  );
}

function platformApplication(model: Model, c: PlatformComponent): Doc {
  return application(
    model,
    c.releaseName,
    WAVE.platformCharts,
    {
      project: projectNames(model).platform,
      sources: [
        {
          repoURL: c.repoUrl,
          chart: c.chart,
          targetRevision: c.version,
          helm: { releaseName: c.releaseName, valueFiles: [`$values/${inRepo(model, paths.chartValues(model.environment.name, c.chart))}`] },
        },
        valuesSource(model),
      ],
      destination: { server: IN_CLUSTER, namespace: c.namespace },
      syncPolicy: syncPolicy(model, ['ServerSideApply=true']),
    },
    false,
  );
}

function workloadApplication(model: Model, w: Workload): Doc {
  const env = model.environment.name;
  return application(
    model,
    k8sName(w.namespace, w.name),
    WAVE.workloads,
    {
      project: projectNames(model).applications,
      sources: [
        {
          repoURL: model.delivery.configRepoUrl,
          targetRevision: model.delivery.branch,
          path: inRepo(model, paths.workloadChart(w.name)),
          helm: { releaseName: w.name, valueFiles: [`$values/${inRepo(model, paths.workloadValues(env, w.name))}`] },
        },
        valuesSource(model),
      ],
      destination: { server: IN_CLUSTER, namespace: w.namespace },
      // The HPA owns replicas once running.
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      syncPolicy: syncPolicy(model, ['RespectIgnoreDifferences=true']),
    },
    true,
  );
}

export function platformComponents(model: Model): PlatformComponent[] {
  return Object.values(model.platform).sort((a, b) => (a.releaseName < b.releaseName ? -1 : 1));
}

export function argocdDocuments(model: Model): Doc[] {
  const names = projectNames(model);
  const charts = platformComponents(model);
  const appNamespaces = applicationNamespaces(model);
  return [
    project(
      model,
      names.platform,
      `Platform add-ons and cluster configuration of ${model.environment.name}`,
      [...new Set([model.delivery.configRepoUrl, ...charts.map((c) => c.repoUrl)])].sort(),
      [...new Set(['kube-system', ...platformNamespaces(model), ...appNamespaces])].sort(),
      true,
    ),
    project(model, names.applications, `Application workloads of ${model.environment.name}`, [model.delivery.configRepoUrl], appNamespaces, false),
    rootApplication(model),
    ...charts.map((c) => platformApplication(model, c)),
    ...model.workloads.map((w) => workloadApplication(model, w)),
  ];
}
