/**
 * The database-user bootstrap: a one-shot CloudFormation custom resource whose Lambda logs in to
 * Aurora with the master user's credentials and creates every `database-user` secret's role, so
 * the migration Job (which logs in as that role) and the hosted single-user rotation (which changes
 * that role's own password) find it. The SQL and the function's code are here, in one place, as
 * the exact text the template carries, so test/cloudformation/db-bootstrap.test.ts can run the
 * same code against a real PostgreSQL.
 *
 * Why a hand-written PostgreSQL client and not the RDS Data API or the `pg` driver: the Data API
 * is not supported on T instance classes (staging's db.t4g.medium), and inline ZipFile code cannot
 * bundle npm packages (a layer would have to be built and hosted outside the templates). What the
 * bootstrap needs from the wire protocol is small: TLS (rds.force_ssl), SCRAM-SHA-256 or MD5
 * authentication and simple queries, all on Node's built-in net, tls and crypto.
 *
 * What the SQL gives each role, and nothing more: LOGIN, NOCREATEDB, NOCREATEROLE, its password
 * (sent as a SCRAM-SHA-256 verifier computed in the function, so the text of the password never
 * reaches the server, its logs or pg_stat_activity), CONNECT on the application database, and
 * USAGE and CREATE on a schema named after the role, which is the first entry of PostgreSQL's
 * default search_path ("$user", public): unqualified tables of a migration land there. CREATE on
 * `public` is revoked from PUBLIC (PostgreSQL 15+ already does so; older engines did not). The
 * schema is owned by the master user, so the bootstrap needs no membership in the role (which
 * PostgreSQL 16 would ask of rds_superuser for CREATE SCHEMA ... AUTHORIZATION). Never granted:
 * rds_superuser, and rds_iam (which would turn password logins off for the role).
 */
import { createHash } from 'node:crypto';

/** Lambda runtime: the newest Node.js (cdk-nag AwsSolutions-L1 asks for the latest of the family). */
export const BOOTSTRAP_RUNTIME = 'nodejs24.x';

