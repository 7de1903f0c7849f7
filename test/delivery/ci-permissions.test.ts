/**
 * The CI roles allow what the generated workflows call, and only that. Every AWS call of every
 * job (derived from the workflow text by src/emitters/ci/calls.ts: `aws` CLI commands in scripts,
 * ECR login, image push, cosign) is checked against the statements of the role the job assumes,
 * as written in that environment's registry.json; over the example, its variants and generated
 * specs. The scan gate script itself is run against a fake `aws` to show that an access error
 * fails at once and only "not scanned yet" waits.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/compiler/model.js';
import { allows, workflowCalls, workflowTextCalls, type AwsCall, type JobCalls, type PolicyStatement } from '../../src/emitters/ci/calls.js';
import { ciRoleParts } from '../../src/emitters/ci/plan.js';
import { EXISTING_IMAGE, PROMOTE_BUILT, PROMOTE_RECORD, PROMOTE_RESOLVE, promotionCveGate, SCAN_GATE, SIGN } from '../../src/emitters/ci/scripts.js';
import { SIGNATURE_TAG_FILTERS } from '../../src/emitters/cloudformation/registry.js';
import { compile, type CompileResult } from '../../src/pipeline.js';
import { specArbitrary } from '../invariants/arbitrary.js';
import { byKind, compileOk, VARIANTS } from './support.js';

type Doc = Record<string, any>;

interface Role {
  readonly model: Model;
  readonly statements: PolicyStatement[];
  readonly resolve: (r: unknown) => string[];
}

/** Each environment's CI role: its statements, and the resolution of their parameter references. */
function roles(r: CompileResult): Map<string, Role> {
  const out = new Map<string, Role>();
  for (const model of r.models) {
    const template = JSON.parse(r.artifacts.find((a) => a.path === `cloudformation/${model.environment.name}/registry.json`)!.content) as Doc;
    const arn = `arn:aws:iam::${model.environment.accountId}:role/${model.names.ciRole}`;
    const statements = (template.Resources.CiRolePolicy?.Properties.PolicyDocument.Statement ?? []) as PolicyStatement[];
    // The signing key's ARN is a parameter read from SSM (security.json publishes it); it is the key
    // behind the signing alias, which is how cosign names it (awskms:///alias/...).
    const resolve = (res: unknown): string[] => {
      const param = (res as Doc | undefined)?.Ref as string | undefined;
      const name = param ? (template.Parameters?.[param]?.Default as string | undefined) : undefined;
      return name?.endsWith('/security/signing-key-arn') ? [`arn:aws:kms:${model.environment.region}:${model.environment.accountId}:${model.names.signingKeyAlias}`] : [];
    };
    out.set(arn, { model, statements, resolve });
  }
  return out;
}

const jobCalls = (r: CompileResult): JobCalls[] => byKind(r, 'ci').flatMap((a) => workflowTextCalls(a.path, a.content));

/** Calls a role does not allow, as readable lines (empty when every call is allowed). */
function denied(r: CompileResult): string[] {
  const byRole = roles(r);
  const out: string[] = [];
  for (const j of jobCalls(r)) {
    out.push(...j.unmapped.map((u) => `${j.workflow} ${j.job}: ${u} has no IAM mapping`));
    if (j.calls.length === 0) continue;
    const role = j.role ? byRole.get(j.role) : undefined;
    if (!role) {
      out.push(`${j.workflow} ${j.job}: calls AWS without a CI role of the spec (${j.role ?? 'no credentials step'})`);
      continue;
    }
    for (const c of j.calls) if (!allows(role.statements, c, role.resolve)) out.push(`${j.workflow} ${j.job} (${role.model.environment.name}): ${c.action} on ${c.resource} (${c.source})`);
  }
  return out;
}

