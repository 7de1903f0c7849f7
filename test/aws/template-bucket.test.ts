/**
 * Templates over 51,200 bytes go through the template bucket (--template-bucket,
 * INNOVATE_TEMPLATE_BUCKET): the pure decisions (names, keys, URLs, refusals), then plan and deploy
 * against the local fake AWS (its S3 PutObject and CloudFormation reading TemplateURL), then how
 * S3's answers are explained.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { explainAwsError } from '../../src/aws/errors.js';
import { MAX_TEMPLATE_BODY_BYTES, stackTargets, type StackTarget } from '../../src/aws/targets.js';
import { bucketNameProblem, planDeliveries, prefixProblem, templateBucketFrom, templateKey, templateUrl } from '../../src/aws/templates.js';
import { cloudformationEmitter } from '../../src/emitters/cloudformation/index.js';
import { compile } from '../../src/pipeline.js';
import { EXAMPLE } from '../helpers.js';
import { BIG_SPEC as BIG, EXAMPLE_FILE, FakeAws, withDeployedStaging } from './harness.js';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

// BIG: the example with more web workloads (BIG_SPEC of the harness): the cluster stack grows past the inline limit.
const DIR = mkdtempSync(join(tmpdir(), 'innovate-template-bucket-'));
const BIG_FILE = join(DIR, 'innovate.yaml');
writeFileSync(BIG_FILE, BIG);
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const bigTargets = (env: string) => stackTargets(compile(BIG, { file: 'innovate.yaml', environments: [env], emitters: [cloudformationEmitter] }).artifacts, env);
const STAGING_CLUSTER = bigTargets('staging').find((t) => t.stackName === 'innovate-staging-cluster')!;
const CLUSTER_KEY = `innovate/innovate-staging-cluster/${sha(STAGING_CLUSTER.body)}.json`;
const BUCKET = 'innovate-templates-300000000003-us-east-1';
const CLUSTER_URL = `https://${BUCKET}.s3.us-east-1.amazonaws.com/${CLUSTER_KEY}`;

const target = (over: Partial<StackTarget> & { body: string }): StackTarget => ({
  order: 1,
  stackName: 'innovate-staging-cluster',
  template: 'cloudformation/staging/cluster.json',
  environment: 'staging',
  accountId: '300000000003',
  region: 'us-east-1',
  capabilities: [],
  reads: [],
  publishes: [],
  bodyBytes: Buffer.byteLength(over.body),
  parameters: [],
  protectedResources: [],
  ...over,
});
const small = target({ stackName: 'innovate-staging-cost', template: 'cloudformation/staging/cost.json', body: '{"Resources":{}}' });
const large = target({ body: `{"Description":"${'x'.repeat(MAX_TEMPLATE_BODY_BYTES)}"}` });

describe('template bucket decisions (pure)', () => {
  it('the variant has exactly the premise: only the cluster stack is over the inline limit', () => {
    // The example itself sends every template inline; the variant is a valid spec in every environment.
    const example = compile(EXAMPLE, { file: 'innovate.yaml', emitters: [cloudformationEmitter] });
    const variant = compile(BIG, { file: 'innovate.yaml', policies: true, output: false }); // every emitter, so every rule
    expect(variant.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const env of ['staging', 'production']) {
      expect(stackTargets(example.artifacts, env).filter((t) => t.bodyBytes > MAX_TEMPLATE_BODY_BYTES)).toEqual([]);
      const over = bigTargets(env).filter((t) => t.bodyBytes > MAX_TEMPLATE_BODY_BYTES);
      expect(over.map((t) => t.stackName)).toEqual([`innovate-${env}-cluster`]);
    }
  });

  it('the flag wins over INNOVATE_TEMPLATE_BUCKET; an empty variable is no bucket', () => {
    expect(templateBucketFrom('flag-bucket', 'env-bucket')).toEqual({ bucket: 'flag-bucket', prefix: 'innovate/', source: '--template-bucket' });
    expect(templateBucketFrom(undefined, 'env-bucket', 'ci/')).toEqual({ bucket: 'env-bucket', prefix: 'ci/', source: 'INNOVATE_TEMPLATE_BUCKET' });
    expect(templateBucketFrom(undefined, '  ')).toBeUndefined();
    expect(templateBucketFrom(undefined, undefined)).toBeUndefined();
  });

  it('keys are content-addressed under the prefix and the stack name; URLs are regional', () => {
    expect(templateKey('innovate/', 's', '{}')).toBe(`innovate/s/${sha('{}')}.json`);
    expect(templateKey('ci/templates', 's', '{}')).toBe(`ci/templates/s/${sha('{}')}.json`);
    expect(templateKey('', 's', '{}')).toBe(`s/${sha('{}')}.json`);
    expect(templateKey('innovate/', 's', '{"a":1}')).not.toBe(templateKey('innovate/', 's', '{}'));
    expect(templateUrl('b-1', 'eu-west-1', 'innovate/s/k.json')).toBe('https://b-1.s3.eu-west-1.amazonaws.com/innovate/s/k.json');
    // A dotted name is not a valid TLS host label: path style, like the AWS CLI.
    expect(templateUrl('my.templates', 'us-west-2', "p(1)/s/k.json")).toBe('https://s3.us-west-2.amazonaws.com/my.templates/p(1)/s/k.json');
  });

  it('small templates stay inline, even with a bucket; a large one goes to the bucket of its account and region', () => {
    const none = planDeliveries([small], undefined);
    expect(none).toEqual({ deliveries: new Map([['innovate-staging-cost', { via: 'inline', bytes: small.bodyBytes }]]), problems: [] });
    const dr = { ...large, stackName: 'innovate-production-dr', accountId: '200000000002', region: 'us-west-2' };
    const { deliveries, problems } = planDeliveries([small, large, dr], { bucket: 'tpl-{account}-{region}', prefix: 'innovate/', source: '--template-bucket' });
    expect(problems).toEqual([]);
    expect(deliveries.get('innovate-staging-cost')).toEqual({ via: 'inline', bytes: small.bodyBytes });
    const key = `innovate/innovate-staging-cluster/${sha(large.body)}.json`;
    expect(deliveries.get('innovate-staging-cluster')).toEqual({ via: 's3', bytes: large.bodyBytes, bucket: 'tpl-300000000003-us-east-1', key, url: `https://tpl-300000000003-us-east-1.s3.us-east-1.amazonaws.com/${key}`, expectedOwner: '300000000003' });
    expect(deliveries.get('innovate-production-dr')).toMatchObject({ bucket: 'tpl-200000000002-us-west-2', url: expect.stringMatching(/^https:\/\/tpl-200000000002-us-west-2\.s3\.us-west-2\.amazonaws\.com\/innovate\/innovate-production-dr\//), expectedOwner: '200000000002' });
  });

  it('refusals: too large without a bucket, over 1 MB, unknown placeholders, names S3 refuses, bad prefixes', () => {
    expect(planDeliveries([small, large], undefined).problems).toEqual([
      `cloudformation/staging/cluster.json: the template is ${large.bodyBytes} bytes minified, over the 51200 bytes CloudFormation accepts inline: pass --template-bucket NAME (or set INNOVATE_TEMPLATE_BUCKET) to upload it to an S3 bucket of account 300000000003 in us-east-1 and send its URL (see docs/aws.md)`,
    ]);
    const huge = target({ body: 'x'.repeat(1_048_577) });
    expect(planDeliveries([huge], { bucket: 'b-1', prefix: '', source: '--template-bucket' }).problems).toEqual([
      'cloudformation/staging/cluster.json: the template is 1048577 bytes minified; CloudFormation accepts at most 1048576 bytes even from S3: split the platform into smaller specs',
    ]);
    const problems = (bucket: string, prefix = 'innovate/') => planDeliveries([small], { bucket, prefix, source: 'INNOVATE_TEMPLATE_BUCKET' }).problems;
    expect(problems('tpl-{regoin}')).toEqual(['INNOVATE_TEMPLATE_BUCKET "tpl-{regoin}": unknown placeholder {regoin}; only {region} and {account} are replaced']);
    expect(problems('Tpl_{region}')).toEqual(['INNOVATE_TEMPLATE_BUCKET "Tpl_{region}" (Tpl_us-east-1 in us-east-1): not a usable S3 bucket name: a bucket name has only lowercase letters, digits, dots and hyphens, and begins and ends with a letter or digit']);
    expect(problems('b-1', '/abs/')).toEqual(['--template-prefix "/abs/": a key prefix does not begin with /']);
    expect(problems('b-1', 'a/../b')).toEqual(['--template-prefix "a/../b": a key prefix has no empty, . or .. segments']);
    expect(problems('')).toEqual(['INNOVATE_TEMPLATE_BUCKET "": the bucket name is empty']);
    expect(problems('ok-{account}-{region}')).toEqual([]);
  });

  it.each([
    ['ab', /3 to 63/],
    ['a'.repeat(64), /3 to 63/],
    ['my..bucket', /adjacent dots/],
    ['192.168.1.1', /IP address/],
    ['xn--bucket', /xn--/],
    ['bucket--x-s3', /general purpose/],
    ['-bucket', /begins and ends/],
  ])('bucket name %s is refused', (name, why) => {
    expect(bucketNameProblem(name)).toMatch(why);
  });

  it('valid names and prefixes pass', () => {
    for (const n of ['abc', 'my.templates', 'innovate-templates-300000000003-us-east-1']) expect(bucketNameProblem(n)).toBeUndefined();
    for (const p of ['', 'innovate/', 'ci/templates', "a/b_c-(1)!*'./"]) expect(prefixProblem(p)).toBeUndefined();
    expect(prefixProblem('a b/')).toMatch(/only letters/);
    expect(prefixProblem('a//b/')).toMatch(/empty/);
  });
});

describe('S3 errors explained', () => {
  const upload = { bucket: 'tpl', key: 'innovate/innovate-staging-cluster/abc.json', region: 'us-east-1', account: '300000000003' };
  const s3 = (name: string, message: string, status: number, extra: object = {}) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } }, extra);
  const explain = (e: unknown) => explainAwsError(e, 'uploading x', 'EP', upload);

  it('NoSuchBucket: create it in the account and region, or name another', () => {
    const ex = explain(s3('NoSuchBucket', 'The specified bucket does not exist', 404));
    expect(ex).toMatchObject({ kind: 'other', fatal: true, exitCode: 2 });
    expect(ex.message).toBe('the template bucket tpl does not exist (NoSuchBucket) while uploading x: create it in account 300000000003, region us-east-1 (see docs/aws.md), or pass another --template-bucket; to use one bucket per region, name a bucket per region with {region}, e.g. --template-bucket innovate-templates-{account}-{region}');
  });

  it('a bucket in another region: says which, suggests {region}', () => {
    const redirect = explain(s3('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.', 301, { Endpoint: 'tpl.s3.us-west-2.amazonaws.com' }));
    expect(redirect.message).toBe("the template bucket tpl is not in us-east-1 but in us-west-2 (PermanentRedirect) while uploading x: innovate uploads a stack's template to a bucket of the stack's region; name a bucket per region with {region}, e.g. --template-bucket innovate-templates-{account}-{region}");
    const header = explain(s3('PermanentRedirect', 'moved', 301, { $response: { headers: { 'x-amz-bucket-region': 'eu-central-1' } } }));
    expect(header.message).toContain('not in us-east-1 but in eu-central-1 (PermanentRedirect)');
    const malformed = explain(s3('AuthorizationHeaderMalformed', "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'ap-south-1'", 400));
    expect(malformed.message).toContain('not in us-east-1 but in ap-south-1 (AuthorizationHeaderMalformed)');
    const bare = explain(s3('301', 'UnknownError', 301));
    expect(bare.message).toMatch(/^the template bucket tpl is not in us-east-1 \(301\)/);
  });

  it('AccessDenied on PutObject: another owner (ExpectedBucketOwner) or missing s3:PutObject on the prefix', () => {
    const ex = explain(s3('AccessDenied', 'Access Denied', 403));
    expect(ex).toMatchObject({ kind: 'access', fatal: true, exitCode: 2 });
    expect(ex.message).toBe(
      "access denied (AccessDenied: Access Denied) while uploading x: either bucket tpl is not owned by account 300000000003 (innovate sends ExpectedBucketOwner 300000000003 and never uploads a template into another account's bucket), or the caller lacks s3:PutObject on arn:aws:s3:::tpl/innovate/innovate-staging-cluster/* (or kms:GenerateDataKey on the bucket's key, or a bucket policy demands an encryption header: pass --template-kms-key; see docs/aws.md)",
    );
    // The same error outside an upload keeps the generic explanation.
    expect(explainAwsError(s3('AccessDenied', 'Access Denied', 403), 'doing', 'EP').message).toBe('access denied while doing: Access Denied (grant the permissions listed in docs/aws.md)');
  });

  it('KMS refusals; expired credentials stay credential errors during an upload', () => {
    expect(explain(s3('KMS.DisabledException', 'arn:aws:kms:... is disabled.', 400)).message).toMatch(/^S3 could not encrypt the template for bucket tpl with KMS \(KMS\.DisabledException/);
    expect(explain(s3('ExpiredToken', 'The provided token has expired.', 400)).kind).toBe('credentials');
  });

  it('CloudFormation unable to read the TemplateURL: the caller needs s3:GetObject and kms:Decrypt', () => {
    for (const msg of ['S3 error: Access Denied\nFor more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html', 'TemplateURL must be a supported URL.']) {
      const ex = explainAwsError(s3('ValidationError', msg, 400), 'validating t', 'EP');
      expect(ex).toMatchObject({ kind: 'access', exitCode: 3, fatal: true });
      expect(ex.message).toMatch(/^CloudFormation could not read the template from S3 while validating t: .* \(it reads the object with the caller's credentials: grant s3:GetObject on the template prefix, and kms:Decrypt/);
      expect(ex.message).not.toContain('\n');
    }
    // Other template errors remain findings.
    expect(explainAwsError(s3('ValidationError', 'Template format error: bad', 400), 'validating t', 'EP').kind).toBe('validation');
  });
});

const fake = new FakeAws();
const { run, deployStaging } = withDeployedStaging(fake);
const STAGING = ['--env', 'staging'];
const WITH_BUCKET = ['--template-bucket', 'innovate-templates-{account}-{region}'];

const puts = () => fake.callsOf('PutObject');
const calls = (action: string, stack: string) => fake.callsOf(action).filter((c) => c.params.get('StackName') === stack || (action === 'ValidateTemplate' && c.params.get('TemplateURL')?.includes(`/${stack}/`)));

describe('plan and deploy through the template bucket (fake AWS)', () => {
  beforeEach(() => {
    delete process.env.INNOVATE_TEMPLATE_BUCKET;
    fake.buckets.set(BUCKET, { account: '300000000003', region: 'us-east-1' });
  });

  it('small templates stay inline: no upload, even with a bucket', async () => {
    await deployStaging();
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING, ...WITH_BUCKET]);
    expect(r.code, r.stderr).toBe(0);
    expect(puts()).toHaveLength(0);
    expect(fake.callsOf('CreateChangeSet')).toHaveLength(9);
    for (const c of [...fake.callsOf('CreateChangeSet'), ...fake.callsOf('ValidateTemplate')]) {
      expect(c.params.get('TemplateURL')).toBeNull();
      expect(c.params.get('TemplateBody')).not.toBeNull();
    }
    expect(r.stdout).not.toContain('sent as https://');
  });

  it('an oversized template without a bucket is refused before any AWS call, saying what to do (exit 2)', async () => {
    for (const cmd of ['plan', 'deploy']) {
      const r = await run([cmd, BIG_FILE, ...STAGING]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toBe(
        `cloudformation/staging/cluster.json: the template is ${STAGING_CLUSTER.bodyBytes} bytes minified, over the 51200 bytes CloudFormation accepts inline: pass --template-bucket NAME (or set INNOVATE_TEMPLATE_BUCKET) to upload it to an S3 bucket of account 300000000003 in us-east-1 and send its URL (see docs/aws.md)\n`,
      );
    }
    expect(fake.calls).toHaveLength(0);
  });

  it('an unusable bucket name is refused before any AWS call', async () => {
    const r = await run(['plan', BIG_FILE, ...STAGING, '--template-bucket', 'Templates_{region}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--template-bucket "Templates_{region}" (Templates_us-east-1 in us-east-1): not a usable S3 bucket name');
    expect(fake.calls).toHaveLength(0);
  });

  it('plan uploads the oversized template once (content-addressed key, ExpectedBucketOwner, the bucket\'s own encryption) and the change set uses its URL', async () => {
    await deployStaging();
    const r = await run(['plan', BIG_FILE, ...STAGING, ...WITH_BUCKET]);
    expect(r.code, r.stderr).toBe(0);
    expect(puts()).toHaveLength(1);
    const put = puts()[0]!;
    expect(put.region).toBe('us-east-1');
    // No encryption header: the bucket's default encryption (its customer-managed key, when set) applies.
    expect(Object.fromEntries(put.params)).toEqual({ Bucket: BUCKET, Key: CLUSTER_KEY, ContentType: 'application/json', ServerSideEncryption: '', SSEKMSKeyId: '', ExpectedBucketOwner: '300000000003' });
    expect(fake.objects.get(`${BUCKET}/${CLUSTER_KEY}`)!.body).toBe(STAGING_CLUSTER.body);
    // The upload comes before CloudFormation reads it.
    const order = fake.calls.map((c) => c.action);
    expect(order.indexOf('PutObject')).toBeLessThan(order.indexOf('ValidateTemplate', order.indexOf('PutObject')));
    const validate = calls('ValidateTemplate', 'innovate-staging-cluster');
    expect(validate).toHaveLength(1);
    expect(validate[0]!.params.get('TemplateURL')).toBe(CLUSTER_URL);
    expect(validate[0]!.params.get('TemplateBody')).toBeNull();
    const create = calls('CreateChangeSet', 'innovate-staging-cluster');
    expect(create).toHaveLength(1);
    expect(create[0]!.params.get('TemplateURL')).toBe(CLUSTER_URL);
    expect(create[0]!.params.get('TemplateBody')).toBeNull();
    // The other stacks still go inline.
    expect(calls('CreateChangeSet', 'innovate-staging-network')[0]!.params.get('TemplateBody')).not.toBeNull();
    expect(r.stdout).toMatch(/innovate-staging-cluster \(us-east-1, UPDATE\): \d+ to add/);
    expect(r.stdout).toContain(`  template: ${STAGING_CLUSTER.bodyBytes} bytes, sent as ${CLUSTER_URL}`);

    // A second run uploads to the same key: nothing new in the bucket.
    const again = await run(['plan', BIG_FILE, ...STAGING, ...WITH_BUCKET]);
    expect(again.code, again.stderr).toBe(0);
    expect(puts().map((c) => c.params.get('Key'))).toEqual([CLUSTER_KEY, CLUSTER_KEY]);
    expect([...fake.objects.keys()]).toEqual([`${BUCKET}/${CLUSTER_KEY}`]);
  });

  it('--template-kms-key encrypts the upload with SSE-KMS under that key', async () => {
    await deployStaging();
    const key = 'arn:aws:kms:us-east-1:300000000003:alias/innovate-templates';
    const r = await run(['plan', BIG_FILE, ...STAGING, ...WITH_BUCKET, '--template-kms-key', key]);
    expect(r.code, r.stderr).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(puts()[0]!.params.get('ServerSideEncryption')).toBe('aws:kms');
    expect(puts()[0]!.params.get('SSEKMSKeyId')).toBe(key);
  });

  it('--format json records per stack how the template is sent', async () => {
    await deployStaging();
    const r = await run(['plan', BIG_FILE, ...STAGING, ...WITH_BUCKET, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { stacks: { stackName: string; templateVia: string; templateBytes: number; templateUrl?: string }[] };
    const cluster = plan.stacks.find((s) => s.stackName === 'innovate-staging-cluster')!;
    expect(cluster).toMatchObject({ templateVia: 's3', templateBytes: STAGING_CLUSTER.bodyBytes, templateUrl: CLUSTER_URL });
    const cost = plan.stacks.find((s) => s.stackName === 'innovate-staging-cost')!;
    expect(cost.templateVia).toBe('inline');
    expect(cost).not.toHaveProperty('templateUrl');
  });

  it('INNOVATE_TEMPLATE_BUCKET when the flag is absent; the flag wins when both are set; --template-prefix', async () => {
    await deployStaging();
    process.env.INNOVATE_TEMPLATE_BUCKET = BUCKET;
    const fromEnv = await run(['plan', BIG_FILE, ...STAGING]);
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(puts().map((c) => `${c.params.get('Bucket')}/${c.params.get('Key')}`)).toEqual([`${BUCKET}/${CLUSTER_KEY}`]);

    fake.calls.length = 0;
    process.env.INNOVATE_TEMPLATE_BUCKET = 'no-such-bucket';
    const flagWins = await run(['plan', BIG_FILE, ...STAGING, '--template-bucket', BUCKET, '--template-prefix', 'ci/templates']);
    expect(flagWins.code, flagWins.stderr).toBe(0);
    expect(puts().map((c) => `${c.params.get('Bucket')}/${c.params.get('Key')}`)).toEqual([`${BUCKET}/ci/templates/innovate-staging-cluster/${sha(STAGING_CLUSTER.body)}.json`]);
  });

  it('deploy on an empty account creates the oversized stack from its URL, uploading it once', async () => {
    const r = await run(['deploy', BIG_FILE, ...STAGING, ...WITH_BUCKET]);
    expect(r.code, r.stderr).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(puts()[0]!.params.get('Key')).toBe(CLUSTER_KEY);
    expect(r.stdout).toContain(`innovate-staging-cluster (us-east-1): template of ${STAGING_CLUSTER.bodyBytes} bytes uploaded, sent as ${CLUSTER_URL}`);
    expect(calls('CreateChangeSet', 'innovate-staging-cluster')[0]!.params.get('TemplateURL')).toBe(CLUSTER_URL);
    const cluster = fake.stacks.get('innovate-staging-cluster')!;
    expect(cluster.status).toBe('CREATE_COMPLETE');
    expect(cluster.template).toEqual(JSON.parse(STAGING_CLUSTER.body));
    expect(r.stdout).toContain('Deploy of staging complete.');
  });

  it('S3 errors stop the run with their explanation: no bucket, another region, another owner', async () => {
    await deployStaging();
    fake.buckets.clear();
    const missing = await run(['plan', BIG_FILE, ...STAGING, ...WITH_BUCKET]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain(`innovate-staging-cluster (us-east-1, UPDATE): ERROR: the template bucket ${BUCKET} does not exist (NoSuchBucket) while uploading cloudformation/staging/cluster.json to s3://${BUCKET}/${CLUSTER_KEY} (s3:PutObject): create it in account 300000000003, region us-east-1`);
    expect(missing.stdout).toContain('innovate-staging-data (us-east-1): not planned (stopped before it)');
    expect(calls('CreateChangeSet', 'innovate-staging-cluster')).toHaveLength(0);

    fake.buckets.set('tpl-elsewhere', { account: '300000000003', region: 'us-west-2' });
    const elsewhere = await run(['deploy', BIG_FILE, ...STAGING, '--template-bucket', 'tpl-elsewhere']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain("innovate-staging-cluster: the template bucket tpl-elsewhere is not in us-east-1 but in us-west-2 (PermanentRedirect) while uploading cloudformation/staging/cluster.json to s3://tpl-elsewhere/");
    expect(elsewhere.stderr).toContain('name a bucket per region with {region}');
    expect(elsewhere.stdout).toMatch(/innovate-staging-data\s+us-east-1\s+not started \(stopped after innovate-staging-cluster\)/);

    fake.buckets.set('tpl-theirs', { account: '999999999999', region: 'us-east-1' });
    const theirs = await run(['plan', BIG_FILE, ...STAGING, '--template-bucket', 'tpl-theirs']);
    expect(theirs.code).toBe(2);
    expect(theirs.stderr).toContain('innovate-staging-cluster: access denied (AccessDenied: Access Denied) while uploading cloudformation/staging/cluster.json to s3://tpl-theirs/');
    expect(theirs.stderr).toContain('either bucket tpl-theirs is not owned by account 300000000003 (innovate sends ExpectedBucketOwner 300000000003');
    expect(fake.objects.size).toBe(0);
  });

  it('CloudFormation unable to read the uploaded template is explained (exit 3)', async () => {
    await deployStaging();
    fake.templateUrlError = 'S3 error: Access Denied';
    const r = await run(['plan', BIG_FILE, ...STAGING, ...WITH_BUCKET]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('innovate-staging-network (us-east-1, UPDATE): no changes'); // inline: unaffected
    expect(r.stderr).toContain("innovate-staging-cluster: CloudFormation could not read the template from S3 while validating cloudformation/staging/cluster.json (cloudformation:ValidateTemplate): S3 error: Access Denied (it reads the object with the caller's credentials");
    expect(calls('CreateChangeSet', 'innovate-staging-cluster')).toHaveLength(0);
  });
});