/** The function's code (CommonJS, index.js of the ZipFile). Built-in modules and the runtime's AWS SDK only. */
export const BOOTSTRAP_SOURCE = String.raw`'use strict';
// innovate: creates the application database users with the master user's credentials (CloudFormation
// custom resource). Credentials are never logged; role passwords reach PostgreSQL as SCRAM verifiers.
const net = require('node:net');
const tls = require('node:tls');
const crypto = require('node:crypto');
const https = require('node:https');
const fs = require('node:fs');
const env = process.env;

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const ident = (s) => '"' + String(s).replace(/"/g, '""') + '"';
const literal = (s) => "'" + String(s).replace(/'/g, "''") + "'";
const hmac = (key, text) => crypto.createHmac('sha256', key).update(text).digest();
const sha256 = (data) => crypto.createHash('sha256').update(data).digest();

/** The statements that create and confine one role, in order; each is idempotent. */
function statements(user, verifier, database) {
  if (!NAME.test(user)) throw new Error('refusing the user name ' + JSON.stringify(user) + ' (expected ' + NAME + ')');
  if (!/^SCRAM-SHA-256\$\d+:[A-Za-z0-9+\/=]+\$[A-Za-z0-9+\/=]+:[A-Za-z0-9+\/=]+$/.test(verifier)) throw new Error('refusing a role secret that is not a SCRAM-SHA-256 verifier');
  const u = ident(user);
  return [
    ['create the role', 'DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ' + literal(user) + ') THEN CREATE ROLE ' + u + ' LOGIN; END IF; END$$'],
    ['set its attributes and secret', 'ALTER ROLE ' + u + ' WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD ' + literal(verifier)],
    ['grant CONNECT on the database', 'GRANT CONNECT ON DATABASE ' + ident(database) + ' TO ' + u],
    ['revoke CREATE on public from PUBLIC', 'REVOKE CREATE ON SCHEMA public FROM PUBLIC'],
    ['create its schema', 'CREATE SCHEMA IF NOT EXISTS ' + u],
    ['grant USAGE, CREATE on its schema', 'GRANT USAGE, CREATE ON SCHEMA ' + u + ' TO ' + u],
  ];
}

/** The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802, RFC 7677). */
function scram(text, salt, iterations) {
  salt = salt || crypto.randomBytes(16);
  iterations = iterations || 4096;
  const salted = crypto.pbkdf2Sync(Buffer.from(text, 'utf8'), salt, iterations, 32, 'sha256');
  return 'SCRAM-SHA-256$' + iterations + ':' + salt.toString('base64') + '$' + sha256(hmac(salted, 'Client Key')).toString('base64') + ':' + hmac(salted, 'Server Key').toString('base64');
}

const cstr = (s) => Buffer.from(s + '\0', 'utf8');
function frame(type, body) {
  const head = Buffer.alloc(type ? 5 : 4);
  if (type) head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, type ? 1 : 0);
  return Buffer.concat([head, body]);
}
function pgError(body) {
  const f = {};
  for (let i = 0; i < body.length && body[i] !== 0; ) {
    const end = body.indexOf(0, i + 1);
    f[String.fromCharCode(body[i])] = body.toString('utf8', i + 1, end);
    i = end + 1;
  }
  const e = new Error((f.M || 'database error') + (f.C ? ' (SQLSTATE ' + f.C + ')' : ''));
  e.code = f.C;
  return e;
}

/** A TCP connection upgraded to TLS (SSLRequest), the server's certificate verified against the host name. */
function open(o) {
  return new Promise((resolve, reject) => {
    const raw = net.connect({ host: o.host, port: o.port });
    const fail = (e) => { raw.destroy(); reject(e); };
    raw.setTimeout(o.timeout, () => fail(new Error('no answer from ' + o.host + ':' + o.port + ' within ' + o.timeout + ' ms')));
    raw.once('error', fail);
    raw.once('connect', () => raw.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])));
    raw.once('data', (d) => {
      if (d[0] !== 0x53) return fail(new Error('the server does not offer TLS'));
      const s = tls.connect({ socket: raw, servername: o.host, ca: o.ca, minVersion: 'TLSv1.2' });
      s.once('error', fail);
      s.once('secureConnect', () => { s.removeListener('error', fail); resolve(s); });
    });
  });
}

/** Logs in (SCRAM-SHA-256, MD5 or cleartext over TLS) and returns { query(sql), close() }. */
async function connect(o) {
  const sock = await open(o);
  const state = {};
  let buf = Buffer.alloc(0);
  const waiting = [];
  const pump = () => {
    while (waiting.length) {
      if (buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1)) {
        const n = 1 + buf.readInt32BE(1);
        const m = { type: String.fromCharCode(buf[0]), body: buf.subarray(5, n) };
        buf = buf.subarray(n);
        waiting.shift().resolve(m);
      } else if (state.err) waiting.shift().reject(state.err);
      else return;
    }
  };
  sock.on('data', (d) => { buf = Buffer.concat([buf, d]); pump(); });
  sock.on('error', (e) => { state.err = state.err || e; pump(); });
  sock.on('close', () => { state.err = state.err || new Error('the server closed the connection'); pump(); });
  const next = () => new Promise((resolve, reject) => { waiting.push({ resolve, reject }); pump(); });
  const send = (type, body) => sock.write(frame(type, body));
  try {
    send('', Buffer.concat([Buffer.from([0, 3, 0, 0]), cstr('user'), cstr(o.user), cstr('database'), cstr(o.database), cstr('application_name'), cstr('innovate-db-bootstrap'), Buffer.from([0])]));
    let sasl;
    for (;;) {
      const m = await next();
      if (m.type === 'E') throw pgError(m.body);
      if (m.type === 'Z') break;
      if (m.type !== 'R') continue;
      const code = m.body.readInt32BE(0);
      if (code === 0) continue;
      if (code === 3) send('p', cstr(o.login));
      else if (code === 5) {
        const md5 = (x) => crypto.createHash('md5').update(x).digest('hex');
        send('p', cstr('md5' + md5(Buffer.concat([Buffer.from(md5(o.login + o.user)), m.body.subarray(4, 8)]))));
      } else if (code === 10) {
        if (!m.body.toString('utf8', 4).split('\0').includes('SCRAM-SHA-256')) throw new Error('the server offers no SCRAM-SHA-256');
        const nonce = crypto.randomBytes(18).toString('base64');
        sasl = { bare: 'n=*,r=' + nonce, nonce };
        const first = Buffer.from('n,,' + sasl.bare);
        const len = Buffer.alloc(4);
        len.writeInt32BE(first.length);
        send('p', Buffer.concat([cstr('SCRAM-SHA-256'), len, first]));
      } else if (code === 11 && sasl) {
        const serverFirst = m.body.toString('utf8', 4);
        const a = {};
        for (const kv of serverFirst.split(',')) a[kv[0]] = kv.slice(2);
        if (!a.r || !a.r.startsWith(sasl.nonce) || !a.s || !(Number(a.i) > 0)) throw new Error('SCRAM: unexpected server-first message');
        const salted = crypto.pbkdf2Sync(Buffer.from(o.login, 'utf8'), Buffer.from(a.s, 'base64'), Number(a.i), 32, 'sha256');
        const clientKey = hmac(salted, 'Client Key');
        const withoutProof = 'c=biws,r=' + a.r;
        const auth = sasl.bare + ',' + serverFirst + ',' + withoutProof;
        const signature = hmac(sha256(clientKey), auth);
        const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]));
        sasl.expect = 'v=' + hmac(hmac(salted, 'Server Key'), auth).toString('base64');
        send('p', Buffer.from(withoutProof + ',p=' + proof.toString('base64')));
      } else if (code === 12 && sasl) {
        if (m.body.toString('utf8', 4) !== sasl.expect) throw new Error('SCRAM: the server signature does not match');
      } else throw new Error('unsupported authentication request ' + code);
    }
  } catch (e) {
    sock.destroy();
    throw e;
  }
  return {
    async query(sql) {
      send('Q', cstr(sql));
      let err;
      for (;;) {
        const m = await next();
        if (m.type === 'E') err = pgError(m.body);
        else if (m.type === 'Z') break;
      }
      if (err) throw err;
    },
    close() {
      if (!state.err) send('X', Buffer.alloc(0));
      sock.end();
    },
  };
}

/** Values never to be written anywhere: every credential read, replaced by *** in messages. */
const hidden = new Set();
const scrub = (text) => [...hidden].reduce((t, h) => (h ? t.split(h).join('***') : t), String(text));

async function bootstrap() {
  const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
  const sm = new SecretsManagerClient({});
  const read = async (arn) => {
    const value = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString);
    hidden.add(value.password);
    return value;
  };
  const master = await read(env.MASTER_SECRET_ARN);
  const users = [];
  for (const arn of String(env.USER_SECRET_ARNS || '').split(',').filter(Boolean)) users.push(await read(arn));
  const db = await connect({
    host: env.DB_HOST, port: Number(env.DB_PORT || 5432), database: env.DB_NAME, user: master.username, login: master.password,
    ca: env.PGSSLROOTCERT ? fs.readFileSync(env.PGSSLROOTCERT) : undefined, timeout: Number(env.DB_TIMEOUT_MS || 10000),
  });
  try {
    for (const u of users) {
      if (u.username === master.username) throw new Error('refusing to manage the master user ' + u.username);
      for (const [what, sql] of statements(u.username, scram(u.password), env.DB_NAME)) {
        await db.query(sql);
        console.log(u.username + ': ' + what);
      }
    }
  } finally {
    db.close();
  }
  return users.map((u) => u.username);
}

/** PUTs the result to CloudFormation's pre-signed URL, three tries. */
async function respond(event, status, reason, physicalId) {
  const body = JSON.stringify({ Status: status, Reason: reason, PhysicalResourceId: physicalId, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  const put = () => new Promise((resolve, reject) => {
    const req = https.request(event.ResponseURL, { method: 'PUT', timeout: 10000, headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error('the response URL answered ' + res.statusCode))));
    });
    req.on('timeout', () => req.destroy(new Error('the response URL did not answer')));
    req.on('error', reject);
    req.end(body);
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await put();
    } catch (e) {
      console.error('response attempt ' + attempt + ' failed: ' + e.message);
      if (attempt === 3) throw e;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

exports.handler = async (event, context) => {
  const physicalId = event.PhysicalResourceId || 'innovate-database-users/' + env.DB_NAME;
  console.log(event.RequestType + ' ' + event.LogicalResourceId + ' ' + physicalId);
  let status = 'SUCCESS';
  let reason = 'the database users are in place';
  if (event.RequestType === 'Delete') reason = 'the database users are left in place: they may own data';
  else {
    const left = context && context.getRemainingTimeInMillis ? context.getRemainingTimeInMillis() : 120000;
    const budget = Math.max(1000, left - 20000);
    let timer;
    try {
      const work = bootstrap();
      work.catch(() => {}); // settled late (after giving up): not an unhandled rejection
      const users = await Promise.race([work, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('gave up after ' + budget + ' ms')), budget); })]);
      reason = 'in place: ' + users.join(', ');
    } catch (e) {
      status = 'FAILED';
      reason = scrub((e && e.message) || e);
      console.error('failed: ' + reason);
    } finally {
      clearTimeout(timer);
    }
  }
  await respond(event, status, reason.slice(0, 1000), physicalId);
  return status;
};
exports.statements = statements;
exports.scram = scram;
exports.connect = connect;
`;

