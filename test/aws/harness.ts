/** Shared setup of the AWS integration tests: the fake AWS, fake credentials, an in-process CLI runner. */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { runCli } from '../../bin/cli.js';
import type { AwsCliIO } from '../../bin/cli.js';
import { exampleVariant, ROOT } from '../helpers.js';
import { FakeAws } from './fake-aws.js';

export const EXAMPLE_FILE = 'examples/innovate.yaml';

/** How many copies of the web workload make the cluster stack of BIG_SPEC outgrow the inline limit. */
const BIG_EXTRA_WORKLOADS = 12;

/**
 * The example with BIG_EXTRA_WORKLOADS more web workloads, each placed like web in production
 * (the On-Demand baseline): every workload adds its pod IAM role and Pod Identity association to
 * the cluster stack, which grows past the 51,200 bytes CloudFormation accepts inline while every
 * other stack of the example stays well under it. A valid spec in every environment.
 */
export const BIG_SPEC = exampleVariant((d) => {
  for (let i = 1; i <= BIG_EXTRA_WORKLOADS; i++) {
    d.workloads[`svc${i}`] = { ...structuredClone(d.workloads.web), ingress: { path: `/svc${i}` } };
    d.environments.production.overrides.workloads[`svc${i}`] = structuredClone(d.environments.production.overrides.workloads.web);
  }
});

/** Static fake credentials, no shared config files, no instance metadata: nothing leaves 127.0.0.1. */
export function fakeCredentials(): void {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    INNOVATE_AWS_POLL_SECONDS: '0.005',
    AWS_MAX_ATTEMPTS: '3',
  });
  for (const k of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_RETRY_MODE', 'INNOVATE_TEMPLATE_BUCKET']) delete process.env[k];
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A clock that moves one second per call: change set and snapshot names stay unique. */
export function steppingClock(start = Date.parse('2026-01-26T08:00:00.000Z')): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

export function runner(fake: FakeAws) {
  const clock = steppingClock();
  return async (args: readonly string[], extra: Partial<AwsCliIO> = {}, endpoint = fake.endpoint): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const io: AwsCliIO = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: ROOT, now: clock, interactive: false, ...extra };
    const code = await runCli([...args, '--endpoint-url', endpoint], io);
    return { code, stdout, stderr };
  };
}

/**
 * Starts the fake AWS for a test file, deploys staging once, and resets the fake before each
 * test. Returns the runner and `deployStaging`, which restores the state that deploy left.
 */
export function withDeployedStaging(fake: FakeAws) {
  const run = runner(fake);
  let deployed: ReturnType<FakeAws['save']>;
  beforeAll(async () => {
    fakeCredentials();
    await fake.start();
    const r = await run(['deploy', EXAMPLE_FILE, '--env', 'staging']);
    expect(r.code, r.stderr).toBe(0);
    deployed = fake.save();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());
  return { run, deployStaging: () => fake.restore(deployed) };
}

export { FakeAws };
