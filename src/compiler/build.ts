/**
 * Spec (one environment, validated) -> Model. Pure; assumes the semantic validators
 * passed, and falls back to harmless values rather than throwing when they did not.
 */
import type { Spec } from '../schema/spec.js';
import { ADDON_IDENTITIES, byName, nodePools, platform, podIdentity, POLICY_CONTROLLER, toleration, workloads } from './build-parts.js';
import * as derive from './derive.js';
import type { Addon, EnvironmentRef, GrafanaSso, Model, Taint, Team } from './model.js';
import * as names from './names.js';

function environmentRefs(spec: Spec): EnvironmentRef[] {
  return byName(spec.environments).map(([name, e]) => ({
    name,
    accountId: e.accountId,
    region: e.region,
    ...(e.drRegion ? { drRegion: e.drRegion } : {}),
    production: e.production,
  }));
}

/**
 * Teams with access to this environment's cluster. A team of a permission set gets a role here
 * only where the set is assigned (a set without groupId is assigned outside the spec: everywhere).
 */
function teams(spec: Spec, environment: EnvironmentRef, cluster: string): Team[] {
  const sets = spec.organization?.sso?.permissionSets ?? {};
  return byName(spec.teams).flatMap(([name, t]): Team[] => {
    const set = t.permissionSet === undefined ? undefined : sets[t.permissionSet];
    if (t.permissionSet !== undefined && (!set || (set.groupId !== undefined && !(set.environments ?? [environment.name]).includes(environment.name)))) return [];
    const iamRoleName = set && t.permissionSet ? names.teamRoleName(cluster, name) : (t.iamRoleName ?? name);
    return [
      {
        name,
        principal: set && t.permissionSet ? { kind: 'permission-set', permissionSet: t.permissionSet, permissionSetName: names.permissionSetName(spec.metadata.name, t.permissionSet) } : { kind: 'external' },
        iamRoleName,
        roleArn: names.roleArn(environment.accountId, iamRoleName),
        clusterAdmin: t.clusterAdmin,
        namespaces: [...t.namespaces].sort(),
        access: t.access,
        kubernetesGroup: names.teamGroup(name),
      },
    ];
  });
}

/** The kinds of on-call endpoint the alerts name, in a fixed order: each gets one Alertmanager receiver. */
function alertEndpoints(spec: Spec): ('email' | 'pagerduty' | 'slack')[] {
  const a = spec.observability.alerts;
  return [...(a.emails.length > 0 ? (['email'] as const) : []), ...(a.pagerDutyUrl ? (['pagerduty'] as const) : []), ...(a.slack ? (['slack'] as const) : [])];
}

/**
 * Grafana's sign-in: each team of this environment whose permission set names its IAM Identity
 * Center group gets a Grafana role: cluster admins GrafanaAdmin, edit teams Editor, view teams Viewer.
 */
function grafanaSso(spec: Spec, environment: EnvironmentRef, cluster: string, list: readonly Team[]): GrafanaSso {
  const sets = spec.organization?.sso?.permissionSets ?? {};
  const roleOf = (t: Team): GrafanaSso['roles'][number]['role'] => (t.clusterAdmin ? 'GrafanaAdmin' : t.access === 'edit' ? 'Editor' : 'Viewer');
  const roles = (['GrafanaAdmin', 'Editor', 'Viewer'] as const).flatMap((role) => {
    const members = list.filter((t) => roleOf(t) === role && t.principal.kind === 'permission-set' && sets[t.principal.permissionSet]?.groupId);
    const groupIds = [...new Set(members.map((t) => sets[(t.principal as { permissionSet: string }).permissionSet]!.groupId!))].sort();
    return groupIds.length > 0 ? [{ role, groupIds, teams: members.map((t) => t.name) }] : [];
  });
  const domainPrefix = names.grafanaDomainPrefix(cluster, environment.accountId);
  return {
    metadataUrl: spec.observability.grafana.sso!.metadataUrl,
    domainPrefix,
    baseUrl: `https://${domainPrefix}.auth.${environment.region}.amazoncognito.com`,
    rootUrl: names.GRAFANA_ROOT_URL,
    roles,
  };
}