/**
 * A short digest of the code and of what it is told (the user secrets, the database): the custom
 * resource's logical id ends with it, so a change creates a new resource, which runs the bootstrap
 * again; the old one is deleted, which leaves the roles alone. (The CloudFormation schema gives a
 * custom resource no properties but ServiceToken and ServiceTimeout, so a property change cannot
 * trigger an Update.)
 */
export const bootstrapDigest = (config: unknown): string =>
  createHash('sha256').update(BOOTSTRAP_SOURCE).update(JSON.stringify(config)).digest('hex').slice(0, 8).toUpperCase();

/** The module the function's code defines, loaded in this process with the given `require` (tests). */
export function loadBootstrap(req: (id: string) => unknown, env: Record<string, string | undefined>): {
  handler: (event: Record<string, unknown>, context?: { getRemainingTimeInMillis(): number }) => Promise<string>;
  statements: (user: string, verifier: string, database: string) => [string, string][];
  scram: (text: string, salt?: Buffer, iterations?: number) => string;
} {
  const module = { exports: {} as Record<string, unknown> };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the function's code, run as Lambda would run it
  new Function('require', 'module', 'exports', 'process', BOOTSTRAP_SOURCE)(req, module, module.exports, { env });
  return module.exports as ReturnType<typeof loadBootstrap>;
}
