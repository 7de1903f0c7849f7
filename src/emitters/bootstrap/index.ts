/**
 * Bootstrap emitter: Model -> per environment, bootstrap/<env>.sh, the once-per-cluster install
 * that hands the cluster to ArgoCD (docs/kubernetes.md, "How ArgoCD picks it up"): Karpenter from
 * its pinned chart, the namespaces and node pools, ArgoCD from its pinned chart, then the AppProjects
 * and the root Application. Every version, value file and manifest name is filled in from the model,
 * so nothing is typed by hand.
 *
 * Idempotent, so it can be run again after an interruption or by someone unsure it ran:
 *  - a chart is installed (`helm upgrade --install --wait`) only while its release is absent or not
 *    `deployed` (a first run that failed half-way). A deployed release is left alone: from the first
 *    sync on, ArgoCD renders and owns the chart, and a second `helm upgrade` would add a release
 *    revision and fight ArgoCD over the objects.
 *  - manifests go through `kubectl apply --server-side` with one field manager: applying the same
 *    objects again changes nothing, and a field ArgoCD has since set to another value is a conflict
 *    that stops the script instead of being reverted (no --force-conflicts).
 *  - waits: each chart with --wait, the CRDs the next step needs with `kubectl wait`.
 * Pure: the model in, the script text out.
 */
import type { Model, PlatformComponent } from '../../compiler/model.js';
import type { Artifact, Emitter } from '../artifact.js';
import { manifestFiles, paths } from '../kubernetes/index.js';
import { isOciRepository } from '../kubernetes/argocd.js';
import { k8sName } from '../../compiler/names.js';

/** The script of an environment, relative to the output folder. */
export const bootstrapPath = (env: string): string => `bootstrap/${env}.sh`;

/** The field manager the script applies with, so a rerun is recognised as the same applier. */
export const FIELD_MANAGER = 'innovate-bootstrap';

/** CRDs each step needs before the next one applies objects of their kinds. */
const KARPENTER_CRDS = ['nodepools.karpenter.sh', 'ec2nodeclasses.karpenter.k8s.aws'];
const ARGOCD_CRDS = ['applications.argoproj.io', 'appprojects.argoproj.io'];

/** A shell word in single quotes: nothing inside is expanded. */
export const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Where the chart comes from, as helm's arguments: an OCI reference, or --repo URL NAME. */
function chartRef(c: PlatformComponent): string {
  return isOciRepository(c.repoUrl) ? shq(`oci://${c.repoUrl.replace(/\/$/, '')}/${c.chart}`) : `${shq(c.chart)} --repo ${shq(c.repoUrl)}`;
}

function chartStep(model: Model, c: PlatformComponent, timeout: string): string {
  const values = `"$OUT"/${shq(paths.chartValues(model.environment.name, c.chart))}`;
  return [
    `install_chart ${shq(c.releaseName)} ${shq(c.namespace)} ${shq(c.version)} ${timeout} ${values} ${chartRef(c)}`,
  ].join('\n');
}

/** The manifest file of a concern in this environment (the file numbers differ between environments). */
function manifest(model: Model, concern: string): string {
  const file = manifestFiles(model).find((f) => f.file.endsWith(`-${concern}.yaml`));
  if (!file) throw new Error(`bootstrap: no ${concern} manifest for ${model.environment.name}`);
  return `"$OUT"/${shq(`${paths.kubernetes(model.environment.name)}/${file.file}`)}`;
}

/** The team role that is cluster admin (INV111 makes sure there is one); the first by name. */
function adminRoleArn(model: Model): string {
  const admin = [...model.teams].filter((t) => t.clusterAdmin).sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  return admin?.roleArn ?? '';
}

const FUNCTIONS = `die() { echo "bootstrap: $*" >&2; exit 1; }

# install_chart RELEASE NAMESPACE VERSION TIMEOUT VALUES CHART...: install the pinned chart unless its
# release is already deployed (then ArgoCD owns it: leave it alone).
install_chart() {
  local release=$1 namespace=$2 version=$3 timeout=$4 values=$5
  shift 5
  if [ -n "$(helm list --deployed --filter "^$release\$" --namespace "$namespace" --kube-context "$CONTEXT" --short)" ]; then
    echo "== $release: release deployed already; ArgoCD manages it from its first sync, left as it is"
    return 0
  fi
  echo "== $release $version: helm upgrade --install (no deployed release yet)"
  helm upgrade --install "$release" "$@" --version "$version" --namespace "$namespace" \\
    --kube-context "$CONTEXT" --values "$values" --wait --timeout "$timeout"
}

# apply FILE...: server-side apply with one field manager; the same objects again change nothing.
apply() {
  local args=() f
  for f in "$@"; do args+=(--filename "$f"); done
  kubectl --context "$CONTEXT" apply --server-side --field-manager=${FIELD_MANAGER} "\${args[@]}"
}

# established CRD...: wait until the API server serves the CRDs the next step uses.
established() {
  kubectl --context "$CONTEXT" wait --for=condition=Established --timeout=180s "$@"
}`;