/** Granted action/resource pairs no job of the role calls. */
function unused(r: CompileResult): string[] {
  const byRole = roles(r);
  const jobs = jobCalls(r);
  const out: string[] = [];
  for (const [arn, role] of byRole) {
    const calls = jobs.filter((j) => j.role === arn).flatMap((j) => j.calls);
    for (const s of role.statements) {
      const actions = [s.Action].flat() as string[];
      const resources = [s.Resource].flat().flatMap((x) => (typeof x === 'string' ? [x] : role.resolve(x)));
      for (const action of actions) for (const resource of resources) if (!calls.some((c) => c.action === action && c.resource === resource)) out.push(`${role.model.environment.name}: ${action} on ${resource}`);
    }
  }
  return out;
}

describe('the CI roles allow exactly what the workflows call', () => {
  for (const [name, text] of Object.entries(VARIANTS)) {
    describe(name, () => {
      const r = compileOk(text);

      it('every AWS call of every job is allowed by the role the job assumes', () => {
        expect(jobCalls(r).some((j) => j.calls.length > 0)).toBe(true);
        expect(denied(r)).toEqual([]);
      });

      it('every granted action is called by a job of that role (each model knows the whole promotion chain: no role holds a part it never plays)', () => {
        expect(unused(r)).toEqual([]);
      });

      it('removing any one granted action leaves a call denied', () => {
        const byRole = roles(r);
        const jobs = jobCalls(r);
        for (const [arn, role] of byRole) {
          const calls = jobs.filter((j) => j.role === arn).flatMap((j) => j.calls);
          for (const [i, s] of role.statements.entries()) {
            for (const action of [s.Action].flat() as string[]) {
              const actions = ([s.Action].flat() as string[]).filter((a) => a !== action);
              const without = role.statements.map((x, k) => (k === i ? { ...x, Action: actions } : x));
              expect(
                calls.some((c) => !allows(without, c, role.resolve)),
                `${role.model.environment.name} without ${action}`,
              ).toBe(true);
            }
          }
        }
      });
    });
  }

  it('the example: the build role reads Inspector findings, pushes and signs; the production role looks images up and reads their scan (the CVE gate)', () => {
    const r = compileOk(VARIANTS.example!);
    const staging = jobCalls(r).find((j) => j.job === 'build')!;
    const actions = new Set(staging.calls.map((c) => c.action));
    for (const a of ['ecr:GetAuthorizationToken', 'ecr:PutImage', 'ecr:DescribeImageScanFindings', 'inspector2:ListFindings', 'inspector2:ListCoverage', 'kms:Sign']) expect(actions, a).toContain(a);
    expect(staging.calls.filter((c) => c.action.startsWith('inspector2:')).map((c) => c.resource)).toEqual(['*', '*']);
    expect(staging.calls.filter((c) => c.action === 'ecr:PutImage').map((c) => c.resource)).toEqual([
      'arn:aws:ecr:us-east-1:300000000003:repository/innovate/api',
      'arn:aws:ecr:us-east-1:300000000003:repository/innovate/web',
    ]);
    const production = roles(r).get('arn:aws:iam::200000000002:role/innovate-production-github-ci')!;
    expect(production.statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(['ecr:BatchGetImage', 'ecr:DescribeImageScanFindings', 'ecr:DescribeImages', 'inspector2:ListCoverage', 'inspector2:ListFindings']);
    const gate = jobCalls(r).find((j) => j.job === 'promote-production')!;
    expect(gate.calls.filter((c) => c.action === 'ecr:DescribeImageScanFindings').map((c) => c.resource)).toEqual([
      'arn:aws:ecr:us-east-1:200000000002:repository/innovate/api',
      'arn:aws:ecr:us-east-1:200000000002:repository/innovate/web',
    ]);
  });

  it('a three-account chain: each hop target is granted its own gate or lookup, the build role nothing of a target', () => {
    const r = compileOk(VARIANTS.chain!);
    const actions = (env: string) => [...roles(r).values()].find((x) => x.model.environment.name === env)!.statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions('staging')).toEqual(['ecr:DescribeImages']);
    expect(actions('production')).toEqual(['ecr:BatchGetImage', 'ecr:DescribeImageScanFindings', 'ecr:DescribeImages', 'inspector2:ListCoverage', 'inspector2:ListFindings']);
    expect(actions('dev')).toContain('ecr:PutImage');
  });

  it('generated specs: every call allowed, nothing unmapped (50 specs)', () => {
    const specs = fc.sample(specArbitrary, { numRuns: 50, seed: 15 });
    let checked = 0;
    for (const { yaml } of specs) {
      const r = compile(yaml, { policies: false });
      if (r.diagnostics.some((d) => d.severity === 'error')) continue;
      checked++;
      expect(denied(r), yaml).toEqual([]);
      // Exact: every model holds the whole promotion chain, so each role has exactly its parts.
      expect(unused(r), yaml).toEqual([]);
      expect(r.models.filter((m) => ciRoleParts(m).build).length, yaml).toBe(1);
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });
});

describe('deriving calls from a workflow', () => {
  const job = (run: string, env: Doc = {}): Doc => ({
    jobs: {
      j: {
        strategy: { matrix: { include: [{ repository: 'p/a', image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/p/a' }] } },
        env,
        steps: [{ uses: 'aws-actions/configure-aws-credentials@x', with: { 'role-to-assume': 'arn:aws:iam::111111111111:role/ci', 'aws-region': 'eu-west-1' } }, { run, env: { REPOSITORY: '${{ matrix.repository }}', IMAGE: '${{ matrix.image }}' } }],
      },
    },
  });
  const calls = (run: string, env: Doc = {}): string[] => workflowCalls('w', job(run, env))[0]!.calls.map((c) => `${c.action} ${c.resource}`);

  it('maps an aws command at a command position, resolving the repository through env and the matrix', () => {
    expect(calls('x=$(aws ecr describe-images --repository-name "$REPOSITORY" --output json)')).toEqual(['ecr:DescribeImages arn:aws:ecr:eu-west-1:111111111111:repository/p/a']);
    expect(calls('echo "aws ecr describe-images is only text here"')).toEqual([]);
    expect(calls('# aws ecr describe-images in a comment')).toEqual([]);
  });

  it('reports a command it has no mapping for instead of guessing', () => {
    expect(workflowCalls('w', job('aws s3 cp a s3://b/a'))[0]!.unmapped).toEqual(['aws s3 cp']);
    expect(workflowCalls('w', job('cosign attest --key k "$IMAGE@$DIGEST"'))[0]!.unmapped).toEqual(['cosign attest']);
  });

  it('an unresolvable repository is "*", which a repository-scoped grant does not allow', () => {
    const c = workflowCalls('w', job('aws ecr describe-images --repository-name "$NOWHERE"'))[0]!.calls[0]!;
    expect(c.resource).toBe('*');
    expect(allows([{ Effect: 'Allow', Action: 'ecr:DescribeImages', Resource: 'arn:aws:ecr:eu-west-1:111111111111:repository/p/*' }], c)).toBe(false);
  });

  it('enhanced scanning adds the inspector2 actions to describe-image-scan-findings', () => {
    const run = 'aws ecr describe-image-scan-findings --repository-name "$REPOSITORY"';
    expect(calls(run, { SCAN_TYPE: 'basic' })).toEqual(['ecr:DescribeImageScanFindings arn:aws:ecr:eu-west-1:111111111111:repository/p/a']);
    expect(calls(run, { SCAN_TYPE: 'enhanced' })).toEqual(['ecr:DescribeImageScanFindings arn:aws:ecr:eu-west-1:111111111111:repository/p/a', 'inspector2:ListCoverage *', 'inspector2:ListFindings *']);
  });
});

describe('allows (the small IAM check)', () => {
  const call: Pick<AwsCall, 'action' | 'resource'> = { action: 'ecr:PutImage', resource: 'arn:aws:ecr:us-east-1:111111111111:repository/p/api' };
  it('matches actions case-insensitively with wildcards, resources with wildcards', () => {
    expect(allows([{ Effect: 'Allow', Action: 'ECR:put*', Resource: 'arn:aws:ecr:us-east-1:111111111111:repository/p/*' }], call)).toBe(true);
    expect(allows([{ Effect: 'Allow', Action: 'ecr:Put?mage', Resource: '*' }], call)).toBe(true);
    expect(allows([{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: 'arn:aws:ecr:us-east-1:111111111111:repository/p/web' }], call)).toBe(false);
    expect(allows([{ Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*' }], call)).toBe(false);
  });
  it('a Deny wins; a conditional Allow does not count', () => {
    expect(allows([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'ecr:PutImage', Resource: '*' }], call)).toBe(false);
    expect(allows([{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }], call)).toBe(false);
  });
});

describe('no AWS error is swallowed', () => {
  it('no script discards the output or the failure of an aws command', () => {
    for (const script of [SCAN_GATE, SIGN, PROMOTE_BUILT, PROMOTE_RESOLVE, promotionCveGate('enhanced'), promotionCveGate('basic'), PROMOTE_RECORD, EXISTING_IMAGE]) {
      for (const line of script.split('\n').filter((l) => /(^|\$\(|\bif\s+)\s*aws\s/.test(l))) {
        expect(line).not.toMatch(/2>\s*\/dev\/null|2>&1|\|\|\s*(echo|true|:)/);
      }
    }
  });

  const bash = spawnSync('bash', ['--version']).status === 0 && spawnSync('jq', ['--version']).status === 0;
  describe.skipIf(!bash)('the scan gate, run against a fake aws', () => {
    /** Runs a script with `aws` answering from `responses` in turn (the last one repeats). */
    function withFakeAws(script: string, responses: { out?: unknown; err?: string }[], env: Record<string, string>): { status: number | null; stdout: string; calls: number; dir: string } {
      const dir = mkdtempSync(join(tmpdir(), 'innovate-scan-gate-'));
      responses.forEach((r, i) => {
        writeFileSync(join(dir, `out${i}`), r.out === undefined ? '' : typeof r.out === 'string' ? r.out : JSON.stringify(r.out));
        writeFileSync(join(dir, `err${i}`), r.err ?? '');
      });
      const fake = (name: string, body: string) => {
        writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
        chmodSync(join(dir, name), 0o755);
      };
      fake(
        'aws',
        `n=$(cat "${dir}/count" 2>/dev/null || echo 0); echo $((n + 1)) > "${dir}/count"
i=$n; [ -e "${dir}/out$i" ] || i=${responses.length - 1}
cat "${dir}/out$i"; if [ -s "${dir}/err$i" ]; then cat "${dir}/err$i" >&2; exit 254; fi`,
      );
      fake('docker', `echo '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}'`);
      fake('sleep', 'exit 0');
      const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { GITHUB_OUTPUT: join(dir, 'output'), ...env, PATH: `${dir}:${env.PATH ?? process.env.PATH}` } });
      return { status: run.status, stdout: run.stdout + run.stderr, calls: existsSync(join(dir, 'count')) ? Number(readFileSync(join(dir, 'count'), 'utf8')) : 0, dir };
    }
    const gate = (responses: { out?: unknown; err?: string }[]) =>
      withFakeAws(SCAN_GATE, responses, { IMAGE: '1.dkr.ecr.us-east-1.amazonaws.com/p/api', DIGEST: 'sha256:aa', REPOSITORY: 'p/api', SCAN_TYPE: 'enhanced' });
    const scanned = (status: string, findings: Doc = {}) => ({ out: { imageScanStatus: { status }, imageScanFindings: findings } });

    it('an access denial fails the job at once, with the message', () => {
      const r = gate([{ err: 'An error occurred (AccessDeniedException) when calling the DescribeImageScanFindings operation: not authorized to perform: inspector2:ListFindings' }]);
      expect(r.status).toBe(1);
      expect(r.calls).toBe(1);
      expect(r.stdout).toContain('::error::reading the enhanced scan of p/api@sha256:aa failed: An error occurred (AccessDeniedException)');
      expect(r.stdout).toContain('inspector2:ListFindings');
    });

    it('waits while the scan has not started or is pending, then passes without CRITICAL findings', () => {
      const r = gate([{ err: 'An error occurred (ScanNotFoundException) when calling the DescribeImageScanFindings operation' }, scanned('PENDING'), scanned('ACTIVE', { findingSeverityCounts: { HIGH: 3 } })]);
      expect(r.stdout).toContain('p/api@sha256:aa: enhanced scan ACTIVE, no CRITICAL finding');
      expect(r.status).toBe(0);
      expect(r.calls).toBe(3);
    });

    it('fails on CRITICAL findings, counted or listed', () => {
      expect(gate([scanned('COMPLETE', { findingSeverityCounts: { CRITICAL: 2 } })]).status).toBe(1);
      const listed = gate([scanned('ACTIVE', { enhancedFindings: [{ severity: 'CRITICAL' }, { severity: 'LOW' }] })]);
      expect(listed.status).toBe(1);
      expect(listed.stdout).toContain('has 1 CRITICAL findings');
    });

    it('a re-run finds the image an earlier run pushed (tags are immutable), and fails on any other error', () => {
      const existing = (responses: { out?: unknown; err?: string }[]) => {
        const r = withFakeAws(EXISTING_IMAGE, responses, { REPOSITORY: 'p/api', TAG: 'sha-0123456789ab' });
        return { ...r, output: spawnSync('cat', [join(r.dir, 'output')], { encoding: 'utf8' }).stdout };
      };
      const found = existing([{ out: 'sha256:bb\n' }]);
      expect(found.status).toBe(0);
      expect(found.output).toBe('digest=sha256:bb\npush=false\n');
      const missing = existing([{ err: 'An error occurred (ImageNotFoundException) when calling the DescribeImages operation' }]);
      expect(missing.status).toBe(0);
      expect(missing.output).toBe('digest=\npush=true\n');
      const denied = existing([{ err: 'An error occurred (AccessDeniedException) when calling the DescribeImages operation' }]);
      expect(denied.status).toBe(1);
      expect(denied.stdout).toContain('::error::looking up p/api:sha-0123456789ab failed: An error occurred (AccessDeniedException)');
    });

    const promotionEnv = (dir: string) => ({
      PATH: `${dir}:${process.env.PATH}`,
      SELECTED: 'all',
      WORKLOADS: 'api',
      REPOSITORIES: 'api=p/api',
      SOURCE_ENVIRONMENT: 'staging',
      ENVIRONMENT: 'production',
      INNOVATE_SPEC: 'innovate.yaml',
      INNOVATE_OUT: 'out',
      BRANCH: 'main',
      GITHUB_ACTOR: 'octocat',
      GITHUB_RUN_ID: '1',
    });
    /** A folder with fake npx (innovate resolve answers `resolved`), git and yq. */
    const tools = (resolved: string): string => {
      const dir = mkdtempSync(join(tmpdir(), 'innovate-promote-'));
      writeFileSync(join(dir, 'resolved.json'), resolved);
      for (const [name, body] of Object.entries({ npx: `[ "$3" = resolve ] && cat "${dir}/resolved.json"; exit 0`, git: 'exit 0', yq: 'exit 0' })) {
        writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
        chmodSync(join(dir, name), 0o755);
      }
      return dir;
    };

    it('the promotion waits for replication only on ImageNotFoundException; an access error fails at once', () => {
      const resolved = (tag: string | null) => JSON.stringify({ workloads: [{ name: 'api', image: { tag } }] });
      const resolve = (tag: string | null, responses: { out?: unknown; err?: string }[]) => {
        const r = withFakeAws(PROMOTE_RESOLVE, responses, promotionEnv(tools(resolved(tag))));
        return { ...r, output: existsSync(join(r.dir, 'output')) ? readFileSync(join(r.dir, 'output'), 'utf8') : '' };
      };
      const replicated = resolve('sha-0123456789ab', [{ err: 'An error occurred (ImageNotFoundException) when calling the DescribeImages operation' }, { out: { imageDetails: [{}] } }]);
      expect(replicated.status).toBe(0);
      expect(replicated.output).toBe('promotions=api=sha-0123456789ab\n');
      expect(replicated.calls).toBe(2);
      const denied = resolve('sha-0123456789ab', [{ err: 'An error occurred (AccessDeniedException) when calling the DescribeImages operation: not authorized to perform: ecr:DescribeImages' }]);
      expect(denied.status).toBe(1);
      expect(denied.calls).toBe(1);
      expect(denied.stdout).toContain('::error::looking up p/api:sha-0123456789ab in the production registry failed: An error occurred (AccessDeniedException)');
      const unbuilt = resolve(null, [{ out: {} }]);
      expect(unbuilt.status).toBe(1);
      expect(unbuilt.calls).toBe(0);
      expect(unbuilt.stdout).toContain('::error::api has no image in staging yet: promote it there first');
      const record = withFakeAws(PROMOTE_RECORD, [{ out: {} }], { ...promotionEnv(tools('{}')), PROMOTIONS: 'api=sha-0123456789ab' });
      expect(record.stdout).toContain('production already runs api=sha-0123456789ab');
      expect(record.status).toBe(0);
    });

    describe('the production CVE gate', () => {
      const index = {
        images: [
          {
            imageId: { imageDigest: 'sha256:ii', imageTag: 'sha-0123456789ab' },
            imageManifest: JSON.stringify({
              mediaType: 'application/vnd.oci.image.index.v1+json',
              manifests: [
                { digest: 'sha256:a1', platform: { os: 'linux', architecture: 'amd64' } },
                { digest: 'sha256:a2', platform: { os: 'linux', architecture: 'arm64' } },
                { digest: 'sha256:at', platform: { os: 'unknown', architecture: 'unknown' } },
              ],
            }),
          },
        ],
        failures: [],
      };
      const single = { images: [{ imageId: { imageDigest: 'sha256:s1' }, imageManifest: JSON.stringify({ mediaType: 'application/vnd.oci.image.manifest.v1+json' }) }], failures: [] };
      const cveGate = (responses: { out?: unknown; err?: string }[], scanType = 'enhanced') =>
        withFakeAws(promotionCveGate(scanType as 'enhanced' | 'basic'), responses, { ...promotionEnv(tools('{}')), PROMOTIONS: 'api=sha-0123456789ab', SCAN_TYPE: scanType });

      it('passes when every platform image of the index scanned clean in the production registry', () => {
        const r = cveGate([{ out: index }, scanned('ACTIVE', { findingSeverityCounts: { HIGH: 1 } }), scanned('ACTIVE')]);
        expect(r.status).toBe(0);
        expect(r.calls).toBe(3);
        expect(r.stdout).toContain('p/api:sha-0123456789ab (sha256:a2): enhanced scan ACTIVE in production, no CRITICAL finding');
      });

      it('fails the promotion on a CRITICAL finding in the production registry', () => {
        const r = cveGate([{ out: single }, scanned('ACTIVE', { enhancedFindings: [{ severity: 'CRITICAL' }] })]);
        expect(r.status).toBe(1);
        expect(r.stdout).toContain('::error::p/api:sha-0123456789ab (sha256:s1) has 1 CRITICAL findings in the production registry: not promoted to production');
      });

      it('never hides an AWS error: a denied read, a failed batch-get-image, a failed scan start', () => {
        const denied = cveGate([{ out: single }, { err: 'An error occurred (AccessDeniedException) when calling the DescribeImageScanFindings operation: not authorized to perform: inspector2:ListFindings' }]);
        expect(denied.status).toBe(1);
        expect(denied.stdout).toContain('::error::reading the enhanced scan of p/api@sha256:s1 in the production registry failed: An error occurred (AccessDeniedException)');
        const failures = cveGate([{ out: { images: [], failures: [{ failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }] } }]);
        expect(failures.status).toBe(1);
        expect(failures.stdout).toContain('ImageNotFound');
        const manifest = cveGate([{ err: 'An error occurred (AccessDeniedException) when calling the BatchGetImage operation' }]);
        expect(manifest.status).toBe(1);
        expect(manifest.calls).toBe(1);
        const start = cveGate([{ out: single }, { err: 'An error occurred (ScanNotFoundException) when calling the DescribeImageScanFindings operation' }, { err: 'An error occurred (AccessDeniedException) when calling the StartImageScan operation' }], 'basic');
        expect(start.status).toBe(1);
        expect(start.stdout).toContain('::error::starting the basic scan of p/api@sha256:s1 failed');
      });

      it('with basic scanning, starts the scan of a replicated image that has none, once, then waits for it', () => {
        const r = cveGate([{ out: single }, { err: 'An error occurred (ScanNotFoundException) when calling the DescribeImageScanFindings operation' }, { out: {} }, scanned('IN_PROGRESS'), scanned('COMPLETE')], 'basic');
        expect(r.status).toBe(0);
        expect(r.calls).toBe(5);
        expect(r.stdout).toContain('basic scan COMPLETE in production');
      });
    });

    it('fails on a scan that cannot finish (UNSUPPORTED_IMAGE), with its description', () => {
      const r = gate([{ out: { imageScanStatus: { status: 'UNSUPPORTED_IMAGE', description: 'The operating system is not supported' } } }]);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('ended with status UNSUPPORTED_IMAGE: The operating system is not supported');
    });
  });
});

describe('immutable tags and cosign', () => {
  const r = compileOk(VARIANTS.example!);
  const repos = r.models.flatMap((m) => {
    const t = JSON.parse(r.artifacts.find((a) => a.path === `cloudformation/${m.environment.name}/registry.json`)!.content) as Doc;
    return Object.values(t.Resources as Record<string, Doc>).filter((x) => x.Type === 'AWS::ECR::Repository');
  });
  const matches = (filter: string, tag: string) => new RegExp(`^${filter.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(tag);

  it("release tags stay immutable; cosign's signature tags may be rewritten, in both registries of the replication", () => {
    expect(repos.length).toBeGreaterThan(0);
    for (const repo of repos) {
      expect(repo.Properties.ImageTagMutability).toBe('IMMUTABLE_WITH_EXCLUSION');
      const filters = (repo.Properties.ImageTagMutabilityExclusionFilters as Doc[]).map((f) => {
        expect(f.ImageTagMutabilityExclusionFilterType).toBe('WILDCARD');
        return f.ImageTagMutabilityExclusionFilterValue as string;
      });
      expect(filters).toEqual([...SIGNATURE_TAG_FILTERS]);
      const digest = 'a'.repeat(64);
      expect(filters.some((f) => matches(f, `sha256-${digest}.sig`))).toBe(true);
      for (const tag of ['sha-0123456789ab', '1.2.3', 'dev-feature', `sha256-${digest}`]) expect(filters.some((f) => matches(f, tag)), tag).toBe(false);
      // ECR's filter pattern (API reference, ImageTagMutabilityExclusionFilter).
      for (const f of filters) expect(f).toMatch(/^[0-9a-zA-Z._*-]{1,128}$/);
    }
  });
});
