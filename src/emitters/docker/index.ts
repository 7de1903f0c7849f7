/**
 * Docker emitter: per workload, a multi-stage Dockerfile from the template of its type
 * (flask: gunicorn on a slim Python image; react: a node build stage and unprivileged nginx),
 * a .dockerignore, and for react the nginx.conf. Paths: docker/<workload>/; users copy them
 * into the workload's source folder of the application repository, which is the build context
 * CI uses. A type: container workload gets none: CI builds the repository's own Dockerfile
 * (build.dockerfile). Images are promoted unchanged from one environment to the next, so they come from
 * the build environment's model (the one CI pushes to).
 */
import { Handlebars } from '../handlebars-runtime.js';
import type { Model, Workload } from '../../compiler/model.js';
import type { Artifact, Emitter } from '../artifact.js';
import { buildModelOf } from '../ci/plan.js';
import { PRECOMPILED } from '../templates.precompiled.js';
import { BASE_IMAGES, DOCKERIGNORE, GUNICORN_VERSION } from './templates.js';

export { BASE_IMAGES } from './templates.js';

const hbs = Handlebars.create();
/** Exec-form arrays: JSON is exactly what Docker parses, and JSON.stringify escapes any string. */
hbs.registerHelper('json', (value: unknown) => new Handlebars.SafeString(JSON.stringify(value)));
/** A bare token; anything that could break out of it (space, quote, newline, $) is refused. */
hbs.registerHelper('word', (value: unknown) => {
  const s = String(value);
  if (!/^[A-Za-z0-9._/:@=~%-]+$/.test(s)) throw new Error(`not a safe Dockerfile token: ${JSON.stringify(s)}`);
  return s;
});
// Compiled at build time from templates.ts with { noEscape: true, strict: true } (scripts/precompiled-module.mjs).
const TEMPLATES = { flask: hbs.template(PRECOMPILED.flask), react: hbs.template(PRECOMPILED.react), nginx: hbs.template(PRECOMPILED.nginx) };

/** The WSGI callable gunicorn serves: app.py exposing `app` (the architecture document's `app:app`). */
export const WSGI_APP = 'app:app';

/**
 * The image's CMD: gunicorn for a flask service, nginx for react. A flask worker or cronjob runs its
 * own command (the spec's command and args, which the pod sets too; INN089 requires one), so the
 * image runs the same thing under `docker run` as in the cluster.
 */
export function commandOf(w: Workload): string[] {
  if (w.type === 'flask' && w.kind !== 'service' && w.command) return [...w.command, ...(w.args ?? [])];
  return w.type === 'flask'
    ? ['gunicorn', '--bind', `0.0.0.0:${w.port ?? 5000}`, '--workers', '4', '--worker-tmp-dir', '/dev/shm', '--access-logfile', '-', WSGI_APP]
    : ['nginx', '-g', 'daemon off;'];
}

/** What a probe checks, as one word for the Dockerfile's comment: the HTTP path, tcp, exec or none. */
const probeWord = (p: Workload['probes']['liveness']): string => (!p ? 'none' : 'http' in p ? p.http.path : 'tcp' in p ? 'tcp' : 'exec');

/**
 * The generated build files of a flask or react workload; none for type container, whose
 * Dockerfile is the application repository's own (CI builds build.dockerfile in build.context).
 */
export function dockerArtifacts(w: Workload): Artifact[] {
  if (w.type === 'container') return [];
  const data = {
    name: w.name,
    kind: w.kind,
    port: w.port,
    uid: w.runAsUser,
    cmd: commandOf(w),
    images: BASE_IMAGES,
    gunicorn: GUNICORN_VERSION,
    wsgiApp: WSGI_APP,
    liveness: probeWord(w.probes.liveness),
    readiness: probeWord(w.probes.readiness),
  };
  const dir = `docker/${w.name}`;
  const out: Artifact[] = [
    { path: `${dir}/Dockerfile`, kind: 'dockerfile', content: TEMPLATES[w.type](data) },
    { path: `${dir}/.dockerignore`, kind: 'dockerfile', content: DOCKERIGNORE },
  ];
  if (w.type === 'react') out.push({ path: `${dir}/nginx.conf`, kind: 'dockerfile', content: TEMPLATES.nginx(data) });
  return out;
}

export const dockerEmitter: Emitter = {
  name: 'docker',
  emit(models: readonly Model[]): Artifact[] {
    if (models.length === 0) return [];
    return buildModelOf(models).workloads.flatMap(dockerArtifacts);
  },
};
