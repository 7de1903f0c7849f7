/**
 * Dockerfiles: parsed with dockerfile-ast for the example, its variants and generated specs.
 * Multi-stage, base images pinned by digest, non-root numeric USER equal to the pods'
 * runAsUser, EXPOSE equal to the model port, exec-form CMD that is a valid JSON array, no
 * HEALTHCHECK; and the escaping helpers refuse what could break out of a token.
 */
import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dockerArtifacts } from '../../src/emitters/docker/index.js';
import type { Workload } from '../../src/compiler/model.js';
import { compile } from '../../src/pipeline.js';
import { specArbitrary } from '../invariants/arbitrary.js';
import { byKind, compileOk, VARIANTS } from './support.js';

function checkDockerfile(text: string, w: Pick<Workload, 'name' | 'kind' | 'type' | 'port' | 'runAsUser' | 'command' | 'args'>): void {
  const df = DockerfileParser.parse(text);
  const froms = df.getFROMs();
  expect(froms.length, 'multi-stage').toBe(2);
  for (const f of froms) expect(f.getImage()).toMatch(/^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
  expect(froms[0]!.getBuildStage()).toBe('builder');
  expect(df.getHEALTHCHECKs()).toEqual([]);
  const instructions = df.getInstructions();
  expect(instructions.every((i) => /^[A-Z]+$/.test(i.getKeyword())), 'every line parses as an instruction').toBe(true);
  const last = (kw: string) => instructions.filter((i) => i.getKeyword() === kw).at(-1);
  const user = last('USER')!.getArgumentsContent()!;
  expect(user).toBe(`${w.runAsUser}:${w.runAsUser}`); // the uid the pod's securityContext runs as
  expect(Number(user.split(':')[0])).toBeGreaterThan(0);
  // A worker or cronjob with no port exposes none.
  if (w.port === undefined) expect(last('EXPOSE')).toBeUndefined();
  else expect(last('EXPOSE')!.getArgumentsContent()).toBe(String(w.port));
  const cmds = df.getCMDs();
  expect(cmds.length).toBe(1);
  const cmd = JSON.parse(cmds[0]!.getArgumentsContent()!) as unknown;
  expect(Array.isArray(cmd) && (cmd as unknown[]).every((x) => typeof x === 'string')).toBe(true);
  // A flask service runs gunicorn on its port; a flask worker or cronjob its own command, as the pod does.
  if (w.type === 'flask' && w.kind === 'service') expect(cmd).toContain(`0.0.0.0:${w.port}`);
  if (w.type === 'flask' && w.kind !== 'service') expect(cmd).toEqual([...w.command!, ...(w.args ?? [])]);
  expect(df.getENTRYPOINTs()).toEqual([]);
  // the runtime stage copies from the builder, never the sources again
  const runtime = df.getCOPYs().filter((c) => c.getRange()!.start.line > froms[1]!.getRange()!.start.line);
  expect(runtime.length).toBeGreaterThan(0);
  expect(runtime.some((c) => c.getFromFlag()?.getValue() === 'builder')).toBe(true);
}

describe('Dockerfiles of the example and its variants', () => {
  for (const [name, text] of Object.entries(VARIANTS)) {
    it(name, () => {
      const r = compileOk(text);
      const files = byKind(r, 'dockerfile');
      const build = r.models.find((m) => files.some((f) => f.path === `docker/${m.workloads[0]!.name}/Dockerfile`))!;
      for (const w of build.workloads) {
        const df = files.find((f) => f.path === `docker/${w.name}/Dockerfile`)!;
        checkDockerfile(df.content, w);
        expect(files.some((f) => f.path === `docker/${w.name}/.dockerignore`)).toBe(true);
        const nginx = files.find((f) => f.path === `docker/${w.name}/nginx.conf`);
        expect(Boolean(nginx)).toBe(w.type === 'react');
        if (nginx) {
          expect(nginx.content).toContain(`listen ${w.port};`);
          expect(nginx.content).toContain('try_files $uri $uri/ /index.html;');
          expect(df.content).toContain('nginxinc/nginx-unprivileged:');
        } else {
          expect(df.content).toMatch(/pip install -r requirements\.txt gunicorn==/);
        }
      }
    });
  }
});

describe('Dockerfiles of generated specs', () => {
  it('render and parse for every workload', () => {
    const samples = fc.sample(specArbitrary, { numRuns: 25, seed: 6 });
    let checked = 0;
    for (const s of samples) {
      const r = compile(s.yaml);
      if (r.diagnostics.some((d) => d.severity === 'error')) continue;
      for (const m of r.models) for (const w of m.workloads) {
        const [df] = dockerArtifacts(w);
        // type container: the repository's own Dockerfile, nothing generated.
        if (w.type === 'container') {
          expect(df).toBeUndefined();
          continue;
        }
        checkDockerfile(df!.content, w);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('keeps hostile values inside their token or refuses them', () => {
    const base = compileOk(VARIANTS.example!).models[0]!.workloads[0]!;
    const hostile = { ...base, probes: { ...base.probes, liveness: { ...base.probes.liveness!, http: { path: '/x\nUSER root', port: 5000 } } } } as Workload;
    expect(() => dockerArtifacts(hostile)).toThrow(/not a safe Dockerfile token/);
    const weird = { ...base, name: 'a"b' } as Workload;
    expect(() => dockerArtifacts(weird)).toThrow(/not a safe Dockerfile token/);
  });
});
