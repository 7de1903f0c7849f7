import * as z from 'zod/mini';
import { described, gitBranch, githubRepo } from './primitives.js';

export const PLATFORM_CHARTS = ['karpenter', 'aws-load-balancer-controller', 'argo-cd', 'kube-prometheus-stack', 'external-secrets', 'gatekeeper', 'metrics-server', 'external-dns', 'policy-controller'] as const;

/** Chart versions the generated values files are checked against (../shared/reference/charts). */
export const DEFAULT_CHART_VERSIONS: Record<(typeof PLATFORM_CHARTS)[number], string> = {
  karpenter: '1.14.1',
  'aws-load-balancer-controller': '3.5.0',
  'argo-cd': '10.1.1',
  'kube-prometheus-stack': '88.5.3',
  'external-secrets': '2.9.0',
  gatekeeper: '3.23.0',
  'metrics-server': '3.13.1',
  // Installed where the environment's ingress names a hostedZoneId (it writes the host's DNS record).
  'external-dns': '1.21.1',
  // sigstore's policy-controller (app v0.13.1): verifies cosign signatures at admission (security.admission).
  'policy-controller': '0.10.6',
};

export const deliverySchema = described(
  z.strictObject({
    appRepository: described(githubRepo.clone(), 'Application source repository (GitHub Actions builds it).'),
    configRepository: described(githubRepo.clone(), 'GitOps config repository ArgoCD syncs from.'),
    branch: described(z._default(gitBranch, 'main'), 'Branch that deploys: a name git check-ref-format --branch accepts, without "${{". @default main'),
    outputDir: described(
      z._default(
        z.string().check(z.regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/, { message: 'must be a relative folder such as out or deploy/generated' })),
        'out',
      ),
      'Folder of the config repository that holds the compiled output (innovate compile --out); ArgoCD and CI read it there. @default out',
    ),
    autoSync: described(z.optional(z.boolean()), 'ArgoCD automated sync (prune, selfHeal). @default false in production, true elsewhere'),
    approvalRequired: described(z.optional(z.boolean()), 'Promotion needs a GitHub environment with required reviewers. @default true in production'),
    charts: described(
      z.prefault(
        z.strictObject(
          Object.fromEntries(
            PLATFORM_CHARTS.map((c) => [c, described(z._default(z.string().check(z.regex(/^\d+\.\d+\.\d+$/)), DEFAULT_CHART_VERSIONS[c]), `@default ${DEFAULT_CHART_VERSIONS[c]}`)]),
          ) as Record<(typeof PLATFORM_CHARTS)[number], z.ZodMiniDefault<z.ZodMiniString<string>>>,
        ),
        {},
      ),
      'Pinned versions of the platform add-on charts.',
    ),
  }),
  'GitOps: GitHub Actions builds and promotes, ArgoCD deploys.',
);
