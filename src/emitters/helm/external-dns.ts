/**
 * external-dns chart (kubernetes-sigs/external-dns): writes the ingress host's record into the
 * environment's hosted zone, an alias to the load balancer the AWS Load Balancer Controller creates
 * from the Ingress. Without it the ALB keeps a generated DNS name nobody points the host at.
 *
 * - sources [ingress]: the host comes from the Ingress rules, the target from its status (the ALB);
 * - domainFilters [host] with --aws-zone-match-parent: the zone may be the host itself (staging's
 *   delegated zone) or a parent of it (production's innovate.example); without match-parent
 *   external-dns drops a parent zone whose name the filter does not end with (provider/aws/aws.go,
 *   v0.21.0, zones());
 * - --zone-id-filter=<the zone> and --aws-zone-type=public: it may list every zone of the account
 *   (route53:ListHostedZones takes no resource) but considers this one only, the one its role may
 *   change;
 * - txtOwnerId: the environment's cluster, so an instance touches only records it created;
 * - policy sync (the chart's default is upsert-only): when a host is removed or renamed in the spec,
 *   upsert-only would leave its old record aliasing a load balancer that no longer exists; sync
 *   deletes it. It deletes only records whose TXT ownership record carries this cluster's owner id
 *   and whose name the domain filter (the host) covers, so other records of a shared parent zone
 *   are never touched.
 * The region is given (pods cannot read instance metadata); the chart's Deployment runs one replica
 * (its template fixes `replicas: 1`). On the platform pool like the other platform charts (the image,
 * registry.k8s.io/external-dns/external-dns, is multi-arch), in a namespace of its own with the
 * restricted Pod Security level: non-root, read-only root filesystem, no capabilities, RuntimeDefault
 * seccomp, stated here so a change of the chart's defaults cannot weaken it.
 */
import type { Model } from '../../compiler/model.js';
import { placement, serviceAccount, size, type Values } from './common.js';

export function externalDnsValues(model: Model): Values {
  const where = placement(model, 'platform');
  const component = model.platform.externalDns;
  const ingress = model.ingress;
  if (!component || !ingress?.hostedZoneId) return {};
  return {
    provider: { name: 'aws' },
    sources: ['ingress'],
    domainFilters: [ingress.host],
    policy: 'sync',
    registry: 'txt',
    txtOwnerId: model.cluster.name,
    extraArgs: {
      'aws-zone-type': 'public',
      'aws-zone-match-parent': true,
      'zone-id-filter': [ingress.hostedZoneId],
    },
    env: [{ name: 'AWS_DEFAULT_REGION', value: model.environment.region }],
    serviceAccount: serviceAccount(model, component.identity),
    nodeSelector: where.nodeSelector,
    tolerations: where.tolerations,
    resources: size('small'),
    podSecurityContext: { runAsNonRoot: true, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: {
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      capabilities: { drop: ['ALL'] },
    },
  };
}
