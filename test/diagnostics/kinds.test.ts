/**
 * The kind and type validators (src/validators/kinds.ts) and the cron and time zone checks
 * (src/validators/cron.ts), as tables. Positions of one case per code are in codes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cronScheduleProblem, timeZoneProblem } from '../../src/validators/cron.js';
import { base, diagnose, show } from './helpers.js';

describe('cron schedules (robfig/cron standard parser, as the CronJob controller)', () => {
  it.each(['30 2 * * *', '*/15 * * * *', '0 6 * * MON-FRI', '0 0 1 JAN,JUL ?', '0 0 * * 7', '5-10/2 0-23/6 1,15 * sun', '@daily', '@hourly', '@yearly', '@midnight'])('accepts %s', (s) => {
    expect(cronScheduleProblem(s)).toBeUndefined();
  });
  it.each([
    ['61 2 * * *', /61 is outside the minute field's 0-59/],
    ['0 24 * * *', /outside the hour field/],
    ['0 0 0 * *', /outside the day of month field's 1-31/],
    ['0 0 * 13 *', /outside the month field/],
    ['0 0 * * 8', /outside the day of week field/],
    ['* * * *', /has 4/],
    ['* * * * * *', /has 6/],
    ['*/0 * * * *', /step "0"/],
    ['10-5 * * * *', /runs backwards/],
    ['0 0 * FOO *', /not a number or name/],
    ['? * * * *', /not a number/],
    ['TZ=Europe/Berlin 0 2 * * *', /cronjob\.timeZone/],
    ['@every 5m', /@every is not a schedule/],
    ['@fortnightly', /unknown macro/],
  ])('refuses %s', (s, why) => {
    expect(cronScheduleProblem(s)).toMatch(why);
  });
});

describe('time zones (IANA names, case-sensitive as Go loads them)', () => {
  it.each(['Etc/UTC', 'UTC', 'Europe/Dublin', 'America/Argentina/Buenos_Aires', 'Asia/Tokyo'])('accepts %s', (z) => {
    expect(timeZoneProblem(z)).toBeUndefined();
  });
  it.each([
    ['Europe/berlin', /write Europe\/Berlin/],
    ['Mars/Olympus', /not a time zone of the IANA database/],
    ['+01:00', /not an IANA time zone name/],
    ['CET ', /not an IANA time zone name/],
  ])('refuses %s', (z, why) => {
    expect(timeZoneProblem(z)).toMatch(why);
  });
});

const codes = (...l: string[]) => diagnose(base('workloads:', ...l)).map((d) => `${d.code} ${d.path.join('.')}`);
const worker = ['  q:', '    kind: worker', '    type: container', '    build: { dockerfile: q/Dockerfile }'];
const cron = ['  c:', '    kind: cronjob', '    type: container', '    build: { dockerfile: Dockerfile }', '    cronjob: { schedule: "@daily" }'];

describe('what makes no sense for the kind', () => {
  it('a worker and a cronjob of type container, with exec and TCP probes on a port, are valid', () => {
    const diags = diagnose(base('workloads:', ...worker, '    port: 9000', '    probes: { liveness: { exec: [/bin/ok] }, readiness: { tcp: true } }', ...cron, '    probes: { liveness: { path: /alive, port: 9001 } }'));
    expect(diags.filter((d) => d.severity === 'error'), show(diags)).toEqual([]);
  });
  it.each([
    ['a worker marked user-facing', [...worker, '    userFacing: true'], 'INN081 workloads.q.userFacing'],
    ['a cronjob with autoscaling', [...cron, '    autoscaling: { cpuUtilization: 50 }'], 'INN082 workloads.c.autoscaling'],
    ['a cronjob with a readiness probe', [...cron, '    probes: { readiness: { exec: [/bin/ok] } }'], 'INN083 workloads.c.probes.readiness'],
    ['an HTTP probe on a worker with no port', [...worker, '    probes: { liveness: { path: /healthz } }'], 'INN083 workloads.q.probes.liveness'],
    ['a probe with two handlers', [...worker, '    probes: { liveness: { tcp: true, exec: [x], port: 9000 } }'], 'INN083 workloads.q.probes.liveness'],
    ['a probe with none', [...worker, '    probes: { liveness: { periodSeconds: 5 } }'], 'INN083 workloads.q.probes.liveness'],
    ['a port on an exec probe', [...worker, '    probes: { liveness: { exec: [x], port: 9000 } }'], 'INN083 workloads.q.probes.liveness.port'],
    ['a service with its liveness probe off', ['  api:', '    type: flask', '    probes: { liveness: false }'], 'INN083 workloads.api.probes.liveness'],
    ['a build block on flask', ['  api:', '    type: flask', '    build: { dockerfile: api/Dockerfile }'], 'INN085 workloads.api.build'],
    ['a cronjob block on a worker', [...worker, '    cronjob: { schedule: "@daily" }'], 'INN088 workloads.q.cronjob'],
    ['a react worker', ['  q:', '    kind: worker', '    type: react'], 'INN089 workloads.q.type'],
    ['a worker with metrics', [...worker, '    port: 9000', '    metrics: { path: /metrics }'], 'INN089 workloads.q.metrics'],
  ])('%s', (_name, lines, expected) => {
    expect(codes(...lines)).toContain(expected);
  });
  it('a user-facing: false service on an ingress is fine with two replicas', () => {
    const l = ['  api:', '    type: flask', '    userFacing: false', '    replicas: { min: 2 }', '    ingress: { path: /api }'];
    expect(diagnose(`${base('ingress: { host: a.example.com }', 'workloads:', ...l)}`).filter((d) => d.code === 'INN084')).toEqual([]);
    expect(codes('  api:', '    type: flask', '    userFacing: false', '    replicas: { min: 1 }').filter((c) => c.startsWith('INN084') || c.startsWith('INN031'))).toEqual([]);
  });
  it('a Dockerfile path outside the repository is refused by the schema', () => {
    expect(codes('  api:', '    type: container', '    build: { dockerfile: ../Dockerfile }').some((c) => c.endsWith('workloads.api.build.dockerfile'))).toBe(true);
    expect(codes('  api:', '    type: container', '    build: { dockerfile: /Dockerfile }').some((c) => c.endsWith('workloads.api.build.dockerfile'))).toBe(true);
  });
});
