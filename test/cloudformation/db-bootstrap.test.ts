/**
 * The database-user bootstrap (src/emitters/cloudformation/db-bootstrap.ts) against a real
 * PostgreSQL: the function's own code, as the template carries it, run in this process with a fake
 * Secrets Manager and a fake CloudFormation response URL, logs in over TLS with SCRAM-SHA-256 as a
 * master user shaped like Aurora's (no superuser: CREATEROLE, CREATEDB, member of a stub
 * rds_superuser, owner of the application database), twice. Then the application user logs in with
 * its secret's password and runs a typical migration in its schema, and is refused everything else.
 *
 * Needs initdb, pg_ctl and psql (PATH or /usr/lib/postgresql/<version>/bin) and openssl; skipped
 * with a message where PostgreSQL is not installed (.ci/run installs it where it can). As root,
 * the server runs as the `postgres` user, which Debian's package creates.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_SOURCE, loadBootstrap } from '../../src/emitters/cloudformation/db-bootstrap.js';
import { compileCfn, EXAMPLE } from './fixtures.js';

const require = createRequire(import.meta.url);
const which = (cmd: string): string | undefined => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};
function pgBin(): string | undefined {
  const onPath = which('pg_ctl');
  if (onPath && which('initdb')) return realpathSync(onPath).replace(/\/pg_ctl$/, '');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}
const bin = pgBin();
const psqlBin = bin && existsSync(join(bin, 'psql')) ? join(bin, 'psql') : which('psql');
const root = process.getuid?.() === 0;
const asPostgres = !root || spawnSync('id', ['-u', 'postgres']).status === 0;
const available = Boolean(bin && psqlBin && which('openssl') && asPostgres);
if (!available) console.warn('PostgreSQL (initdb, pg_ctl, psql) or openssl is not installed: skipping the db-bootstrap test (apt-get install postgresql to run it)');

const MASTER = { username: 'innovate_admin', password: 'Master-0f-Test+Cluster=!' };
const APP = { username: 'app_db_user', password: 'App~Us3r(Secret)%^&*?no-quotes' };
const DB = 'app';

let dir = '';
let port = 0;
const owner = root && available ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()) : 0;

/** A command as the server's owner (postgres when we are root). */
function pg(cmd: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const full = join(bin!, cmd);
  const e = { ...process.env, ...env };
  return root ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8', env: e }) : spawnSync(full, args, { encoding: 'utf8', env: e });
}
const must = (r: SpawnSyncReturns<string>, what: string): string => {
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
};
/** SQL as the local superuser over the unix socket (setup and inspection only). */
const superSql = (sql: string, db = 'postgres'): string => must(pg('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-Atc', sql]), sql).trim();
/** SQL as a login role over TCP with TLS and a password, like the workloads. */
const asUser = (user: string, password: string, sql: string) =>
  spawnSync(psqlBin!, ['-q', '-v', 'ON_ERROR_STOP=1', '-Atc', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGHOST: 'localhost', PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: DB, PGSSLMODE: 'require', PGCONNECT_TIMEOUT: '5' },
  });

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

