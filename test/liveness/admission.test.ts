/**
 * Admission (issue 17 §3): INV123 (production verifies image signatures with the key CI signs with
 * and fails closed) and INV124 (a webhook that fails closed exempts what the cluster needs to
 * recover). Today's defect — CI signs, nothing verifies, Gatekeeper fails open — is reproduced by
 * editing today's artifacts back to what the emitters wrote then; each rule fires there and is
 * quiet on today's output.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Artifact } from '../../src/emitters/artifact.js';
import { LIVENESS_RULES } from '../../src/validators/liveness/index.js';
import { productionAdmission, webhookExemptions } from '../../src/validators/liveness/admission.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { editArtifact, emit } from '../platform/support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const built = emit(EXAMPLE);
const data = (path: string, artifacts: readonly Artifact[] = built.artifacts): Json => artifacts.find((a) => a.path === path)!.data as Json;
const docs = (path: string, artifacts: readonly Artifact[] = built.artifacts): Json[] => data(path, artifacts) as unknown as Json[];

const run = (artifacts: readonly Artifact[], models = built.models) => runPolicies(artifacts, models, { today: '2026-01-01', rules: [productionAdmission, webhookExemptions] }).findings;
const lines = (artifacts: readonly Artifact[], models = built.models) => run(artifacts, models).map((f) => `${f.rule} [${f.environment}] ${f.message}`);

/** The artifacts as the emitters wrote them before: no policy-controller, no image policy, Gatekeeper with the chart's defaults. */
function beforeTheFix(artifacts: readonly Artifact[]): Artifact[] {
  let out = artifacts.filter((a) => !a.path.endsWith('/policy-controller.values.yaml') && !a.path.endsWith('-image-policies.yaml'));
  for (const env of ['production', 'staging']) {
    out = editArtifact(out, `helm/${env}/gatekeeper.values.yaml`, (v: Json) => {
      for (const k of ['validatingWebhookFailurePolicy', 'validatingWebhookCheckIgnoreFailurePolicy', 'validatingWebhookExemptNamespacesLabels', 'validatingWebhookCustomRules', 'disableMutation']) delete v[k];
    });
  }
  return out;
}

const file = (env: string, concern: string) => built.artifacts.find((a) => a.path.startsWith(`kubernetes/${env}/`) && a.path.endsWith(`-${concern}.yaml`))!.path;

