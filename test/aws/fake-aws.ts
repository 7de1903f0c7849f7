/**
 * A local stand-in for AWS that speaks the query protocol (form-encoded POST, XML responses
 * shaped like the real ones) for the CloudFormation, STS, RDS and IAM (GetRole) calls innovate
 * makes, S3's REST PutObject (path style) for templates too large to send inline, Route 53's
 * REST-XML GetHostedZone and ECR's JSON 1.1 DescribeImages (external inputs), so the real SDK's
 * serialization, signing, retries, waiters and error parsing run against it.
 *
 * It keeps stacks in memory (templates, resources, change sets, events, policies, termination
 * protection, drift) and moves stack operations forward one step per DescribeStacks call. Tests
 * can make a call fail, throttle, fail a resource during execution, leave a stack in a given
 * state, or report drift.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const NS = {
  cloudformation: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  route53: 'https://route53.amazonaws.com/doc/2013-04-01/',
} as const;

/**
 * The hosted zones of examples/innovate.yaml, each a public zone in its environment's account:
 * every deploy of the example checks its zone (innovate's external inputs) before any change.
 */
export const EXAMPLE_ZONES: readonly [string, { name: string; privateZone: boolean; account: string }][] = [
  ['Z0123456789ABCDEFGHIJ', { name: 'innovate.example.', privateZone: false, account: '200000000002' }],
  ['Z0987654321KLMNOPQRST', { name: 'staging.innovate.example.', privateZone: false, account: '300000000003' }],
];

type Xml = string | number | boolean | Date | undefined | Xml[] | Members | { [k: string]: Xml };