interface Sent {
  url: string;
  body: Record<string, string>;
}
/** The function's module with a fake Secrets Manager and a fake https that records the CloudFormation response. */
function fn(secrets: Record<string, unknown>, sent: Sent[], logs: string[], env: Record<string, string> = {}) {
  const fakeSm = {
    SecretsManagerClient: class {
      send(cmd: { input: { SecretId: string } }) {
        const s = secrets[cmd.input.SecretId];
        return s instanceof Error ? Promise.reject(s) : s === undefined ? Promise.reject(new Error(`ResourceNotFoundException: ${cmd.input.SecretId}`)) : Promise.resolve({ SecretString: JSON.stringify(s) });
      }
    },
    GetSecretValueCommand: class {
      constructor(readonly input: { SecretId: string }) {}
    },
  };
  const fakeHttps = {
    request(url: string, _o: unknown, cb: (res: { statusCode: number; resume(): void; on(ev: string, f: () => void): void }) => void) {
      return {
        on() {},
        end(body: string) {
          sent.push({ url, body: JSON.parse(body) as Record<string, string> });
          cb({ statusCode: 200, resume() {}, on: (ev, f) => ev === 'end' && setImmediate(f) });
        },
      };
    },
  };
  const req = (id: string): unknown => (id === '@aws-sdk/client-secrets-manager' ? fakeSm : id === 'node:https' ? fakeHttps : require(id));
  const processEnv = {
    DB_HOST: 'localhost', DB_PORT: String(port), DB_NAME: DB, MASTER_SECRET_ARN: 'arn:master', USER_SECRET_ARNS: 'arn:app',
    PGSSLROOTCERT: join(dir, 'server.crt'), DB_TIMEOUT_MS: '5000', ...env,
  };
  const mod = loadBootstrap(req, processEnv);
  const original = { log: console.log, error: console.error };
  return {
    mod,
    async invoke(event: Record<string, unknown>, remainingMs = 60000) {
      console.log = (...a: unknown[]) => logs.push(a.join(' '));
      console.error = (...a: unknown[]) => logs.push(a.join(' '));
      try {
        return await mod.handler({ StackId: 'stack', RequestId: 'req', LogicalResourceId: 'DatabaseUsersBootstrap', ResponseURL: 'https://cloudformation-custom-resource-response.example/put', ...event }, { getRemainingTimeInMillis: () => remainingMs });
      } finally {
        Object.assign(console, original);
      }
    },
  };
}

