/**
 * The catalogue of diagnostic codes. Codes are stable: tests and users' tooling match
 * on them, so a code is never reused for a different meaning. Each entry carries the
 * default severity, a one-line title (for SARIF/JSON consumers) and the default hint.
 */
export type Severity = 'error' | 'warning';

interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
  readonly hint: string;
}

export const CODES = {
  // Reading the file
  INN001: { severity: 'error', title: 'file cannot be read', hint: 'check the path; innovate reads one regular file per argument' },
  INN002: { severity: 'error', title: 'file too large', hint: 'an innovate.yaml is a few hundred lines; split generated data out of it' },
  INN003: { severity: 'error', title: 'file is not UTF-8', hint: 're-save the file as UTF-8' },
  INN004: { severity: 'error', title: 'empty document', hint: 'start from `innovate init`' },
  // YAML
  INN005: { severity: 'error', title: 'YAML syntax error', hint: 'fix the YAML syntax at this position' },
  INN006: { severity: 'error', title: 'duplicate key', hint: 'remove one of the two keys; YAML would silently keep only one' },
  INN007: { severity: 'error', title: 'too many aliases', hint: 'aliases that expand exponentially are refused; write the values out' },
  INN008: { severity: 'error', title: 'nesting too deep', hint: 'an innovate.yaml is never nested this deep' },
  INN009: { severity: 'error', title: 'forbidden key', hint: '__proto__, constructor and prototype are never valid keys' },
  INN010: { severity: 'error', title: 'more than one YAML document', hint: 'one innovate.yaml holds exactly one document' },
  // Shape (zod)
  INN011: { severity: 'error', title: 'unknown key', hint: 'remove it or fix its spelling' },
  INN012: { severity: 'error', title: 'wrong type', hint: 'see `innovate schema` for the expected type' },
  INN013: { severity: 'error', title: 'missing required field', hint: 'add the field' },
  INN014: { severity: 'error', title: 'value out of range', hint: 'see `innovate schema` for the allowed range' },
  INN015: { severity: 'error', title: 'malformed value', hint: 'see `innovate schema` for the expected format' },
  INN016: { severity: 'error', title: 'value not allowed', hint: 'use one of the listed values' },
  INN017: { severity: 'error', title: 'wrong apiVersion or kind', hint: 'the first lines are `apiVersion: innovate.dev/v1alpha1` and `kind: Platform`' },
  INN018: { severity: 'error', title: 'invalid value', hint: 'see `innovate schema`' },
  INN019: { severity: 'error', title: 'section cannot be overridden per environment', hint: 'environment overrides may change: network, cluster, teams, namespaces, workloads, registry, database, delivery, security, ingress, observability, cost' },
  // Network
  INN020: { severity: 'error', title: 'subnet outside the VPC', hint: 'choose a subnet CIDR inside network.vpcCidr' },
  INN021: { severity: 'error', title: 'subnets overlap', hint: 'every subnet needs its own address range' },
  INN022: { severity: 'error', title: 'subnet count does not match the zones', hint: 'give exactly one subnet per zone in each tier, in zone order' },
  INN023: { severity: 'error', title: 'production needs three zones', hint: 'production spans at least three availability zones for high availability' },
  INN024: { severity: 'error', title: 'VPC too small to plan subnets', hint: 'use a /16 to /20 VPC, or list every tier\'s subnets explicitly' },
  INN025: { severity: 'error', title: 'duplicate zone', hint: 'list each availability zone once' },
  // Workloads
  INN030: { severity: 'error', title: 'replicas.min exceeds replicas.max', hint: 'set min <= max' },
  INN031: { severity: 'error', title: 'user-facing service below two replicas', hint: 'user-facing services keep at least 2 replicas (ALB distribution, zero-downtime rollouts)' },
  INN032: { severity: 'error', title: 'request exceeds limit', hint: 'requests must be <= limits' },
  INN033: { severity: 'error', title: 'unknown node pool', hint: 'name a pool under cluster.nodePools' },
  INN034: { severity: 'error', title: 'unknown namespace', hint: 'declare the namespace under namespaces' },
  INN035: { severity: 'error', title: 'unknown secret', hint: 'declare the secret under security.secrets' },
  INN036: { severity: 'error', title: 'unknown environment', hint: 'name an environment under environments' },
  INN037: { severity: 'error', title: 'node pool selects no instance type', hint: 'widen the categories or lower the generation bound' },
  INN038: { severity: 'error', title: 'unknown instance family', hint: 'use a current EC2 instance family' },
  INN039: { severity: 'error', title: 'EKS public endpoint open to the internet', hint: 'restrict cluster.endpoint.publicAccessCidrs to known CIDRs, or turn publicAccess off' },
  INN040: { severity: 'error', title: 'database storage unencrypted', hint: 'Aurora storage is always encrypted with a customer-managed key; remove storageEncrypted: false' },
  INN041: { severity: 'error', title: 'database accepts non-TLS connections', hint: 'keep database.forceSsl: true (rds.force_ssl = 1)' },
  INN042: { severity: 'error', title: 'mutable image tag', hint: 'promote immutable tags (a version or commit SHA), never "latest"' },
  INN043: { severity: 'error', title: 'duplicate ingress path', hint: 'each workload needs its own ingress path' },
  INN044: { severity: 'error', title: 'ingress without a host', hint: 'set ingress.host so the ALB gets a TLS certificate' },
  INN045: { severity: 'error', title: 'serverless capacity range inverted', hint: 'set minCapacity <= maxCapacity' },
  INN046: { severity: 'warning', title: 'secret cannot rotate', hint: 'give rotationLambdaArn, or use kind: database-user for database credentials' },
  INN047: { severity: 'error', title: 'derived name too long', hint: 'shorten metadata.name, the environment name or the resource name' },
  INN048: { severity: 'error', title: 'name collision', hint: 'rename one of them' },
  INN049: { severity: 'error', title: 'node group sizes inconsistent', hint: 'keep minSize <= desiredSize <= maxSize' },
  INN050: { severity: 'error', title: 'no application node pool', hint: 'add a cluster.nodePools entry with role: application' },
  INN051: { severity: 'warning', title: 'environments share an account', hint: 'separate accounts per environment limit blast radius and make billing visible' },
  INN052: { severity: 'error', title: 'replication to itself', hint: 'replicate from one environment to another' },
  INN053: { severity: 'error', title: 'DR replica without a DR region', hint: 'set environments.<name>.drRegion, or crossRegionReplica: false' },
  INN054: { severity: 'error', title: 'DR region equals the primary region', hint: 'choose another region for disaster recovery' },
  INN055: { severity: 'error', title: 'system node group mixes architectures', hint: 'a managed node group runs one CPU architecture: list only amd64 or only arm64 instance types' },
  INN057: { severity: 'error', title: 'platform pool missing', hint: 'add a cluster.nodePools entry with role: platform, so tooling never competes with user-facing pods' },
  INN058: { severity: 'error', title: 'region not allowed by the organization', hint: 'add it to organization.allowedRegions' },
  INN061: { severity: 'error', title: 'audit trail switched off', hint: 'VPC flow logs are an audit invariant (INV007); keep network.flowLogs.enabled: true' },
  INN062: { severity: 'error', title: 'value listed twice', hint: 'list each value once; a repeated entry would create the same resource twice' },
  INN064: { severity: 'error', title: 'DR VPC overlaps a VPC', hint: 'choose environments.<name>.drVpcCidr outside every environment\'s network.vpcCidr and every other DR VPC, so the VPCs can be peered' },
  INN065: { severity: 'warning', title: 'DR VPC reuses the primary CIDR', hint: 'set environments.<name>.drVpcCidr to a block no environment uses; this replaces the DR VPC and everything in it, the DR database secondary included (innovate diff flags the VPC)' },
  INN066: { severity: 'warning', title: 'production follows the latest AMI', hint: 'remove cluster.karpenter.amiAlias in production (it then runs productionAmiAlias, a pinned release) or pin a release such as al2023@v20260714' },
  INN067: { severity: 'error', title: 'node pool cannot meet minInstanceFamilies', hint: 'widen instanceCategories, instanceFamilies or the generation bound, or lower minInstanceFamilies' },
  // Spec text that would execute or leak downstream (src/validators/spec-text.ts)
  INN070: { severity: 'error', title: 'text another tool would evaluate', hint: 'write the literal value: innovate never lets spec text become a GitHub Actions expression or a CloudFormation dynamic reference' },
  INN071: { severity: 'error', title: 'secret in the spec', hint: 'secrets never pass through the spec: declare the secret under security.secrets (innovate creates it in Secrets Manager) and reference it from workloads.<name>.secrets' },
  INN072: { severity: 'error', title: 'team without exactly one principal', hint: 'give the team permissionSet (innovate creates its role for an IAM Identity Center permission set) or iamRoleName (an existing role), not both' },
  INN073: { severity: 'error', title: 'unknown permission set', hint: 'declare the permission set under organization.sso.permissionSets, or use iamRoleName for a role managed elsewhere' },
  INN074: { severity: 'warning', title: 'team has cluster access nowhere', hint: 'assign the permission set to an environment (organization.sso.permissionSets.<set>.environments, with a groupId) or remove the team' },
  INN075: { severity: 'error', title: 'hosted zone shared by two accounts', hint: 'a Route 53 zone belongs to one account: give each environment account its own public zone (e.g. staging.example.com in the staging account, delegated from example.com with an NS record) and set its ingress.hostedZoneId' },
  // The first deploy (src/validators/workloads.ts; INV113 checks the artifacts)
  INN078: { severity: 'error', title: 'image tag the registry expires', hint: 'leave workloads.<name>.tag out (CI promotes sha-<commit>), or use a tag outside registry.lifecycle.devTagPrefix; keep devTagPrefix from matching sha-' },
  INN079: { severity: 'warning', title: 'explicit image tag: an external input', hint: 'the image must already be in each environment\'s registry (innovate plan checks it with ecr:DescribeImages); leave the tag out to let CI build and promote it' },
  // Cost (innovate cost, issue 18)
  INN080: { severity: 'warning', title: 'estimate above the monthly budget', hint: 'raise cost.monthlyBudgetUsd or take the savings `innovate cost` lists; `validate --no-budget` turns the check off' },
  // Workload kinds and types (src/validators/kinds.ts, issue 16)
  INN081: { severity: 'error', title: 'worker or cronjob exposed', hint: 'a worker or cronjob has no Service: remove ingress and userFacing, or make it kind: service' },
  INN082: { severity: 'error', title: 'cronjob with replicas or autoscaling', hint: 'a CronJob runs one pod per run, with no HPA and no PodDisruptionBudget: remove replicas and autoscaling (cronjob.concurrencyPolicy decides overlapping runs)' },
  INN083: { severity: 'error', title: 'probe that makes no sense for the workload', hint: 'one handler per probe (path, tcp: true or exec); HTTP and TCP need a port; a cronjob takes no readiness probe; false turns a probe off on workers and cronjobs only' },
  INN084: { severity: 'error', title: 'ingress backend with one replica and no PDB', hint: 'set replicas.min: 2 (which brings a PodDisruptionBudget) or remove the ingress' },
  INN085: { severity: 'error', title: 'build does not match the type', hint: 'type container needs build.dockerfile (the Dockerfile in the application repository); flask and react use the generated Dockerfile and take no build block' },
  INN086: { severity: 'error', title: 'invalid cron schedule', hint: 'five fields: minute hour day-of-month month day-of-week ("30 2 * * *"), or @hourly, @daily, @weekly, @monthly, @yearly; the time zone goes in cronjob.timeZone' },
  INN087: { severity: 'error', title: 'unknown time zone', hint: 'use an IANA time zone name, case as in the tz database: Etc/UTC, Europe/Berlin, America/New_York' },
  INN088: { severity: 'error', title: 'cronjob block does not match the kind', hint: 'kind: cronjob needs a cronjob block with a schedule; services and workers take none' },
  INN089: { severity: 'error', title: 'workload cannot run as its kind', hint: 'a worker or cronjob is type flask with a command, or type container; it exposes no metrics (no Service to scrape)' },
  // Promotion and notifications (src/validators/promotion.ts, notifications.ts)
  INN090: { severity: 'warning', title: 'environment left out of the promotion chain', hint: 'add it to registry.replication.to where it belongs in the chain' },
  INN091: { severity: 'error', title: 'environment twice in the promotion chain', hint: 'name each environment once in registry.replication.to: each is promoted from the one before it' },
  INN092: { severity: 'warning', title: 'alerts that notify nobody', hint: 'set observability.alerts (emails, pagerDutyUrl, slack) and cost.notifyEmails; an error in a production environment' },
  INN093: { severity: 'warning', title: 'production promotion without a CVE gate', hint: 'keep registry.scanOnPush or registry.enhancedScanning on in production: the promotion fails on CRITICAL findings only where the registry scans' },
  INN094: { severity: 'error', title: 'promotion chain overridden per environment', hint: 'set registry.replication in the base spec: the chain spans every environment' },
  // Admission (security.admission)
  INN100: { severity: 'error', title: 'signature verification without a signing key', hint: 'turn registry.signing on (CI then signs every image with the KMS key that admission verifies with), or leave security.admission.imageSignatures out' },
  // Grafana sign-in (src/validators/observability.ts, issue 17)
  INN107: { severity: 'warning', title: 'no team maps to a Grafana role', hint: 'give the permission set of the team that should administer Grafana its groupId (organization.sso.permissionSets.<set>.groupId): cluster-admin teams become Grafana admins' },
  // innovate itself
  INN999: { severity: 'error', title: 'internal error', hint: 'this is a bug in innovate, not in your spec; please report it at https://github.com/innovate-inc/innovate/issues with the spec (or the smallest part of it that shows the error)' },
  // Retired, never to be reused: INN056 (superseded by INN039), INN059 (never emitted),
  // INN060 (expired exceptions are the policy engine's INV900).
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