describe('admission on the example', () => {
  it('passes on what the emitters write today, and no other liveness rule objects', () => {
    expect(lines(built.artifacts)).toEqual([]);
    const all = runPolicies(built.artifacts, built.models, { today: '2026-01-01', rules: LIVENESS_RULES }).findings;
    expect(all.map((f) => `${f.rule} ${f.message}`)).toEqual([]);
  });

  it('reproduces the defect: CI signed, nothing verified, Gatekeeper failed open', () => {
    const found = lines(beforeTheFix(built.artifacts));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^INV123 \[production\] no image signature verification at admission in production: policy-controller is not installed and no ClusterImagePolicy verifies signatures with the key CI signs with \(awskms:\/\/\/arn:aws:kms:us-east-1:300000000003:alias\/innovate-staging-image-signing\)/),
        expect.stringMatching(/^INV123 \[production\] Gatekeeper's webhook fails open \(validatingWebhookFailurePolicy Ignore, the chart default\)/),
      ]),
    );
    // Staging is not production: verification there warns, and its webhooks fail open by default.
    expect(found.filter((l) => l.includes('[staging]'))).toEqual([]);
  });

  it('production verifies with the build environment\'s key, through a role that may only read that key and the signatures', () => {
    const [policy] = docs(file('production', 'image-policies'));
    expect(policy).toMatchObject({
      apiVersion: 'policy.sigstore.dev/v1beta1',
      kind: 'ClusterImagePolicy',
      spec: {
        mode: 'enforce',
        images: [{ glob: '200000000002.dkr.ecr.us-east-1.amazonaws.com/innovate/**' }],
        authorities: [{ name: 'ci-signing-key', key: { kms: 'awskms:///arn:aws:kms:us-east-1:300000000003:alias/innovate-staging-image-signing', hashAlgorithm: 'sha256' } }],
      },
    });
    const [staging] = docs(file('staging', 'image-policies'));
    expect(staging!.spec.mode).toBe('warn');
    // The verifier's role: the signing key's public key (by its alias, in staging's account) and ECR reads, nothing more.
    const cluster = data('cloudformation/production/cluster.json');
    const statements = cluster.Resources.PolicyControllerRolePolicy.Properties.PolicyDocument.Statement as Json[];
    expect(statements.map((s) => [s.Sid, s.Action, s.Resource, s.Condition])).toEqual([
      ['ReadSigningPublicKey', ['kms:DescribeKey', 'kms:GetPublicKey'], 'arn:aws:kms:us-east-1:300000000003:key/*', { StringEquals: { 'kms:RequestAlias': 'alias/innovate-staging-image-signing' } }],
      ['EcrLogin', 'ecr:GetAuthorizationToken', '*', undefined],
      ['ReadSignatures', ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], ['arn:aws:ecr:us-east-1:200000000002:repository/innovate/api', 'arn:aws:ecr:us-east-1:200000000002:repository/innovate/web'], undefined],
    ]);
    // Staging verifies its own key: by its ARN from the security stack.
    const own = (data('cloudformation/staging/cluster.json').Resources.PolicyControllerRolePolicy.Properties.PolicyDocument.Statement as Json[])[0]!;
    expect(own.Resource).toEqual({ Ref: 'SecuritySigningKeyArn' });
    // And the key's policy, in staging, lets production's verifier read the public key (cross-account needs both sides).
    const key = data('cloudformation/staging/security.json').Resources.SigningKey.Properties.KeyPolicy.Statement as Json[];
    expect(key.find((s) => s.Sid === 'ProductionVerifiesSignatures')).toEqual({
      Sid: 'ProductionVerifiesSignatures',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::200000000002:root' },
      Action: ['kms:DescribeKey', 'kms:GetPublicKey'],
      Resource: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::200000000002:role/innovate-production-policy-controller' } },
    });
    expect(data('cloudformation/production/security.json').Resources.SigningKey.Properties.KeyPolicy.Statement.some((s: Json) => /Verifies/.test(s.Sid) && s.Sid !== 'AccountVerifies')).toBe(false);
  });

  it('production fails closed for every engine, with the system namespaces left out', () => {
    const gk = data('helm/production/gatekeeper.values.yaml');
    expect(gk.validatingWebhookFailurePolicy).toBe('Fail');
    expect(gk.validatingWebhookCustomRules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/ephemeralcontainers'] }]);
    const exempt = gk.validatingWebhookExemptNamespacesLabels['kubernetes.io/metadata.name'] as string[];
    expect(exempt).toEqual(expect.arrayContaining(['kube-system', 'argocd', 'cosign-system', 'external-secrets', 'gatekeeper-system', 'monitoring']));
    expect(exempt).not.toContain('apps');
    const pc = data('helm/production/policy-controller.values.yaml');
    expect(pc.webhook).toMatchObject({ failurePolicy: 'Fail', configData: { 'no-match-policy': 'deny' }, replicaCount: 2, extraArgs: { 'disable-tuf': true } });
    expect(data('helm/staging/gatekeeper.values.yaml').validatingWebhookFailurePolicy).toBe('Ignore');
    expect(data('helm/staging/policy-controller.values.yaml').webhook).toMatchObject({ failurePolicy: 'Ignore', configData: { 'no-match-policy': 'warn' } });
    const namespaces = docs(file('production', 'namespaces')).filter((d) => d.kind === 'Namespace');
    expect(namespaces.filter((n) => n.metadata.labels['policy.sigstore.dev/include'] === 'true').map((n) => n.metadata.name)).toEqual(['apps']);
  });

  it('INV123 fires when production opts out in the spec: warn, fail open, or no signing key', () => {
    const warn = emit(exampleVariant((d) => {
      d.environments.production.overrides = { ...d.environments.production.overrides, security: { admission: { imageSignatures: 'warn', failurePolicy: 'Ignore' } } };
    }));
    expect(lines(warn.artifacts, warn.models).filter((l) => l.startsWith('INV123 [production]'))).toEqual([
      expect.stringMatching(/no ClusterImagePolicy in enforce mode/),
      expect.stringMatching(/policy-controller's webhook fails open \(failurePolicy Ignore\)/),
      expect.stringMatching(/admits images no policy covers/),
      expect.stringMatching(/Gatekeeper's webhook fails open \(validatingWebhookFailurePolicy Ignore\)/),
    ]);
    const unsigned = emit(exampleVariant((d) => {
      d.registry.signing = false;
    }));
    expect(unsigned.artifacts.some((a) => a.path.endsWith('/policy-controller.values.yaml'))).toBe(false);
    expect(lines(unsigned.artifacts, unsigned.models).filter((l) => l.startsWith('INV123'))).toEqual([
      expect.stringMatching(/^INV123 \[production\] no image signature verification at admission in production: policy-controller is not installed/),
    ]);
    // A production that does without signatures says so, with a reason and an expiry, on the policy it lacks.
    const excepted = exampleVariant((d) => {
      d.registry.signing = false;
      d.policy = { exceptions: [{ rule: 'INV123', target: 'ClusterImagePolicy/signed-by-ci', reason: 'images are verified by the vendor\'s admission service until Q3 (TICKET-77)', expires: '2099-12-31' }] };
    });
    const done = emit(excepted);
    expect(runPolicies(done.artifacts, done.models, { today: '2026-01-01', rules: [productionAdmission] }).findings).toEqual([]);
  });

  it('INV123 fires on a policy that trusts another key or misses a repository', () => {
    const path = file('production', 'image-policies');
    const ownKey = editArtifact(built.artifacts, path, (d: Json[]) => {
      d[0]!.spec.authorities[0].key.kms = 'awskms:///arn:aws:kms:us-east-1:200000000002:alias/innovate-production-image-signing';
    });
    expect(lines(ownKey)).toEqual([expect.stringMatching(/^INV123 \[production\] no ClusterImagePolicy in enforce mode verifies signatures with the key CI signs with/)]);
    const narrow = editArtifact(built.artifacts, path, (d: Json[]) => {
      d[0]!.spec.images = [{ glob: '200000000002.dkr.ecr.us-east-1.amazonaws.com/innovate/api' }];
    });
    expect(lines(narrow)).toEqual(['INV123 [production] no enforcing ClusterImagePolicy covers 200000000002.dkr.ecr.us-east-1.amazonaws.com/innovate/web: its images are admitted unverified']);
    const unlabelled = editArtifact(built.artifacts, file('production', 'namespaces'), (d: Json[]) => {
      delete d.find((x) => x.kind === 'Namespace' && x.metadata.name === 'apps')!.metadata.labels['policy.sigstore.dev/include'];
    });
    expect(lines(unlabelled)).toEqual(['INV123 [production] namespace apps is not labelled policy.sigstore.dev/include=true: policy-controller\'s webhook is never asked about its pods']);
  });

  it('INV124 fires when a webhook that fails closed would see the system namespaces or cluster-scoped objects', () => {
    const defaults = editArtifact(built.artifacts, 'helm/production/gatekeeper.values.yaml', (v: Json) => {
      delete v.validatingWebhookCustomRules;
      v.validatingWebhookExemptNamespacesLabels['kubernetes.io/metadata.name'] = ['kube-system'];
    });
    expect(lines(defaults)).toEqual([
      expect.stringMatching(/^INV124 \[production\] Gatekeeper's webhook fails closed and is sent the system namespaces .*argocd.*cosign-system.*: while it is down their pods cannot restart/),
      expect.stringMatching(/^INV124 \[production\] Gatekeeper's webhook fails closed and matches \* \(the chart default: every resource, cluster-scoped ones such as NodeClaims included\)/),
    ]);
    const labelled = editArtifact(built.artifacts, file('production', 'namespaces'), (d: Json[]) => {
      d.find((x) => x.kind === 'Namespace' && x.metadata.name === 'argocd')!.metadata.labels['policy.sigstore.dev/include'] = 'true';
    });
    expect(lines(labelled)).toEqual(['INV124 [production] system namespace argocd is labelled policy.sigstore.dev/include=true: policy-controller\'s webhook would judge the platform\'s own pods']);
    // Failing open, Gatekeeper's exemptions are not INV124's concern (staging).
    const open = editArtifact(built.artifacts, 'helm/staging/gatekeeper.values.yaml', (v: Json) => {
      delete v.validatingWebhookCustomRules;
    });
    expect(lines(open)).toEqual([]);
  });

  it('the spec decides per environment, and the YAML round-trips', () => {
    const text = exampleVariant((d) => {
      d.security.admission = { imageSignatures: 'enforce', failurePolicy: 'Fail' };
    });
    const strict = emit(text);
    expect(data('helm/staging/policy-controller.values.yaml', strict.artifacts).webhook.failurePolicy).toBe('Fail');
    expect(docs(strict.artifacts.find((a) => a.path.startsWith('kubernetes/staging/') && a.path.endsWith('-image-policies.yaml'))!.path, strict.artifacts)[0]!.spec.mode).toBe('enforce');
    expect(lines(strict.artifacts, strict.models)).toEqual([]);
    expect(parse(stringify((parse(text) as Json).security.admission))).toEqual({ imageSignatures: 'enforce', failurePolicy: 'Fail' });
  });
});