export function bootstrapScript(model: Model): string {
  const env = model.environment.name;
  const { karpenter, argocd } = model.platform;
  const root = k8sName(model.project, env);
  const lines = [
    '#!/usr/bin/env bash',
    '# Generated by innovate from innovate.yaml: edit the spec, not this file.',
    `# Bootstrap of the ${env} cluster ${model.cluster.name} (account ${model.environment.accountId}, ${model.environment.region}), once per cluster`,
    `# after \`innovate deploy --env ${env}\`: the ${karpenter.chart} chart ${karpenter.version}, the namespaces and node pools, the ${argocd.chart} chart ${argocd.version},`,
    '# then the root Application, which adopts all of it. Safe to run again: a deployed release is left to',
    '# ArgoCD, manifests are applied server-side. Needs aws, helm and kubectl on the PATH and credentials',
    `# that may assume the cluster-admin team role. Usage: bash ${bootstrapPath(env)} (from the output folder or anywhere).`,
    'set -euo pipefail',
    '',
    '# The output folder this script belongs to (INNOVATE_OUT overrides).',
    'OUT=${INNOVATE_OUT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}',
    `ACCOUNT=${shq(model.environment.accountId)}`,
    `REGION=${shq(model.environment.region)}`,
    `CLUSTER=${shq(model.cluster.name)}`,
    '# kubectl and helm act through this context only, never the current one.',
    `CONTEXT=${shq(`innovate-${env}`)}`,
    `# The cluster-admin team role (INV111); INNOVATE_KUBE_ROLE_ARN overrides.`,
    `ROLE_ARN=\${INNOVATE_KUBE_ROLE_ARN:-${shq(adminRoleArn(model))}}`,
    '',
    FUNCTIONS,
    '',
    'for tool in aws helm kubectl; do',
    '  command -v "$tool" >/dev/null 2>&1 || die "$tool is not on the PATH"',
    'done',
    '[ -f "$OUT"/' + shq(paths.chartValues(env, karpenter.chart)) + ' ] || die "no compiled output under $OUT (set INNOVATE_OUT)"',
    '',
    '# 1. The right account, and a kubectl context for the cluster through the cluster-admin role.',
    'caller=$(aws sts get-caller-identity --query Account --output text)',
    '[ "$caller" = "$ACCOUNT" ] || die "signed in to account $caller, but the cluster is in $ACCOUNT"',
    'aws eks update-kubeconfig --name "$CLUSTER" --region "$REGION" --role-arn "$ROLE_ARN" --alias "$CONTEXT" >/dev/null',
    '',
    '# 2. Karpenter on the system node group: it creates the nodes of every other pool.',
    chartStep(model, karpenter, '10m'),
    `established ${KARPENTER_CRDS.map((c) => `crd/${c}`).join(' ')}`,
    '',
    '# 3. Namespaces, then the EC2NodeClasses and NodePools (ArgoCD runs on the platform pool).',
    `apply ${manifest(model, 'namespaces')}`,
    `apply ${manifest(model, 'karpenter')}`,
    '',
    '# 4. ArgoCD; --wait lasts while Karpenter brings up the first platform node.',
    chartStep(model, argocd, '15m'),
    `established ${ARGOCD_CRDS.map((c) => `crd/${c}`).join(' ')}`,
    '',
    '# 5. The AppProjects and Applications, the root one included: ArgoCD adopts everything from here on.',
    `if [ -z "$(kubectl --context "$CONTEXT" get secrets --namespace ${shq(argocd.namespace)} --selector argocd.argoproj.io/secret-type=repository --output name)" ]; then`,
    `  echo "note: no repository Secret in ${argocd.namespace}: if ${model.delivery.configRepository} is private, add one (docs/kubernetes.md)" >&2`,
    'fi',
    `apply ${manifest(model, 'argocd')}`,
    `kubectl --context "$CONTEXT" get applications.argoproj.io --namespace ${shq(argocd.namespace)} ${shq(root)}`,
    `echo "== done: ArgoCD syncs ${root} from ${model.delivery.configRepository}"`,
    '',
  ];
  return lines.join('\n');
}

function emitEnvironment(m: Model): Artifact[] {
  return [{ path: bootstrapPath(m.environment.name), kind: 'script', environment: m.environment.name, content: bootstrapScript(m) }];
}

// No perEnvironment: the scripts are small and go with the shared batch (as the templates do), so an
// environment's batch stays its Kubernetes and Helm files, which the liveness rules judge together.
export const bootstrapEmitter: Emitter = { name: 'bootstrap', emit: (models) => models.flatMap(emitEnvironment) };