describe.skipIf(!available)('database-user bootstrap against PostgreSQL', () => {
  const secrets = { 'arn:master': { ...MASTER, engine: 'postgres' }, 'arn:app': { ...APP, engine: 'postgres', dbname: DB, port: 5432 } };

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'innovate-pg-'));
    if (root) chownSync(dir, owner, -1);
    chmodSync(dir, 0o700);
    const data = join(dir, 'data');
    must(pg('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=reject', '-E', 'UTF8', '--no-sync']), 'initdb');
    // A self-signed certificate for localhost: the function verifies the server against it, as against the RDS CA in Lambda.
    must(spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt')], { encoding: 'utf8' }), 'openssl');
    // And one the server does not use: a client trusting only it must refuse the server.
    must(spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'other.key'), '-out', join(dir, 'other.crt')], { encoding: 'utf8' }), 'openssl');
    if (root) for (const f of ['server.key', 'server.crt']) chownSync(join(dir, f), owner, -1);
    chmodSync(join(dir, 'server.key'), 0o600);
    writeFileSync(join(data, 'pg_hba.conf'), ['local all all trust', 'hostssl all md5_admin 127.0.0.1/32 md5', 'hostssl all all 127.0.0.1/32 scram-sha-256', 'hostssl all all ::1/128 scram-sha-256', ''].join('\n'));
    must(
      pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=localhost -c ssl=on -c ssl_cert_file=${join(dir, 'server.crt')} -c ssl_key_file=${join(dir, 'server.key')} -c password_encryption=scram-sha-256 -c fsync=off`, 'start']),
      'pg_ctl start',
    );
    // Aurora's shape: the master user is no superuser; rds_superuser is a role it belongs to.
    superSql('CREATE ROLE rds_superuser NOLOGIN');
    superSql('CREATE ROLE rds_iam NOLOGIN');
    superSql(`CREATE ROLE ${MASTER.username} LOGIN CREATEROLE CREATEDB PASSWORD '${MASTER.password}'`);
    superSql(`GRANT rds_superuser TO ${MASTER.username}`);
    // A master user of an older cluster, its password stored as MD5 and logging in with MD5.
    superSql(`SET password_encryption = 'md5'; CREATE ROLE md5_admin LOGIN CREATEROLE CREATEDB PASSWORD '${MASTER.password}'`);
    superSql(`CREATE DATABASE ${DB} OWNER ${MASTER.username}`);
    // PostgreSQL < 15 semantics, as on older Aurora engines: PUBLIC may create in public; the bootstrap must close it.
    superSql('GRANT CREATE ON SCHEMA public TO PUBLIC', DB);
  }, 60_000);

  afterAll(() => {
    if (dir) {
      pg('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the user, idempotently, and answers CloudFormation every time', async () => {
    const sent: Sent[] = [];
    const logs: string[] = [];
    const f = fn(secrets, sent, logs);
    expect(await f.invoke({ RequestType: 'Create' })).toBe('SUCCESS');
    expect(await f.invoke({ RequestType: 'Update', PhysicalResourceId: sent[0]!.body.PhysicalResourceId })).toBe('SUCCESS');
    expect(sent.map((s) => s.body.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(sent[0]!.body).toMatchObject({ StackId: 'stack', RequestId: 'req', LogicalResourceId: 'DatabaseUsersBootstrap', Reason: 'in place: app_db_user' });
    expect(sent[1]!.body.PhysicalResourceId).toBe(sent[0]!.body.PhysicalResourceId);
    expect(superSql(`SELECT count(*) FROM pg_roles WHERE rolname = '${APP.username}'`)).toBe('1');
    // The password is stored as a SCRAM verifier and appears in no log line.
    expect(superSql(`SELECT rolpassword LIKE 'SCRAM-SHA-256$4096:%' FROM pg_authid WHERE rolname = '${APP.username}'`)).toBe('t');
    for (const line of logs) for (const p of [APP.password, MASTER.password]) expect(line).not.toContain(p);
    // Attributes: login, and none of the powers.
    expect(superSql(`SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = '${APP.username}'`)).toBe('t|f|f|f|f|f');
    expect(superSql(`SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '${APP.username}'`)).toBe('0');
  }, 60_000);

  it('the application user runs a migration in its own schema', () => {
    const r = asUser(
      APP.username,
      APP.password,
      [
        'CREATE TABLE widgets (id serial PRIMARY KEY, name text NOT NULL)',
        'ALTER TABLE widgets ADD COLUMN price numeric(10,2) DEFAULT 0',
        'CREATE INDEX widgets_name ON widgets (name)',
        "INSERT INTO widgets (name, price) VALUES ('bolt', 1.25), ('nut', 0.5)",
        'UPDATE widgets SET price = price * 2',
        'CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)',
        "INSERT INTO alembic_version VALUES ('0001')",
        'SELECT current_schema() || \':\' || count(*) || \':\' || sum(price) FROM widgets',
      ].join('; '),
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`${APP.username}:2:3.50`);
    expect(superSql(`SELECT tableowner FROM pg_tables WHERE tablename = 'widgets'`, DB)).toBe(APP.username);
    // A later migration drops what an earlier one made.
    expect(asUser(APP.username, APP.password, 'DROP INDEX widgets_name; ALTER TABLE widgets DROP COLUMN price').status).toBe(0);
  });

  it.each([
    ['create a database', 'CREATE DATABASE other', /permission denied to create database/],
    ['create a role', 'CREATE ROLE intruder', /permission denied to create role/],
    ['read pg_authid', 'SELECT rolpassword FROM pg_authid', /permission denied for (table|relation) pg_authid/],
    ['create in public', 'CREATE TABLE public.t (id int)', /permission denied for schema public/],
    ['create a schema', 'CREATE SCHEMA other', /permission denied for database app/],
    ['grant itself rds_superuser', 'GRANT rds_superuser TO app_db_user', /permission denied|must have admin option/],
    ['change its own attributes', 'ALTER ROLE app_db_user CREATEDB', /permission denied/],
  ])('the application user cannot %s', (_what, sql, error) => {
    const r = asUser(APP.username, APP.password, sql);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(error);
  });

  it('the application user can change its own password (what the hosted single-user rotation does)', () => {
    const next = 'Rotated-Secret-123456789';
    expect(asUser(APP.username, APP.password, `ALTER ROLE ${APP.username} PASSWORD '${next}'`).status).toBe(0);
    expect(asUser(APP.username, next, 'SELECT 1').stdout.trim()).toBe('1');
    // A later run of the bootstrap sets the secret's current value again.
    expect(asUser(APP.username, APP.password, 'SELECT 1').status).not.toBe(0);
  });

  it('sets the password from the secret again when it runs again', async () => {
    const sent: Sent[] = [];
    expect(await fn(secrets, sent, []).invoke({ RequestType: 'Create' })).toBe('SUCCESS');
    expect(asUser(APP.username, APP.password, 'SELECT count(*) FROM widgets').stdout.trim()).toBe('2');
  }, 30_000);

  it('logs in with MD5 where the server asks for it', async () => {
    superSql(`GRANT CREATE ON DATABASE ${DB} TO md5_admin`);
    superSql(`ALTER SCHEMA app_db_user OWNER TO md5_admin; GRANT CONNECT ON DATABASE ${DB} TO md5_admin WITH GRANT OPTION`, DB);
    const sent: Sent[] = [];
    const md5 = { ...secrets, 'arn:master': { ...MASTER, username: 'md5_admin' } };
    expect(await fn(md5, sent, []).invoke({ RequestType: 'Update', PhysicalResourceId: 'innovate-database-users/app' })).toBe('SUCCESS');
    expect(sent[0]!.body.Status).toBe('SUCCESS');
    expect(asUser(APP.username, APP.password, 'SELECT count(*) FROM widgets').stdout.trim()).toBe('2');
    superSql(`ALTER SCHEMA app_db_user OWNER TO ${MASTER.username}`, DB);
  }, 30_000);

  it('Delete leaves the role and its data, and answers SUCCESS without logging in', async () => {
    const sent: Sent[] = [];
    const f = fn({}, sent, []);
    expect(await f.invoke({ RequestType: 'Delete', PhysicalResourceId: 'innovate-database-users/app' })).toBe('SUCCESS');
    expect(sent[0]!.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'innovate-database-users/app' });
    expect(superSql(`SELECT count(*) FROM pg_roles WHERE rolname = '${APP.username}'`)).toBe('1');
  });

  it('gives up before the Lambda timeout and still answers FAILED when the database never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const sent: Sent[] = [];
    const started = Date.now();
    try {
      const f = fn(secrets, sent, [], { DB_HOST: '127.0.0.1', DB_PORT: String((silent.address() as { port: number }).port), DB_TIMEOUT_MS: '30000' });
      // 21 s left: the function keeps 20 s for itself and gives the work the rest.
      expect(await f.invoke({ RequestType: 'Create' }, 21_000)).toBe('FAILED');
    } finally {
      silent.close();
    }
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sent.map((s) => [s.body.Status, s.body.Reason])).toEqual([['FAILED', 'gave up after 1000 ms']]);
  }, 30_000);

  it.each([
    ['a wrong master password', { 'arn:master': { ...MASTER, password: 'wrong-password-123' }, 'arn:app': secrets['arn:app'] }, {}, /password authentication failed for user "innovate_admin"/],
    ['Secrets Manager refusing', { 'arn:master': new Error('AccessDeniedException: not allowed'), 'arn:app': secrets['arn:app'] }, {}, /AccessDeniedException/],
    ['an unreachable database', secrets, { DB_PORT: '1' }, /ECONNREFUSED|connect/],
    ['a server certificate it does not trust', secrets, { PGSSLROOTCERT: 'other.crt' }, /self[- ]signed certificate/],
    ['a user name that is not an identifier', { ...secrets, 'arn:app': { ...APP, username: 'app"; DROP DATABASE app; --' } }, {}, /refusing the user name/],
  ])('answers FAILED with the reason on %s, without the credentials', async (_what, s, env, reason) => {
    const sent: Sent[] = [];
    const logs: string[] = [];
    const e = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, k === 'PGSSLROOTCERT' ? join(dir, v) : v]));
    expect(await fn(s as Record<string, unknown>, sent, logs, e).invoke({ RequestType: 'Create' })).toBe('FAILED');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.Status).toBe('FAILED');
    expect(sent[0]!.body.Reason).toMatch(reason);
    for (const text of [sent[0]!.body.Reason, ...logs]) for (const p of [APP.password, MASTER.password, 'wrong-password-123']) expect(text).not.toContain(p);
  }, 30_000);
});

describe('database-user bootstrap: the code and the template', () => {
  const noop = (id: string): unknown => require(id);
  const mod = loadBootstrap(noop, {});

  it('builds the statements it runs, quoting identifiers and literals', () => {
    const verifier = mod.scram('x', Buffer.alloc(16, 1), 4096);
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:AQEBAQEBAQEBAQEBAQEBAQ==\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    const sql = mod.statements('app_db_user', verifier, 'app').map(([, s]) => s);
    expect(sql).toEqual([
      `DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app_db_user') THEN CREATE ROLE "app_db_user" LOGIN; END IF; END$$`,
      `ALTER ROLE "app_db_user" WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD '${verifier}'`,
      'GRANT CONNECT ON DATABASE "app" TO "app_db_user"',
      'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
      'CREATE SCHEMA IF NOT EXISTS "app_db_user"',
      'GRANT USAGE, CREATE ON SCHEMA "app_db_user" TO "app_db_user"',
    ]);
    expect(sql.join('\n')).not.toMatch(/rds_superuser|rds_iam|\b(SUPERUSER|CREATEDB|CREATEROLE|REPLICATION|BYPASSRLS)\b/);
    expect(() => mod.statements('app_db_user', 'plain text', 'app')).toThrow(/not a SCRAM-SHA-256 verifier/);
  });

  it('the template carries exactly this code, in a function wired to the custom resource, the rotation and its two secrets', () => {
    const data = compileCfn(EXAMPLE).artifacts.find((a) => a.path === 'cloudformation/staging/data.json')!;
    const t = JSON.parse(data.content) as { Resources: Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }> };
    const fnRes = t.Resources.DatabaseBootstrapFunction!;
    expect(fnRes.Properties.Code.ZipFile).toBe(BOOTSTRAP_SOURCE);
    expect(fnRes.Properties).toMatchObject({ Runtime: 'nodejs24.x', ReservedConcurrentExecutions: 1, Handler: 'index.handler' });
    expect(fnRes.Properties.DeadLetterConfig.TargetArn).toEqual({ 'Fn::GetAtt': ['DatabaseBootstrapDeadLetterQueue', 'Arn'] });
    expect(t.Resources.DatabaseBootstrapLogGroup!.Properties).toMatchObject({ RetentionInDays: expect.any(Number), KmsKeyId: expect.anything() });
    const [crId, cr] = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::CloudFormation::CustomResource')!;
    expect(cr.Properties).toEqual({ ServiceToken: { 'Fn::GetAtt': ['DatabaseBootstrapFunction', 'Arn'] }, ServiceTimeout: 600 });
    expect(cr.DependsOn).toEqual(['DatabaseInstance1']);
    // The app user's rotation (which logs in as the user at once) waits for the bootstrap.
    expect(t.Resources.AppDbUserRotation!.DependsOn).toEqual([crId]);
    // Least privilege: the two secrets, the key through Secrets Manager, nothing of the other secrets.
    const policy = t.Resources.DatabaseBootstrapRolePolicy!.Properties.PolicyDocument.Statement as { Sid: string; Action: unknown; Resource: unknown; Condition?: unknown }[];
    const read = policy.find((s) => s.Sid === 'ReadDatabaseSecrets')!;
    expect(read.Action).toBe('secretsmanager:GetSecretValue');
    expect(read.Resource).toEqual([{ 'Fn::GetAtt': ['DatabaseCluster', 'MasterUserSecret.SecretArn'] }, { Ref: 'AppDbUserSecret' }]);
    expect(policy.find((s) => s.Sid === 'DecryptDatabaseSecrets')!.Condition).toMatchObject({ StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } });
    expect(policy.some((s) => /rds-data|secretsmanager:\*|kms:\*/.test(JSON.stringify(s.Action)))).toBe(false);
  });
});
