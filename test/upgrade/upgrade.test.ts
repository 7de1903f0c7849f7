/**
 * Issue 20 §4: upgrades never surprise a deployed platform. The previous release's output
 * (test/fixtures/upgrade/0.1.0-5070ba4/out, compiled by commit 5070ba4) is what a platform runs;
 * compiling with this innovate must show, through `innovate diff`:
 *  - every stateful resource (Aurora clusters and instances, KMS keys, the EKS cluster, VPCs and
 *    subnets, S3 buckets, ECR repositories) that is replaced, deleted or moved, as a hazard;
 *  - every resource moved to another stack and every ArgoCD Application that watches another place;
 * and the previous release's own spec (with the one edit INN075 asks for) replaces nothing stateful:
 * a default that would is opt-in (drVpcCidr keeps the DR VPC's CIDR until the spec sets it, INN065).
 * The stateful resources and the moves are found here independently of src/diff, from the files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffArtifacts, formatDiff, STATEFUL_TYPES, type DiffReport } from '../../src/diff/index.js';
import { compile, type CompileResult } from '../../src/pipeline.js';
import { EXAMPLE } from '../helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/upgrade/0.1.0-5070ba4/', import.meta.url));
/** The kinds of resource whose replacement loses data or identity (the issue's list). */
const MUST_NOT_REPLACE_SILENTLY = ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::KMS::Key', 'AWS::EKS::Cluster', 'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::S3::Bucket', 'AWS::ECR::Repository'];

function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(root, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return out;
}

const before = readTree(join(FIXTURE, 'out'));
const PREVIOUS_SPEC = readFileSync(join(FIXTURE, 'innovate.yaml'), 'utf8');

type Resources = Map<string, { path: string; type: string; body: string }>;
/** env/logicalId -> where it is and what it is, from the CloudFormation templates. */
function resources(files: ReadonlyMap<string, string>): Resources {
  const out: Resources = new Map();
  for (const [path, text] of files) {
    const m = /^cloudformation\/(?:([^/]+)\/)?[^/]+\.json$/.exec(path);
    if (!m || path.endsWith('manifest.json')) continue;
    const t = JSON.parse(text) as { Resources?: Record<string, { Type: string }> };
    for (const [id, r] of Object.entries(t.Resources ?? {})) out.set(`${m[1] ?? ''}/${id}`, { path, type: r.Type, body: JSON.stringify(r) });
  }
  return out;
}

function ok(text: string): CompileResult {
  const r = compile(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => `${e.code} ${e.message}`).join('\n'));
  return r;
}

/** Every stateful resource of the old output that is not byte-identical in the same place now has a hazard unless CloudFormation updates it in place. */
function expectNoSilentReplacement(report: DiffReport, now: ReadonlyMap<string, string>): void {
  const [old, next] = [resources(before), resources(now)];
  for (const [key, r] of old) {
    if (!MUST_NOT_REPLACE_SILENTLY.includes(r.type)) continue;
    const n = next.get(key);
    if (n && n.path === r.path && n.body === r.body) continue;
    const id = key.slice(key.indexOf('/') + 1);
    const entry = report.files.find((f) => f.path === r.path)?.entries.find((e) => e.id === id);
    const inPlace = n && n.path === r.path && entry && (entry.impact === 'update' || entry.impact === 'none');
    if (inPlace) continue;
    expect(report.hazards.some((h) => h.path === r.path && h.id === id), `${r.type} ${key} (${r.path}) changes without a hazard: ${JSON.stringify(entry)}`).toBe(true);
  }
}

/** Resources in both outputs of one environment but in another template, found from the files. */
function movedResources(now: ReadonlyMap<string, string>): string[] {
  const [old, next] = [resources(before), resources(now)];
  return [...old].filter(([key, r]) => next.has(key) && next.get(key)!.path !== r.path).map(([key]) => key).sort();
}

describe('upgrade from the previous release (issue 20 §4)', () => {
  for (const name of ['previous release\'s spec', 'current example'] as const) {
    describe(name, () => {
      let result: CompileResult;
      let report: DiffReport;
      let now: Map<string, string>;
      beforeAll(async () => {
        result = ok(name === 'current example' ? EXAMPLE : PREVIOUS_SPEC);
        now = new Map(result.artifacts.map((a) => [a.path, a.content]));
        report = await diffArtifacts(before, result.artifacts);
      }, 120_000);

      it('treats every kind the issue names as stateful', () => {
        for (const t of MUST_NOT_REPLACE_SILENTLY) expect(STATEFUL_TYPES).toContain(t);
      });

      it('replaces, deletes or moves no stateful resource without a hazard', () => {
        expectNoSilentReplacement(report, now);
      });

      it('lists every resource that moved to another stack', () => {
        const listed = report.moves.filter((m) => m.kind === 'resource').map((m) => `${m.environment ?? ''}/${m.id}`).sort();
        const moved = movedResources(now);
        expect(moved.length).toBeGreaterThan(0); // Karpenter's resources left the cluster stack for their own
        expect(listed).toEqual(moved);
        const text = formatDiff(report);
        for (const m of report.moves) expect(text).toContain(`${m.id}${m.environment ? ` [${m.environment}]` : ''}`);
      });

      it('lists every ArgoCD Application that watches another place', () => {
        const sources = report.moves.filter((m) => m.kind === 'source');
        for (const m of result.models) {
          for (const w of m.workloads) {
            const move = sources.find((s) => s.environment === m.environment.name && s.id === `Application argocd/apps-${w.name}`);
            expect(move, `apps-${w.name} in ${m.environment.name}`).toBeDefined();
            expect(move!.from).toContain(`out/kubernetes/${m.environment.name}/workloads/${w.name}@`);
            expect(move!.to).toContain(`out/charts/${w.name}@`);
          }
        }
        expect(formatDiff(report)).toMatch(/^=> ArgoCD WATCHES ANOTHER PLACE: Application argocd\/apps-api \[production\]/m);
      });

      if (name === 'previous release\'s spec') {
        it('replaces nothing stateful: new defaults that would are opt-in', () => {
          expect(report.hazards).toEqual([]);
          expect(result.diagnostics.map((d) => d.code)).toContain('INN065'); // the DR VPC keeps its CIDR until the spec says otherwise
        });
      } else {
        it('flags the DR VPC and its subnets the example opts into replacing (drVpcCidr)', () => {
          const dr = report.hazards.filter((h) => h.path === 'cloudformation/production/dr.json').map((h) => `${h.type} ${h.id} ${h.impact}`).sort();
          expect(dr).toEqual(['AWS::EC2::Subnet DrIsolatedSubnetA replace', 'AWS::EC2::Subnet DrIsolatedSubnetB replace', 'AWS::EC2::Subnet DrIsolatedSubnetC replace', 'AWS::EC2::VPC DrVpc replace']);
        });
      }
    });
  }
});