/** A list whose members have their own element name (RDS: <DBClusterSnapshot>, not <member>). */
class Members {
  constructor(
    readonly name: string,
    readonly items: Xml[],
  ) {}
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Query-protocol XML: arrays are <member> lists, dates ISO 8601, booleans true/false. */
function toXml(value: Xml): string {
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (value instanceof Members) return value.items.map((v) => `<${value.name}>${toXml(v)}</${value.name}>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return esc(String(value));
}

let requestCounter = 0;
const requestId = () => `00000000-0000-4000-8000-${String(++requestCounter).padStart(12, '0')}`;

export interface Resource {
  logicalId: string;
  type: string;
  physicalId: string;
  properties: unknown;
}

export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  Timestamp: Date;
  ResourceStatus: string;
  ResourceStatusReason?: string;
}

interface Change {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  type: string;
  physicalId?: string;
  replacement?: string;
  properties: string[];
}

interface ChangeSet {
  name: string;
  id: string;
  type: 'CREATE' | 'UPDATE';
  template: { Resources?: Record<string, { Type: string; Properties?: unknown }> };
  parameters: Record<string, string>;
  tags: Record<string, string>;
  capabilities: string[];
  status: string;
  statusReason?: string;
  executionStatus: string;
  changes: Change[];
  polls: number;
}

export interface Stack {
  name: string;
  id: string;
  region: string;
  status: string;
  statusReason?: string;
  created: Date;
  template?: ChangeSet['template'];
  resources: Map<string, Resource>;
  tags: Record<string, string>;
  capabilities: string[];
  parameters: Record<string, string>;
  terminationProtection: boolean;
  policy?: string;
  events: StackEvent[]; // oldest first
  changeSets: Map<string, ChangeSet>;
  /** Events still to be emitted by the running operation, and its final status. */
  pending?: { events: Omit<StackEvent, 'EventId' | 'StackId' | 'StackName' | 'Timestamp'>[]; final: string; apply?: () => void };
}

export interface Fault {
  action: string;
  code: string;
  message: string;
  status?: number;
  /** How many times (default: every time). */
  times?: number;
  /** Only for requests about this stack. */
  stackName?: string;
}

export interface CallRecord {
  action: string;
  region: string;
  params: URLSearchParams;
}

export class FakeAws {
  readonly stacks = new Map<string, Stack>();
  readonly calls: CallRecord[] = [];
  readonly snapshots = new Map<string, { cluster: string; status: string; polls: number; tags: Record<string, string> }>();
  readonly drifts = new Map<string, { logicalId: string; differences: { path: string; expected: string; actual: string; type: string }[]; status?: string }[]>();
  private readonly detections = new Map<string, { stackName: string; polls: number }>();
  account = '300000000003';
  arn = 'arn:aws:iam::300000000003:user/deployer';
  /** Replacement reported for a modified resource, by logical id (default False). */
  readonly replacements = new Map<string, string>();
  /** Resources that fail during the next execution on a stack: stackName -> [logicalId, reason]. */
  readonly failResource = new Map<string, [string, string]>();
  /** Change sets of these stacks fail to create with this reason. */
  readonly failChangeSet = new Map<string, string>();
  /** Snapshots end up in this status (available, or failed). */
  snapshotOutcome = 'available';
  /** Events emitted per DescribeStacks while an operation runs. */
  eventsPerTick = 40;
  /** Changes per DescribeChangeSet page. */
  changesPageSize = 25;
  eventsPageSize = 50;
  /** S3 buckets by name: the owning account and the region. */
  readonly buckets = new Map<string, { account: string; region: string }>();
  /** Uploaded objects by "bucket/key": the body and the headers of the PutObject request. */
  readonly objects = new Map<string, { body: string; headers: Record<string, string> }>();
  /** CloudFormation fails to read any TemplateURL with this message (e.g. "S3 error: Access Denied"). */
  templateUrlError: string | undefined;
  /** IAM roles by name, with the account they are in (GetRole answers only the caller's account's). */
  readonly roles = new Map<string, { account: string }>();
  /** Route 53 hosted zones by id (no /hostedzone/ prefix); the example's zones by default. */
  readonly zones = new Map<string, { name: string; privateZone: boolean; account: string }>(EXAMPLE_ZONES.map(([k, v]) => [k, { ...v }]));
  /** ECR repositories by "region/name": their account and the tags pushed. */
  readonly repositories = new Map<string, { account: string; tags: Set<string> }>();
  private faults: Fault[] = [];
  private server?: Server;
  endpoint = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e.stack ?? e));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  reset(): void {
    this.stacks.clear();
    this.calls.length = 0;
    this.snapshots.clear();
    this.drifts.clear();
    this.detections.clear();
    this.replacements.clear();
    this.failResource.clear();
    this.failChangeSet.clear();
    this.buckets.clear();
    this.objects.clear();
    this.templateUrlError = undefined;
    this.roles.clear();
    this.zones.clear();
    for (const [k, v] of EXAMPLE_ZONES) this.zones.set(k, { ...v });
    this.repositories.clear();
    this.snapshotOutcome = 'available';
    this.faults = [];
    this.account = '300000000003';
    this.arn = 'arn:aws:iam::300000000003:user/deployer';
  }

  /** A copy of every stack (after a deploy) to start later tests from. */
  save(): Map<string, Stack> {
    for (const st of this.stacks.values()) if (st.pending) throw new Error(`${st.name} has an operation running`);
    return structuredClone(this.stacks);
  }

  restore(saved: Map<string, Stack>): void {
    this.stacks.clear();
    for (const [k, v] of structuredClone(saved)) this.stacks.set(k, v);
  }

  fail(fault: Fault): void {
    this.faults.push(fault);
  }

  throttle(action: string, times: number): void {
    this.fail({ action, code: 'Throttling', message: 'Rate exceeded', times });
  }

  /** An image tag pushed to a repository (creating the repository) in the current account. */
  pushImage(region: string, repositoryName: string, tag: string, account = this.account): void {
    const key = `${region}/${repositoryName}`;
    const repo = this.repositories.get(key) ?? { account, tags: new Set<string>() };
    repo.tags.add(tag);
    this.repositories.set(key, repo);
  }

  callsOf(action: string): CallRecord[] {
    return this.calls.filter((c) => c.action === action);
  }

  /** Puts a stack directly into a state (as if an earlier deploy had left it there). */
  seed(name: string, status: string, template: ChangeSet['template'] = { Resources: {} }, region = 'us-east-1'): Stack {
    const stack = this.newStack(name, region);
    stack.status = status;
    stack.template = template;
    for (const [id, r] of Object.entries(template.Resources ?? {})) stack.resources.set(id, { logicalId: id, type: r.Type, physicalId: this.physicalId(name, id, r), properties: r.Properties });
    this.stacks.set(name, stack);
    this.event(stack, { LogicalResourceId: name, PhysicalResourceId: stack.id, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: status });
    return stack;
  }

  // ------------------------------------------------------------------ plumbing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
    const region = scope?.[1] ?? 'unknown';
    if (scope?.[2] === 's3') return this.s3(req, res, region, Buffer.concat(chunks).toString('utf8'));
    if (scope?.[2] === 'route53') return this.route53(req, res, region);
    if (scope?.[2] === 'ecr') return this.ecr(req, res, region, Buffer.concat(chunks).toString('utf8'));
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const action = params.get('Action') ?? '';
    const service = (scope?.[2] ?? 'cloudformation') as keyof typeof NS;
    this.calls.push({ action, region, params });
    const stackName = params.get('StackName') ?? undefined;

    const fault = this.faults.find((f) => f.action === action && (!f.stackName || f.stackName === stackName) && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      return this.error(res, service, fault.code, fault.message, fault.status ?? (fault.code === 'AccessDenied' || fault.code === 'ExpiredToken' ? 403 : 400));
    }
    try {
      const result = this.dispatch(action, params, region);
      const ns = NS[service] ?? NS.cloudformation;
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId() });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`);
    } catch (e) {
      if (e instanceof AwsError) return this.error(res, service, e.code, e.message, e.status);
      throw e;
    }
  }

  /** Route 53 GetHostedZone (REST-XML: GET /2013-04-01/hostedzone/<id>). */
  private route53(req: IncomingMessage, res: ServerResponse, region: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/2013-04-01\/hostedzone\/([^/]+)$/.exec(url.pathname);
    const action = req.method === 'GET' && m ? 'GetHostedZone' : `${req.method} ${url.pathname}`;
    const id = decodeURIComponent(m?.[1] ?? '');
    this.calls.push({ action, region, params: new URLSearchParams({ Id: id }) });
    const fail = (status: number, code: string, message: string) => {
      const rid = requestId();
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': rid });
      res.end(`<?xml version="1.0"?>\n<ErrorResponse xmlns="${NS.route53}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${rid}</RequestId></ErrorResponse>`);
    };
    const fault = this.faults.find((f) => f.action === action && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      return fail(fault.status ?? (fault.code === 'AccessDenied' ? 403 : 400), fault.code, fault.message);
    }
    if (action !== 'GetHostedZone') return fail(404, 'UnknownOperationException', `Unknown operation ${action}`);
    const zone = this.zones.get(id);
    if (!zone) return fail(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${id}`);
    // Another account's zone: Route 53 denies access to the resource itself.
    if (zone.account !== this.account) return fail(403, 'AccessDenied', `User: ${this.arn} is not authorized to access this resource`);
    res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId() });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<GetHostedZoneResponse xmlns="${NS.route53}">` +
        toXml({ HostedZone: { Id: `/hostedzone/${id}`, Name: zone.name, CallerReference: `innovate-test-${id}`, Config: { PrivateZone: zone.privateZone }, ResourceRecordSetCount: 2 } }) +
        (zone.privateZone ? '' : `<DelegationSet><NameServers><NameServer>ns-2048.awsdns-64.com</NameServer><NameServer>ns-2049.awsdns-65.net</NameServer></NameServers></DelegationSet>`) +
        `</GetHostedZoneResponse>`,
    );
  }

  /** ECR DescribeImages (JSON 1.1: POST, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.<Action>). */
  private ecr(req: IncomingMessage, res: ServerResponse, region: string, body: string): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.split('.')[1] ?? target;
    const input = JSON.parse(body || '{}') as { repositoryName?: string; registryId?: string; imageIds?: { imageTag?: string; imageDigest?: string }[] };
    this.calls.push({ action, region, params: new URLSearchParams({ repositoryName: input.repositoryName ?? '', imageTags: (input.imageIds ?? []).map((i) => i.imageTag ?? '').join(',') }) });
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() });
      res.end(JSON.stringify(json));
    };
    const fail = (status: number, code: string, message: string) => reply(status, { __type: code, message });
    const fault = this.faults.find((f) => f.action === action && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      return fail(fault.status ?? 400, fault.code, fault.message);
    }
    if (action !== 'DescribeImages') return fail(400, 'UnknownOperationException', `Unknown operation ${target}`);
    const name = input.repositoryName ?? '';
    const repo = this.repositories.get(`${region}/${name}`);
    if (!repo || repo.account !== this.account) return fail(400, 'RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${this.account}'`);
    const details = [];
    for (const id of input.imageIds ?? []) {
      if (!id.imageTag || !repo.tags.has(id.imageTag)) return fail(400, 'ImageNotFoundException', `The image with imageId {imageDigest:'null', imageTag:'${id.imageTag}'} does not exist within the repository with name '${name}' in the registry with id '${this.account}'`);
      details.push({ registryId: this.account, repositoryName: name, imageDigest: `sha256:${'0'.repeat(64)}`, imageTags: [id.imageTag], imageSizeInBytes: 52_428_800, imagePushedAt: 1769414400, imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' });
    }
    return reply(200, { imageDetails: details });
  }

  /** S3 PutObject, path style (/bucket/key): what innovate does with an oversized template. */
  private s3(req: IncomingMessage, res: ServerResponse, region: string, body: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const [bucket = '', ...rest] = url.pathname.slice(1).split('/').map(decodeURIComponent);
    const key = rest.join('/');
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : '');
    const action = req.method === 'PUT' && key ? 'PutObject' : `${req.method} ${url.pathname}`;
    this.calls.push({
      action,
      region,
      params: new URLSearchParams({
        Bucket: bucket,
        Key: key,
        ContentType: header('content-type'),
        ServerSideEncryption: header('x-amz-server-side-encryption'),
        SSEKMSKeyId: header('x-amz-server-side-encryption-aws-kms-key-id'),
        ExpectedBucketOwner: header('x-amz-expected-bucket-owner'),
      }),
    });
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId(), ...headers });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message>${toXml(extra)}<RequestId>${requestId()}</RequestId></Error>`);
    };
    const fault = this.faults.find((f) => f.action === action && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      return fail(fault.status ?? 400, fault.code, fault.message);
    }
    if (action !== 'PutObject') return fail(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const b = this.buckets.get(bucket);
    if (!b) return fail(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    // S3 checks the owner before the region: a wrong owner is 403 wherever the bucket is.
    const owner = header('x-amz-expected-bucket-owner');
    if (owner && owner !== b.account) return fail(403, 'AccessDenied', 'Access Denied');
    if (b.region !== region)
      return fail(301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', { Endpoint: `${bucket}.s3.${b.region}.amazonaws.com`, Bucket: bucket }, { 'x-amz-bucket-region': b.region });
    const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string'));
    this.objects.set(`${bucket}/${key}`, { body, headers });
    res.writeHead(200, { etag: `"${requestId()}"`, 'x-amz-server-side-encryption': header('x-amz-server-side-encryption') || 'AES256', 'x-amz-request-id': requestId() });
    res.end();
  }

  /**
   * The template of a ValidateTemplate or CreateChangeSet request: TemplateBody (51,200 bytes at
   * most, as CloudFormation checks), or the object a TemplateURL names, read from the fake S3.
   */
  private templateOf(p: URLSearchParams, region: string): string {
    const body = p.get('TemplateBody');
    const url = p.get('TemplateURL');
    if (body !== null && url !== null) throw new AwsError('ValidationError', 'Specify exactly one of TemplateBody or TemplateUrl.');
    if (body !== null) {
      if (Buffer.byteLength(body, 'utf8') > 51_200) throw new AwsError('ValidationError', "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200");
      return body;
    }
    if (url === null) throw new AwsError('ValidationError', 'Either Template URL or Template Body must be specified.');
    if (this.templateUrlError) throw new AwsError('ValidationError', this.templateUrlError);
    const u = new URL(url);
    const hosted = /^([a-z0-9-]+)\.s3\.([a-z0-9-]+)\.amazonaws\.com$/.exec(u.hostname);
    const pathStyle = /^s3\.([a-z0-9-]+)\.amazonaws\.com$/.exec(u.hostname);
    const segments = u.pathname.slice(1).split('/').map(decodeURIComponent);
    const [bucket, urlRegion, key] = hosted ? [hosted[1]!, hosted[2]!, segments.join('/')] : pathStyle ? [segments[0]!, pathStyle[1]!, segments.slice(1).join('/')] : [];
    if (u.protocol !== 'https:' || !bucket) throw new AwsError('ValidationError', 'TemplateURL must be a supported URL.');
    if (urlRegion !== region || this.buckets.get(bucket)?.region !== region) throw new AwsError('ValidationError', 'S3 error: The bucket you are attempting to access must be addressed using the specified endpoint.');
    const object = this.objects.get(`${bucket}/${key}`);
    if (!object) throw new AwsError('ValidationError', 'S3 error: The specified key does not exist.');
    return object.body;
  }

  private error(res: ServerResponse, service: keyof typeof NS, code: string, message: string, status: number): void {
    const id = requestId();
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': id });
    res.end(`<ErrorResponse xmlns="${NS[service] ?? NS.cloudformation}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`);
  }

  private list(params: URLSearchParams, prefix: string): string[] {
    const out: string[] = [];
    for (let i = 1; params.has(`${prefix}.member.${i}`); i++) out.push(params.get(`${prefix}.member.${i}`)!);
    return out;
  }

  private pairs(params: URLSearchParams, prefix: string, k: string, v: string, member = 'member'): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 1; params.has(`${prefix}.${member}.${i}.${k}`); i++) out[params.get(`${prefix}.${member}.${i}.${k}`)!] = params.get(`${prefix}.${member}.${i}.${v}`) ?? '';
    return out;
  }

  private newStack(name: string, region: string): Stack {
    return {
      name,
      id: `arn:aws:cloudformation:${region}:${this.account}:stack/${name}/${requestId()}`,
      region,
      status: 'REVIEW_IN_PROGRESS',
      created: new Date(),
      resources: new Map(),
      tags: {},
      capabilities: [],
      parameters: {},
      terminationProtection: false,
      events: [],
      changeSets: new Map(),
    };
  }

  private physicalId(stack: string, id: string, r: { Type: string; Properties?: unknown }): string {
    const props = (r.Properties ?? {}) as Record<string, unknown>;
    if (r.Type === 'AWS::RDS::DBCluster' && typeof props.DBClusterIdentifier === 'string') return props.DBClusterIdentifier;
    return `${stack}-${id}-PHYS`.toLowerCase();
  }

  private event(stack: Stack, e: Omit<StackEvent, 'EventId' | 'StackId' | 'StackName' | 'Timestamp'>): void {
    stack.events.push({ ...e, EventId: `${e.LogicalResourceId}-${stack.events.length + 1}-${requestId()}`, StackId: stack.id, StackName: stack.name, Timestamp: new Date() });
  }

  private stack(name: string | null): Stack {
    const s = name ? this.stacks.get(name) ?? [...this.stacks.values()].find((x) => x.id === name) : undefined;
    if (!s) throw new AwsError('ValidationError', `Stack with id ${name} does not exist`);
    return s;
  }

  /** One step of a running operation: emits a few events; the last step sets the final status. */
  private tick(stack: Stack): void {
    const p = stack.pending;
    if (!p) return;
    for (const e of p.events.splice(0, this.eventsPerTick)) {
      this.event(stack, e);
      if (e.LogicalResourceId === stack.name && e.ResourceType === 'AWS::CloudFormation::Stack') stack.status = e.ResourceStatus;
    }
    if (p.events.length === 0) {
      stack.status = p.final;
      p.apply?.();
      stack.pending = undefined;
    }
  }

  private computeChanges(stack: Stack, template: ChangeSet['template']): Change[] {
    const next = template.Resources ?? {};
    const changes: Change[] = [];
    for (const [id, r] of Object.entries(next)) {
      const cur = stack.resources.get(id);
      if (!cur) changes.push({ action: 'Add', logicalId: id, type: r.Type, properties: [] });
      else if (JSON.stringify(cur.properties) !== JSON.stringify(r.Properties) || this.replacements.has(id)) {
        const a = (cur.properties ?? {}) as Record<string, unknown>;
        const b = (r.Properties ?? {}) as Record<string, unknown>;
        const props = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
        changes.push({ action: 'Modify', logicalId: id, type: r.Type, physicalId: cur.physicalId, replacement: this.replacements.get(id) ?? 'False', properties: props });
      }
    }
    for (const [id, cur] of stack.resources) if (!next[id]) changes.push({ action: 'Remove', logicalId: id, type: cur.type, physicalId: cur.physicalId, properties: [] });
    return changes;
  }

  // ------------------------------------------------------------------ actions

  private dispatch(action: string, p: URLSearchParams, region: string): Xml {
    switch (action) {
      case 'GetCallerIdentity':
        return { Arn: this.arn, UserId: 'AIDAEXAMPLEUSERID', Account: this.account };

      case 'GetRole': {
        const name = p.get('RoleName') ?? '';
        if (this.roles.get(name)?.account !== this.account) throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
        return {
          Role: {
            Path: '/',
            RoleName: name,
            RoleId: 'AROAEXAMPLEROLEID0001',
            Arn: `arn:aws:iam::${this.account}:role/${name}`,
            CreateDate: new Date('2026-01-01T00:00:00Z'),
            AssumeRolePolicyDocument: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}'),
            MaxSessionDuration: 3600,
          },
        };
      }

      case 'DescribeStacks': {
        const s = this.stack(p.get('StackName'));
        this.tick(s);
        if (s.status === 'DELETE_COMPLETE') throw new AwsError('ValidationError', `Stack with id ${s.name} does not exist`);
        return {
          Stacks: [
            {
              StackId: s.id,
              StackName: s.name,
              Description: 'stack',
              Parameters: Object.entries(s.parameters).map(([k, v]) => ({ ParameterKey: k, ParameterValue: v })),
              CreationTime: s.created,
              StackStatus: s.status,
              StackStatusReason: s.statusReason,
              DisableRollback: false,
              Capabilities: s.capabilities,
              Tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
              EnableTerminationProtection: s.terminationProtection,
              DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
            },
          ],
        };
      }

      case 'ValidateTemplate': {
        const body = this.templateOf(p, region);
        let t: { Parameters?: Record<string, { Default?: string; Description?: string }>; Description?: string };
        try {
          t = JSON.parse(body);
        } catch {
          throw new AwsError('ValidationError', 'Template format error: JSON not well-formed.');
        }
        return {
          Parameters: Object.entries(t.Parameters ?? {}).map(([k, v]) => ({ ParameterKey: k, DefaultValue: v.Default, NoEcho: false, Description: v.Description })),
          Description: t.Description,
        };
      }

      case 'CreateChangeSet': {
        const name = p.get('StackName')!;
        const csName = p.get('ChangeSetName')!;
        const type = (p.get('ChangeSetType') ?? 'UPDATE') as 'CREATE' | 'UPDATE';
        let stack = this.stacks.get(name);
        if (type === 'CREATE') {
          if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw new AwsError('ValidationError', `Stack [${name}] already exists and cannot be created again with the changeSet [${csName}].`);
          if (!stack) {
            stack = this.newStack(name, region);
            this.stacks.set(name, stack);
            this.event(stack, { LogicalResourceId: name, PhysicalResourceId: stack.id, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'REVIEW_IN_PROGRESS', ResourceStatusReason: 'User Initiated' });
          }
        } else {
          if (!stack) throw new AwsError('ValidationError', `Stack [${name}] does not exist`);
          if (stack.status === 'REVIEW_IN_PROGRESS') throw new AwsError('ValidationError', `Stack [${name}] does not exist`);
          if (stack.status.endsWith('_IN_PROGRESS') || stack.status === 'ROLLBACK_COMPLETE' || stack.status.endsWith('_FAILED'))
            throw new AwsError('ValidationError', `Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
        }
        if (stack.changeSets.has(csName)) throw new AwsError('AlreadyExistsException', `ChangeSet ${csName} already exists`);
        const template = JSON.parse(this.templateOf(p, region));
        const cs: ChangeSet = {
          name: csName,
          id: `arn:aws:cloudformation:${region}:${this.account}:changeSet/${csName}/${requestId()}`,
          type,
          template,
          parameters: this.pairs(p, 'Parameters', 'ParameterKey', 'ParameterValue'),
          tags: this.pairs(p, 'Tags', 'Key', 'Value'),
          capabilities: this.list(p, 'Capabilities'),
          status: 'CREATE_PENDING',
          executionStatus: 'UNAVAILABLE',
          changes: this.computeChanges(stack, template),
          polls: 0,
        };
        const needsIam = Object.values(template.Resources ?? {}).some((r) => (r as { Type: string }).Type === 'AWS::IAM::Role');
        if (needsIam && !cs.capabilities.includes('CAPABILITY_NAMED_IAM')) throw new AwsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]');
        stack.changeSets.set(csName, cs);
        return { Id: cs.id, StackId: stack.id };
      }

      case 'DescribeChangeSet': {
        const s = this.stack(p.get('StackName'));
        const cs = s.changeSets.get(p.get('ChangeSetName')!) ?? [...s.changeSets.values()].find((c) => c.id === p.get('ChangeSetName'));
        if (!cs) throw new AwsError('ChangeSetNotFound', `ChangeSet [${p.get('ChangeSetName')}] does not exist`, 404);
        if (cs.status === 'CREATE_PENDING' || cs.status === 'CREATE_IN_PROGRESS') {
          cs.polls++;
          if (cs.polls === 1) cs.status = 'CREATE_IN_PROGRESS';
          else {
            const forced = this.failChangeSet.get(s.name);
            if (forced) Object.assign(cs, { status: 'FAILED', statusReason: forced, executionStatus: 'UNAVAILABLE' });
            else if (cs.changes.length === 0 && cs.type === 'UPDATE')
              Object.assign(cs, { status: 'FAILED', statusReason: "The submitted information didn't contain changes. Submit different information to create a change set.", executionStatus: 'UNAVAILABLE' });
            else Object.assign(cs, { status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE' });
          }
        }
        const start = Number(p.get('NextToken') ?? 0);
        const page = cs.changes.slice(start, start + this.changesPageSize);
        const next = start + this.changesPageSize < cs.changes.length ? String(start + this.changesPageSize) : undefined;
        return {
          ChangeSetName: cs.name,
          ChangeSetId: cs.id,
          StackId: s.id,
          StackName: s.name,
          Parameters: Object.entries(cs.parameters).map(([k, v]) => ({ ParameterKey: k, ParameterValue: v })),
          CreationTime: new Date(),
          ExecutionStatus: cs.executionStatus,
          Status: cs.status,
          StatusReason: cs.statusReason,
          Capabilities: cs.capabilities,
          Tags: Object.entries(cs.tags).map(([Key, Value]) => ({ Key, Value })),
          Changes: page.map((c) => ({
            Type: 'Resource',
            ResourceChange: {
              Action: c.action,
              LogicalResourceId: c.logicalId,
              PhysicalResourceId: c.physicalId,
              ResourceType: c.type,
              Replacement: c.replacement,
              Scope: c.properties.length ? ['Properties'] : undefined,
              Details: c.properties.length
                ? c.properties.map((name) => ({ Target: { Attribute: 'Properties', Name: name, RequiresRecreation: c.replacement === 'True' ? 'Always' : 'Never' }, Evaluation: 'Static', ChangeSource: 'DirectModification' }))
                : undefined,
            },
          })),
          NextToken: next,
        };
      }

      case 'DeleteChangeSet': {
        const s = this.stack(p.get('StackName'));
        if (!s.changeSets.delete(p.get('ChangeSetName')!)) throw new AwsError('ChangeSetNotFound', `ChangeSet [${p.get('ChangeSetName')}] does not exist`, 404);
        return {};
      }

      case 'ExecuteChangeSet': {
        const s = this.stack(p.get('StackName'));
        const cs = s.changeSets.get(p.get('ChangeSetName')!);
        if (!cs) throw new AwsError('ChangeSetNotFound', `ChangeSet [${p.get('ChangeSetName')}] does not exist`, 404);
        if (cs.executionStatus !== 'AVAILABLE') throw new AwsError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be executed in its current status of [${cs.status}]`);
        this.execute(s, cs);
        s.changeSets.clear();
        return {};
      }

      case 'DescribeStackEvents': {
        const s = this.stack(p.get('StackName'));
        const newest = [...s.events].reverse();
        const start = Number(p.get('NextToken') ?? 0);
        const next = start + this.eventsPageSize < newest.length ? String(start + this.eventsPageSize) : undefined;
        return { StackEvents: newest.slice(start, start + this.eventsPageSize).map((e) => ({ ...e })), NextToken: next };
      }

      case 'SetStackPolicy': {
        this.stack(p.get('StackName')).policy = p.get('StackPolicyBody') ?? undefined;
        return {};
      }

      case 'UpdateTerminationProtection': {
        const s = this.stack(p.get('StackName'));
        s.terminationProtection = p.get('EnableTerminationProtection') === 'true';
        return { StackId: s.id };
      }

      case 'DetectStackDrift': {
        const s = this.stack(p.get('StackName'));
        if (s.status.endsWith('_IN_PROGRESS')) throw new AwsError('ValidationError', `Drift detection is not supported for stacks in ${s.status} state`);
        const id = `drift-${requestId()}`;
        this.detections.set(id, { stackName: s.name, polls: 0 });
        return { StackDriftDetectionId: id };
      }

      case 'DescribeStackDriftDetectionStatus': {
        const id = p.get('StackDriftDetectionId')!;
        const d = this.detections.get(id);
        if (!d) throw new AwsError('ValidationError', `Drift detection ${id} does not exist`);
        const s = this.stack(d.stackName);
        d.polls++;
        const done = d.polls > 1;
        const drifted = this.drifts.get(s.name) ?? [];
        return {
          StackId: s.id,
          StackDriftDetectionId: id,
          StackDriftStatus: done ? (drifted.length ? 'DRIFTED' : 'IN_SYNC') : undefined,
          DetectionStatus: done ? 'DETECTION_COMPLETE' : 'DETECTION_IN_PROGRESS',
          DriftedStackResourceCount: done ? drifted.length : undefined,
          Timestamp: new Date(),
        };
      }

      case 'DescribeStackResourceDrifts': {
        const s = this.stack(p.get('StackName'));
        const filters = this.list(p, 'StackResourceDriftStatusFilters');
        const drifted = (this.drifts.get(s.name) ?? []).map((d) => ({ ...d, status: d.status ?? 'MODIFIED' })).filter((d) => filters.length === 0 || filters.includes(d.status));
        const start = Number(p.get('NextToken') ?? 0);
        const pageSize = 1; // one per page: makes the client read every page
        return {
          StackResourceDrifts: drifted.slice(start, start + pageSize).map((d) => {
            const r = s.resources.get(d.logicalId);
            return {
              StackId: s.id,
              LogicalResourceId: d.logicalId,
              PhysicalResourceId: r?.physicalId,
              ResourceType: r?.type ?? 'AWS::CloudFormation::WaitConditionHandle',
              ExpectedProperties: '{}',
              ActualProperties: '{}',
              PropertyDifferences: d.differences.map((x) => ({ PropertyPath: x.path, ExpectedValue: x.expected, ActualValue: x.actual, DifferenceType: x.type })),
              StackResourceDriftStatus: d.status,
              Timestamp: new Date(),
            };
          }),
          NextToken: start + pageSize < drifted.length ? String(start + pageSize) : undefined,
        };
      }

      case 'CreateDBClusterSnapshot': {
        const id = p.get('DBClusterSnapshotIdentifier')!;
        const cluster = p.get('DBClusterIdentifier')!;
        if (this.snapshots.has(id)) throw new AwsError('DBClusterSnapshotAlreadyExistsFault', `Snapshot ${id} already exists`);
        this.snapshots.set(id, { cluster, status: 'creating', polls: 0, tags: this.pairs(p, 'Tags', 'Key', 'Value', 'Tag') });
        return { DBClusterSnapshot: { DBClusterSnapshotIdentifier: id, DBClusterIdentifier: cluster, Status: 'creating', Engine: 'aurora-postgresql', SnapshotType: 'manual' } };
      }

      case 'DescribeDBClusterSnapshots': {
        const id = p.get('DBClusterSnapshotIdentifier');
        const snaps = [...this.snapshots.entries()].filter(([k]) => !id || k === id);
        for (const [, s] of snaps) if (++s.polls > 1) s.status = this.snapshotOutcome;
        return {
          DBClusterSnapshots: new Members(
            'DBClusterSnapshot',
            snaps.map(([k, s]) => ({ DBClusterSnapshotIdentifier: k, DBClusterIdentifier: s.cluster, Status: s.status, Engine: 'aurora-postgresql', SnapshotType: 'manual', PercentProgress: s.status === 'available' ? 100 : 10 })),
          ),
        };
      }

      default:
        throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  /** Plans the events of an execution; tick() plays them. */
  private execute(s: Stack, cs: ChangeSet): void {
    const create = cs.type === 'CREATE';
    const verb = create ? 'CREATE' : 'UPDATE';
    s.status = `${verb}_IN_PROGRESS`;
    const fail = this.failResource.get(s.name);
    this.failResource.delete(s.name);
    type Ev = NonNullable<Stack['pending']>['events'][number];
    const events: Ev[] = [];
    const stackEvent = (status: string, reason?: string): Ev => ({ LogicalResourceId: s.name, PhysicalResourceId: s.id, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: status, ...(reason ? { ResourceStatusReason: reason } : {}) });
    events.push(stackEvent(`${verb}_IN_PROGRESS`, 'User Initiated'));
    const done: Change[] = [];
    let failed = false;
    for (const c of cs.changes.filter((x) => x.action !== 'Remove')) {
      const st = c.action === 'Add' ? 'CREATE' : 'UPDATE';
      const phys = c.physicalId ?? this.physicalId(s.name, c.logicalId, cs.template.Resources![c.logicalId]!);
      events.push({ LogicalResourceId: c.logicalId, PhysicalResourceId: c.action === 'Add' ? '' : phys, ResourceType: c.type, ResourceStatus: `${st}_IN_PROGRESS` });
      if (fail && fail[0] === c.logicalId) {
        events.push({ LogicalResourceId: c.logicalId, PhysicalResourceId: '', ResourceType: c.type, ResourceStatus: `${st}_FAILED`, ResourceStatusReason: fail[1] });
        failed = true;
        break;
      }
      events.push({ LogicalResourceId: c.logicalId, PhysicalResourceId: phys, ResourceType: c.type, ResourceStatus: `${st}_COMPLETE` });
      done.push(c);
    }
    if (failed) {
      events.push(stackEvent(create ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS', `The following resource(s) failed to ${create ? 'create' : 'update'}: [${fail![0]}]. ${create ? 'Rollback requested by user.' : ''}`.trim()));
      for (const c of done.reverse()) {
        if (create) events.push({ LogicalResourceId: c.logicalId, PhysicalResourceId: '', ResourceType: c.type, ResourceStatus: 'DELETE_COMPLETE' });
        else events.push({ LogicalResourceId: c.logicalId, PhysicalResourceId: c.physicalId ?? '', ResourceType: c.type, ResourceStatus: 'UPDATE_COMPLETE' });
      }
      const final = create ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE';
      events.push(stackEvent(final));
      s.pending = { events, final };
      return;
    }
    for (const c of cs.changes.filter((x) => x.action === 'Remove')) {
      events.push({ LogicalResourceId: c.logicalId, PhysicalResourceId: c.physicalId ?? '', ResourceType: c.type, ResourceStatus: 'DELETE_IN_PROGRESS' });
      events.push({ LogicalResourceId: c.logicalId, PhysicalResourceId: c.physicalId ?? '', ResourceType: c.type, ResourceStatus: 'DELETE_COMPLETE' });
    }
    events.push(stackEvent(`${verb}_COMPLETE`));
    s.pending = {
      events,
      final: `${verb}_COMPLETE`,
      apply: () => {
        s.template = cs.template;
        s.parameters = cs.parameters;
        s.tags = cs.tags;
        s.capabilities = cs.capabilities;
        s.resources = new Map(Object.entries(cs.template.Resources ?? {}).map(([id, r]) => [id, { logicalId: id, type: r.Type, physicalId: s.resources.get(id)?.physicalId ?? this.physicalId(s.name, id, r), properties: r.Properties }]));
      },
    };
  }
}

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
