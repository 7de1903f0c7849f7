/**
 * Issue 20 §1: native multi-architecture builds. A react image's build stage runs on the build
 * machine's platform (`FROM --platform=$BUILDPLATFORM`) for every target, because what it hands
 * the runtime stage is static files, the same for every architecture; only the runtime stage is
 * per target. A flask image's build stage stays per target: the venv it hands over holds wheels
 * with compiled code for one architecture. Checked on the parsed Dockerfiles (no docker daemon
 * or buildx needed); hadolint runs when it is on the PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { byKind, compileOk, VARIANTS } from './support.js';

interface Stage { platform: string | undefined; copiesFromBuilder: string[] }

/** Each FROM's --platform flag and, for the stage after it, the sources it copies from the builder. */
function stages(text: string): Stage[] {
  const df = DockerfileParser.parse(text);
  const froms = df.getFROMs();
  return froms.map((f, i) => {
    const start = f.getRange().start.line;
    const end = froms[i + 1]?.getRange().start.line ?? Number.MAX_SAFE_INTEGER;
    const copies = df.getCOPYs().filter((c) => c.getRange().start.line > start && c.getRange().start.line < end && c.getFromFlag()?.getValue() === 'builder');
    return {
      platform: f.getPlatformFlag()?.getValue() ?? undefined,
      copiesFromBuilder: copies.map((c) => c.getArguments().slice(0, -1).map((a) => a.getValue())).flat(),
    };
  });
}

const example = compileOk(VARIANTS.example!);
const dockerfiles = byKind(example, 'dockerfile').filter((a) => a.path.endsWith('/Dockerfile'));
const typeOf = (path: string) => example.models[0]!.workloads.find((w) => path === `docker/${w.name}/Dockerfile`)!.type;

describe('native builds for every platform (issue 20 §1)', () => {
  it('the example has a react and a flask workload built for arm64 somewhere', () => {
    expect(dockerfiles.map((d) => typeOf(d.path)).sort()).toEqual(['flask', 'react']);
  });

  for (const df of dockerfiles) {
    it(`${df.path}: build stage platform and what crosses to the runtime stage`, () => {
      const [builder, runtime] = stages(df.content);
      // The runtime stage always follows the target platform: no flag.
      expect(runtime!.platform).toBeUndefined();
      if (typeOf(df.path) === 'react') {
        expect(builder!.platform).toBe('$BUILDPLATFORM');
        // Only the built site crosses from the native stage: nothing architecture-specific (node_modules).
        expect(runtime!.copiesFromBuilder).toEqual(['/site']);
      } else {
        // The venv holds per-architecture wheels, so its stage is built for the target.
        expect(builder!.platform).toBeUndefined();
        expect(runtime!.copiesFromBuilder).toContain('/opt/venv');
        expect(df.content).toMatch(/not \$BUILDPLATFORM: wheels with compiled code/);
      }
    });
  }

  const hadolint = spawnSync('hadolint', ['--version'], { encoding: 'utf8' });
  it.skipIf(hadolint.status !== 0)('hadolint finds nothing at warning level or above', () => {
    const dir = mkdtempSync(join(tmpdir(), 'innovate-hadolint-'));
    try {
      for (const df of dockerfiles) {
        const file = join(dir, df.path.replace(/\//g, '_'));
        writeFileSync(file, df.content);
        expect(() => execFileSync('hadolint', ['--failure-threshold', 'warning', file], { encoding: 'utf8' })).not.toThrow();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  if (hadolint.status !== 0) console.warn('hadolint is not on the PATH (not packaged for Debian or npm here): Dockerfiles checked structurally only');
});
