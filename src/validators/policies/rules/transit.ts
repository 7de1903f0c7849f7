import { docsOf, get, k8sTarget, resourcesOf } from '../context.js';
import type { PolicyFinding, Rule } from '../types.js';

export const tlsEverywhere: Rule = {
  id: 'INV006',
  title: 'TLS everywhere',
  principle: 'encryption in transit',
  severity: 'error',
  hint: 'ALB with a TLS 1.3 policy and HTTP redirected to HTTPS; rds.force_ssl = 1; bucket policies deny non-TLS requests',
  help: 'The ALB listens on 443 with a TLS 1.3 security policy and redirects 80 to 443; Aurora parameter groups set rds.force_ssl = 1; every S3 bucket policy denies aws:SecureTransport false.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [m, d] of docsOf(ctx, 'Ingress')) {
      const a = d.metadata?.annotations ?? {};
      if (!/TLS13/.test(a['alb.ingress.kubernetes.io/ssl-policy'] ?? '')) out.push({ rule: this.id, message: 'Ingress has no TLS 1.3 ssl-policy', artifact: m.path, target: k8sTarget(d), specPath: ['security', 'tlsPolicy'] });
      if (a['alb.ingress.kubernetes.io/ssl-redirect'] !== '443') out.push({ rule: this.id, message: 'Ingress does not redirect HTTP to HTTPS', artifact: m.path, target: k8sTarget(d), specPath: ['ingress'] });
    }
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::RDS::DBClusterParameterGroup')) {
      if (String(get(r.Properties, 'Parameters', 'rds.force_ssl')) !== '1') out.push({ rule: this.id, message: `${id} does not set rds.force_ssl = 1`, artifact: t.path, target: id, specPath: ['database', 'forceSsl'] });
    }
    for (const t of ctx.templates) {
      const buckets = Object.entries(t.resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket').map(([id]) => id);
      for (const bucket of buckets) {
        const policy = Object.values(t.resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && get(r.Properties, 'Bucket', 'Ref') === bucket);
        const statements = (get(policy?.Properties, 'PolicyDocument', 'Statement') ?? []) as unknown[];
        const denies = statements.some((s) => get(s, 'Effect') === 'Deny' && String(get(s, 'Condition', 'Bool', 'aws:SecureTransport')) === 'false');
        if (!denies) out.push({ rule: this.id, message: `bucket ${bucket} accepts requests without TLS`, artifact: t.path, target: bucket });
      }
    }
    return out;
  },
};