export function buildModel(spec: Spec, envName: string): Model {
  const environments = environmentRefs(spec);
  const environment = environments.find((e) => e.name === envName)!;
  const envSpec = spec.environments[envName]!;
  const project = spec.metadata.name;
  const cluster = names.clusterName(project, envName);
  const plan = derive.subnets(spec) ?? { public: [], private: [], isolated: [] };
  const pools = nodePools(spec, envName);
  const wls = workloads(spec, environment, cluster, pools);
  const tags = [
    { key: 'cost-center', value: spec.metadata.costCenter },
    { key: 'environment', value: envName },
    { key: 'owner', value: spec.metadata.owner },
    { key: 'project', value: project },
    ...Object.entries(spec.metadata.tags).filter(([k]) => !['cost-center', 'environment', 'owner', 'project'].includes(k)).map(([key, value]) => ({ key, value })),
  ].sort((a, b) => (a.key < b.key ? -1 : 1));
  const addons: Addon[] = [...spec.cluster.addons].sort().map((name) => {
    const id = ADDON_IDENTITIES[name];
    return id ? { name, identity: podIdentity(environment.accountId, cluster, id[0], id[1], id[2]) } : { name };
  });
  const promotion = derive.promotion(spec);
  const envRef = (name: string): EnvironmentRef => environments.find((e) => e.name === name)!;
  const buildEnv = envRef(promotion.build);
  // Every other registry receives the build registry's images (never its own: same account and region).
  const destinations = environments.filter((e) => e.name !== buildEnv.name && (e.accountId !== buildEnv.accountId || e.region !== buildEnv.region));
  const org = spec.organization;
  const sys = spec.cluster.systemNodeGroup;
  const systemTaints: Taint[] = [{ ...names.SYSTEM_TAINT }];
  const teamList = teams(spec, environment, cluster);
  const signatureMode = derive.imageSignatures(spec, envSpec);
  const platformComponents = platform(spec, environment, cluster, signatureMode !== undefined);
  const signerName = derive.signingEnvironment(spec);
  const signer = environments.find((e) => e.name === signerName) ?? environment;
  const signerAlias = names.signingKeyAlias(names.clusterName(project, signer.name));
  const verifiers = spec.registry.signing && signerName === envName
    ? environments
        .filter((e) => e.name !== envName && derive.imageSignatures(spec, spec.environments[e.name]!) !== undefined)
        .map((e) => ({ environment: e, roleArn: names.roleArn(e.accountId, names.podRoleName(names.clusterName(project, e.name), POLICY_CONTROLLER.component)) }))
    : [];

  return {
    project,
    environment,
    environments,
    partition: 'aws',
    tags,
    ssmPrefix: names.ssmPrefix(project, envName),
    parameters: {
      vpcId: names.ssmParameter(names.ssmPrefix(project, envName), 'network', 'vpc-id'),
      databaseEndpoint: names.ssmParameter(names.ssmPrefix(project, envName), 'database', 'endpoint'),
      databaseReaderEndpoint: names.ssmParameter(names.ssmPrefix(project, envName), 'database', 'reader-endpoint'),
      grafanaClientId: names.ssmParameter(names.ssmPrefix(project, envName), ...names.GRAFANA_CLIENT_ID_PARAMETER),
    },
    names: {
      cluster,
      vpc: cluster,
      albSecurityGroup: `${cluster}-alb`,
      appSecurityGroup: `${cluster}-app`,
      dbSecurityGroup: `${cluster}-db`,
      ingressGroup: project,
      interruptionQueue: cluster,
      karpenterNodeRole: names.podRoleName(cluster, 'karpenter-node'),
      discoveryTag: { key: 'karpenter.sh/discovery', value: cluster },
      databaseCluster: cluster,
      alarmTopic: `${cluster}-alarms`,
      ciRole: names.podRoleName(cluster, 'github-ci'),
      flowLogGroup: `/${project}/${envName}/vpc-flow-logs`,
      applicationLogGroup: `/aws/containerinsights/${cluster}/application`,
      signingKeyAlias: names.signingKeyAlias(cluster),
      ebsKeyAlias: `alias/${cluster}-ebs`,
      artifactBucket: `${cluster}-artifacts-${environment.accountId}`,
      trailBucket: `${cluster}-cloudtrail-${environment.accountId}`,
    },
    ...(org
      ? {
          organization: {
            managementAccountId: org.managementAccountId,
            homeRegion: org.homeRegion,
            allowedRegions: derive.allowedRegions(spec),
            guardrails: org.guardrails,
            ...(org.sso
              ? {
                  sso: {
                    instanceArn: org.sso.instanceArn,
                    permissionSets: byName(org.sso.permissionSets).map(([name, p]) => ({
                      name,
                      description: p.description,
                      managedPolicies: [...p.managedPolicies].sort(),
                      inlinePolicyActions: [...p.inlinePolicyActions].sort(),
                      sessionDuration: p.sessionDuration,
                      ...(p.groupId ? { groupId: p.groupId } : {}),
                      environments: [...(p.environments ?? environments.map((e) => e.name))].sort(),
                    })),
                  },
                }
              : {}),
          },
        }
      : {}),
    github: { repositories: derive.githubRepositories(spec), oidcProviderUrl: 'https://token.actions.githubusercontent.com' },
    network: {
      vpcCidr: spec.network.vpcCidr,
      zones: spec.network.zones.map((letter, index) => ({
        index,
        letter,
        name: `${environment.region}${letter}`,
        publicCidr: plan.public[index] ?? '',
        privateCidr: plan.private[index] ?? '',
        isolatedCidr: plan.isolated[index] ?? '',
      })),
      natGateways: derive.natGateways(spec, envSpec),
      endpoints: [...spec.network.endpoints].sort().map((service) => ({ service, type: service === 's3' ? 'Gateway' : 'Interface' })),
      flowLogs: spec.network.flowLogs,
      nacls: spec.network.nacls.enabled,
      appPorts: [...new Set(wls.flatMap((w) => (w.ingress && w.port !== undefined ? [w.port] : [])))].sort((a, b) => a - b),
      databasePort: 5432,
      ...(envSpec.drRegion ? { dr: derive.drNetwork(spec, envSpec)! } : {}),
    },
    cluster: {
      name: cluster,
      version: spec.cluster.version,
      endpoint: { ...spec.cluster.endpoint, publicAccessCidrs: [...spec.cluster.endpoint.publicAccessCidrs].sort() },
      controlPlaneLogs: [...spec.cluster.controlPlaneLogs].sort(),
      addons,
      systemNodeGroup: {
        name: 'system',
        instanceTypes: sys.instanceTypes,
        minSize: sys.minSize,
        maxSize: sys.maxSize,
        desiredSize: derive.desiredSize(spec),
        diskSizeGiB: sys.diskSizeGiB,
        labels: { [names.LABEL_ROLE]: 'system' },
        taints: systemTaints,
        tolerations: systemTaints.map(toleration),
      },
      karpenter: {
        version: spec.cluster.karpenter.version,
        amiAlias: derive.amiAlias(spec, envSpec),
        interruptionHandling: spec.cluster.karpenter.interruptionHandling,
        rootVolumeGiB: spec.cluster.karpenter.rootVolumeGiB,
        nodeClasses: [{ name: 'default', architectures: [...new Set(pools.flatMap((p) => p.architectures))].sort() }],
      },
      nodePools: pools,
    },
    teams: teamList,
    namespaces: byName(spec.namespaces).map(([name, ns]) => ({
      name,
      podSecurity: derive.namespacePodSecurity(spec, name),
      limitRange: ns.limitRange,
      quota: ns.quota,
    })),
    workloads: wls,
    platform: platformComponents,
    admission: {
      failurePolicy: derive.admissionFailurePolicy(spec, envSpec),
      exemptNamespaces: [...new Set(['kube-node-lease', 'kube-public', 'kube-system', ...Object.values(platformComponents).map((c) => c.namespace), ...addons.flatMap((a) => (a.identity ? [a.identity.namespace] : []))])].sort(),
      ...(signatureMode
        ? {
            signatures: {
              mode: signatureMode,
              signer,
              keyAlias: signerAlias,
              keyUri: `awskms:///arn:aws:kms:${signer.region}:${signer.accountId}:${signerAlias}`,
              images: [`${names.registryHost(environment.accountId, environment.region)}/${project}/**`],
            },
          }
        : {}),
    },
    registry: {
      repositories: [...new Set([...wls.map((w) => w.image.repository.slice(project.length + 1)), ...Object.keys(spec.registry.repositories)])]
        .sort()
        .map((name) => ({ name, repositoryName: names.ecrRepositoryName(project, name), immutableTags: spec.registry.repositories[name]?.immutableTags ?? true })),
      scanOnPush: spec.registry.scanOnPush,
      enhancedScanning: spec.registry.enhancedScanning,
      lifecycle: spec.registry.lifecycle,
      ...(envName === buildEnv.name
        ? destinations.length > 0
          ? { replication: { role: 'source' as const, destinations } }
          : {}
        : destinations.includes(environment)
          ? { replication: { role: 'destination' as const, source: buildEnv } }
          : {}),
      signing: spec.registry.signing,
      verifiers,
    },
    database: {
      clusterIdentifier: cluster,
      engineVersion: spec.database.engineVersion,
      parameterGroupFamily: `aurora-postgresql${spec.database.engineVersion.split('.')[0]}`,
      instanceClass: spec.database.serverlessV2 ? 'db.serverless' : spec.database.instanceClass,
      instances: spec.database.instances,
      ...(spec.database.serverlessV2 ? { serverlessV2: spec.database.serverlessV2 } : {}),
      databaseName: spec.database.databaseName,
      masterUsername: spec.database.masterUsername,
      port: 5432,
      storageEncrypted: spec.database.storageEncrypted,
      forceSsl: spec.database.forceSsl,
      backupRetentionDays: spec.database.backupRetentionDays,
      snapshotRetentionDays: spec.database.snapshotRetentionDays,
      preferredBackupWindow: spec.database.preferredBackupWindow,
      preferredMaintenanceWindow: spec.database.preferredMaintenanceWindow,
      deletionProtection: derive.deletionProtection(spec, envSpec),
      crossRegionReplica: derive.crossRegionReplica(spec, envSpec),
      performanceInsights: spec.database.performanceInsights,
    },
    delivery: {
      appRepository: spec.delivery.appRepository,
      configRepository: spec.delivery.configRepository,
      configRepoUrl: `https://github.com/${spec.delivery.configRepository}.git`,
      branch: spec.delivery.branch,
      outputDir: spec.delivery.outputDir,
      autoSync: derive.autoSync(spec, envSpec),
      approvalRequired: derive.approvalRequired(spec, envSpec),
      promotion: { build: buildEnv, hops: promotion.hops.map((h) => ({ from: envRef(h.from), to: envRef(h.to) })) },
      charts: Object.fromEntries(Object.entries(spec.delivery.charts).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    security: {
      kmsPendingWindowDays: spec.security.kms.pendingWindowDays,
      tlsPolicy: spec.security.tlsPolicy,
      podSecurity: spec.security.podSecurity,
      workloadIdentity: spec.security.workloadIdentity,
      gatekeeper: [...spec.security.gatekeeper].sort(),
      secrets: byName(spec.security.secrets).map(([name, s]) => ({
        name,
        secretName: names.secretName(project, envName, name),
        description: s.description,
        kind: s.kind,
        rotationDays: s.rotationDays,
        ...(s.rotationLambdaArn ? { rotationLambdaArn: s.rotationLambdaArn } : {}),
      })),
    },
    ...(spec.ingress ? { ingress: spec.ingress } : {}),
    observability: {
      containerInsights: spec.observability.containerInsights,
      logRetentionDays: spec.observability.logRetentionDays,
      prometheus: spec.observability.prometheus,
      grafana: spec.observability.grafana.sso ? { sso: grafanaSso(spec, environment, cluster, teamList) } : {},
      tracing: spec.observability.tracing,
      alerts: spec.observability.alerts,
      alertmanager: {
        identity: podIdentity(environment.accountId, cluster, 'alertmanager', names.MONITORING_NAMESPACE, names.ALERTMANAGER_SERVICE_ACCOUNT),
        receivers: alertEndpoints(spec).map((endpoint) => {
          const topicName = names.alertmanagerTopic(cluster, endpoint);
          return { endpoint, topicName, topicArn: `arn:aws:sns:${environment.region}:${environment.accountId}:${topicName}` };
        }),
      },
      thresholds: spec.observability.thresholds,
    },
    cost: {
      monthlyBudgetUsd: spec.cost.monthlyBudgetUsd,
      budgetThresholds: [...spec.cost.budgetThresholds].sort((a, b) => a - b),
      anomalyThresholdUsd: spec.cost.anomalyThresholdUsd,
      notifyEmails: derive.notifyEmails(spec),
      ...(spec.cost.assumptions ? { assumptions: spec.cost.assumptions } : {}),
    },
    policy: spec.policy,
  };
}
