/**
 * What makes no sense for a workload's kind (service, worker, cronjob) or type (flask, react,
 * container): each finding at the field that says it. zod has checked the shapes; these check
 * the fields against each other.
 */
import { finding, type Finding } from '../diagnostics/diagnostic.js';
import * as derive from '../compiler/derive.js';
import type { WorkloadSpec } from '../schema/spec.js';
import { cronScheduleProblem, timeZoneProblem } from './cron.js';
import type { Validator } from './registry.js';

type At = (...p: (string | number)[]) => (string | number)[];

/** A worker or cronjob serves no traffic: no ingress, never user-facing (INN081). */
function exposure(name: string, w: WorkloadSpec, at: At): Finding[] {
  if (w.kind === 'service') return [];
  const out: Finding[] = [];
  if (w.ingress) out.push(finding('INN081', at('ingress'), `${w.kind} "${name}" has an ingress, but a ${w.kind} has no Service for the load balancer to reach`));
  if (w.userFacing === true) out.push(finding('INN081', at('userFacing'), `${w.kind} "${name}" is marked userFacing, but a ${w.kind} serves no users`));
  return out;
}

/** A cronjob runs one pod per run: no replicas, no HPA, hence no PDB (INN082). */
function scaling(name: string, w: WorkloadSpec, at: At): Finding[] {
  if (w.kind !== 'cronjob') return [];
  return (['replicas', 'autoscaling'] as const)
    .filter((k) => w[k] !== undefined)
    .map((k) => finding('INN082', at(k), `cronjob "${name}" sets ${k}, but a CronJob runs one pod per run: it gets no HorizontalPodAutoscaler and no PodDisruptionBudget`));
}

/** Each probe has one handler that fits the kind and has a port to talk to (INN083). */
function probes(name: string, w: WorkloadSpec, at: At): Finding[] {
  const out: Finding[] = [];
  const port = derive.workloadPort(w);
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const p = w.probes[kind];
    if (p === undefined) continue;
    if (p === false) {
      if (w.kind === 'service') out.push(finding('INN083', at('probes', kind), `service "${name}" turns its ${kind} probe off: a service keeps its probes (they gate its traffic, its rollouts and its restarts); set its path, tcp or exec instead`));
      continue;
    }
    if (w.kind === 'cronjob' && kind === 'readiness') {
      out.push(finding('INN083', at('probes', kind), `cronjob "${name}" has a readiness probe, but nothing routes traffic to a Job's pod: give it a liveness probe, or none`));
      continue;
    }
    const handlers = (['path', 'tcp', 'exec'] as const).filter((h) => p[h] !== undefined);
    if (handlers.length !== 1) {
      out.push(finding('INN083', at('probes', kind), handlers.length === 0 ? `the ${kind} probe of "${name}" checks nothing: give it a path (HTTP), tcp: true or exec` : `the ${kind} probe of "${name}" has ${handlers.join(' and ')}: a probe has one handler`));
      continue;
    }
    if (p.exec && p.port !== undefined) out.push(finding('INN083', at('probes', kind, 'port'), `the ${kind} probe of "${name}" runs a command: port is for HTTP and TCP probes`));
    if (!p.exec && p.port === undefined && port === undefined) out.push(finding('INN083', at('probes', kind), `the ${kind} probe of "${name}" is ${p.tcp ? 'a TCP' : 'an HTTP'} probe, but the ${w.kind} listens on no port: set port (on the probe or the workload) or use exec`));
  }
  return out;
}

/** Exposed on the ALB yet neither user-facing nor budgeted: one replica and no PDB (INN084). */
function lonelyBackend(name: string, w: WorkloadSpec, at: At): Finding[] {
  if (w.kind !== 'service' || !w.ingress || derive.userFacing(w)) return [];
  const replicas = derive.workloadReplicas(w);
  if (replicas.min >= 2) return [];
  return [finding('INN084', at('replicas', 'min'), `"${name}" is behind the ingress on ${w.ingress.path} with replicas.min ${replicas.min} and so no PodDisruptionBudget: every rollout, node drain or consolidation takes the path down`)];
}

/** type container builds the repository's Dockerfile; flask and react have a generated one (INN085). */
function build(name: string, w: WorkloadSpec, at: At): Finding[] {
  if (w.type === 'container' && !w.build) return [finding('INN085', at('type'), `"${name}" is type container but names no Dockerfile: set build.dockerfile (its path in the application repository)`)];
  if (w.type !== 'container' && w.build) return [finding('INN085', at('build'), `"${name}" is type ${w.type}, built from the Dockerfile innovate generates: build.dockerfile is for type container`)];
  return [];
}

/** A cronjob has a schedule that parses in a time zone that exists; only a cronjob has one (INN086-INN088). */
function schedule(name: string, w: WorkloadSpec, at: At): Finding[] {
  if (w.kind !== 'cronjob') return w.cronjob ? [finding('INN088', at('cronjob'), `"${name}" is a ${w.kind} but has a cronjob block: set kind: cronjob, or remove it`)] : [];
  if (!w.cronjob) return [finding('INN088', at('kind'), `cronjob "${name}" has no schedule: add cronjob.schedule (for example "0 2 * * *")`)];
  const out: Finding[] = [];
  const cron = cronScheduleProblem(w.cronjob.schedule);
  if (cron) out.push(finding('INN086', at('cronjob', 'schedule'), `schedule "${w.cronjob.schedule}" of "${name}": ${cron}`));
  const zone = timeZoneProblem(w.cronjob.timeZone);
  if (zone) out.push(finding('INN087', at('cronjob', 'timeZone'), zone));
  return out;
}

/** What the image or the chart cannot do for the kind (INN089). */
function runnable(name: string, w: WorkloadSpec, at: At): Finding[] {
  if (w.kind === 'service') return [];
  const out: Finding[] = [];
  if (w.type === 'react') out.push(finding('INN089', at('type'), `${w.kind} "${name}" is type react: its image is nginx serving static files, which only a service can do`));
  if (w.type === 'flask' && !w.command) out.push(finding('INN089', at('type'), `${w.kind} "${name}" is type flask with no command: its image would start gunicorn, a web server; set command (python -m app.worker, say)`));
  if (w.metrics) out.push(finding('INN089', at('metrics'), `${w.kind} "${name}" has metrics, but Prometheus scrapes a workload through its Service, which a ${w.kind} has not`));
  return out;
}

const CHECKS = [exposure, scaling, probes, lonelyBackend, build, schedule, runnable];

const kindRules: Validator = ({ spec }) =>
  Object.entries(spec.workloads).flatMap(([name, w]) => {
    const at: At = (...p) => ['workloads', name, ...p];
    return CHECKS.flatMap((check) => check(name, w, at));
  });

export const kindValidators = [['workload-kinds', kindRules, ['workloads']]] as const;
