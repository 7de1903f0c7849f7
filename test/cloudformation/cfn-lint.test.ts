/**
 * cfn-lint, the linter platform teams run on CloudFormation, over every template of the
 * example and its variants. Skipped (with a message) where cfn-lint is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCfn, templates, VARIANTS } from './fixtures.js';

const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = version.status === 0;
if (!available) console.warn('cfn-lint is not installed: skipping the cfn-lint test (pip install cfn-lint to run it)');

interface LintMatch {
  Filename: string;
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

/**
 * Known false positives of older cfn-lint releases, each with why it is wrong:
 * AWS::CloudWatch::Dashboard has had a Tags property since 2025 (CloudFormation
 * template reference), which cfn-lint 1.51's bundled schema predates.
 */
const typeOf = (t: Record<string, { Type: string }>, id: string | number | undefined) => (id === undefined ? undefined : t[String(id)]?.Type);
const knownFalsePositive = (m: LintMatch, resources: Record<string, { Type: string }>): boolean =>
  m.Rule.Id === 'E3002' && m.Location.Path.at(-1) === 'Tags' && typeOf(resources, m.Location.Path[1]) === 'AWS::CloudWatch::Dashboard';

describe.skipIf(!available)(`cfn-lint ${version.stdout?.trim() ?? ''}`, () => {
  it.each(Object.keys(VARIANTS))('finds nothing in the %s templates', (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'innovate-cfn-lint-'));
    const files = templates(compileCfn(VARIANTS[name]!).artifacts);
    const resources = new Map<string, Record<string, { Type: string }>>();
    for (const a of files) {
      const file = join(dir, a.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, a.content);
      resources.set(file, (JSON.parse(a.content) as { Resources: Record<string, { Type: string }> }).Resources);
    }
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files.map((a) => join(dir, a.path))], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const matches = (JSON.parse(run.stdout || '[]') as LintMatch[]).filter((m) => !knownFalsePositive(m, resources.get(m.Filename) ?? {}));
    expect(matches.map((m) => `${m.Filename.slice(dir.length + 1)} ${m.Rule.Id} ${m.Location.Path.join('.')}: ${m.Message}`)).toEqual([]);
  });
});
