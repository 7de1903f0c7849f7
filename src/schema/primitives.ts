/**
 * Reusable field types shared by every section of the spec. Each carries its own
 * format check so a malformed value is reported at the exact field, by zod, before
 * any semantic validator runs.
 *
 * The schemas are built with zod/mini: one instance per wrapper and one per `.check(...)`,
 * where classic zod cloned the whole schema on every chained call (`.min().max().describe()`):
 * building the spec schema went from ~17 to ~8 ms of every CLI start.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { branchProblem, githubRepositoryProblem, tagKeyProblem, tagValueProblem } from './formats.js';

// Classic zod installs its English messages when the first schema is built; zod/mini leaves
// the default to the caller. Issues keep the same wording as before (the library returns them).
if (!z.config().localeError) z.config(en());

/**
 * `schema` with a description for the JSON Schema, registered on that very instance: the
 * schema must be built for this one place (classic zod's `.describe()` cloned first). Shared
 * schemas (the exported primitives) are cloned by the caller: `described(region.clone(), …)`.
 */
export function described<T extends z.core.$ZodType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

/** RFC 1123 DNS label: lower-case alphanumerics and '-', starting and ending alphanumeric. */
export const dnsLabel = (max = 63) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(max),
    z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, {
      message: 'must be a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
    }),
  );

export const accountId = described(
  z.string().check(z.regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id, quoted so YAML keeps leading zeros' })),
  '12-digit AWS account id (quote it in YAML).',
);

export const region = described(
  z.string().check(
    z.regex(/^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/, {
      message: 'must be an AWS region code such as us-east-1',
    }),
  ),
  'AWS region code, for example us-east-1.',
);

const ipv4 = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const cidr = described(
  z.string().check(
    z.regex(new RegExp(`^${ipv4}\\.${ipv4}\\.${ipv4}\\.${ipv4}/(3[0-2]|[12]?\\d)$`), {
      message: 'must be an IPv4 CIDR block such as 10.10.0.0/16',
    }),
  ),
  'IPv4 CIDR block.',
);

/** EC2 instance type such as t3.small or m7g.large (the family is checked against the instance table later). */
export const instanceType = z.string().check(
  z.regex(/^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge|metal-\d+xl)$/, {
    message: 'must be an EC2 instance type such as t3.small',
  }),
);

export const dbInstanceClass = z.string().check(
  z.regex(/^db\.(serverless|[a-z][a-z0-9-]*\d[a-z0-9-]*\.(micro|small|medium|large|\d*xlarge))$/, {
    message: 'must be an RDS instance class such as db.r6g.large or db.serverless',
  }),
);

/** Kubernetes resource quantity (CPU such as 250m or 1, memory such as 512Mi). */
export const quantity = z.pipe(
  z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((v: string | number) => String(v)),
  ),
  z.string().check(z.regex(/^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/, { message: 'must be a Kubernetes quantity such as 250m, 1, 512Mi' })),
);

/** Go-style duration as Karpenter and Kubernetes read it: 30s, 5m, 720h, or "Never". */
export const duration = z.string().check(z.regex(/^(Never|(\d+(h|m|s))+)$/, { message: 'must be a duration such as 30s, 5m or 720h' }));

export const email = z.email({ message: 'must be an e-mail address' });
export const httpsUrl = z.url({ protocol: /^https$/, message: 'must be an https:// URL' });

/**
 * A string checked by one of the rules in formats.ts: the first rule it breaks becomes an
 * INN015 "must ..." finding at the field (or at the map key, for record keys).
 */
export const followsRule = (problem: (s: string) => string | undefined, format: string) =>
  z.string().check(
    z.check<string>((ctx) => {
      const p = problem(ctx.value);
      if (p !== undefined) ctx.issues.push({ code: 'invalid_format', format, input: ctx.value, message: `must ${p}` });
    }),
  );

/** A GitHub repository as owner/name, by GitHub's own naming rules (formats.ts). */
export const githubRepo = z.string().check(
  z.regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, { message: 'must be a GitHub repository as owner/name' }),
  z.check<string>((ctx) => {
    const p = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(ctx.value) ? githubRepositoryProblem(ctx.value) : undefined;
    if (p !== undefined) ctx.issues.push({ code: 'invalid_format', format: 'github-repository', input: ctx.value, message: `must ${p}` });
  }),
);

/** A branch name git accepts (git check-ref-format --branch) and GitHub Actions never evaluates. */
export const gitBranch = followsRule(branchProblem, 'git-branch');

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export const logRetentionDays = z.int().check(
  z.refine((d: number) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
  }),
);

/** An AWS tag value by AWS's rules (formats.ts): also what owner and costCenter become. */
export const tagValue = z.string().check(
  z.regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, { error: (iss) => `must ${tagValueProblem(String(iss.input))}` }),
  z.check<string>((ctx) => {
    const p = tagValueProblem(ctx.value);
    // The character class is reported by the regex above (it is also the JSON Schema's pattern).
    if (p !== undefined && !p.startsWith('contain only')) ctx.issues.push({ code: 'invalid_format', format: 'aws-tag-value', input: ctx.value, message: `must ${p}` });
  }),
);

export const tagMap = described(
  z.record(
    z.string().check(
      z.regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, { error: (iss) => `must ${tagKeyProblem(String(iss.input))}` }),
      z.check<string>((ctx) => {
        const p = tagKeyProblem(ctx.value);
        if (p !== undefined && !p.startsWith('contain only') && !p.startsWith('not be empty')) ctx.issues.push({ code: 'invalid_format', format: 'aws-tag-key', input: ctx.value, message: `must ${p}` });
      }),
    ),
    tagValue,
  ),
  'Extra tags applied to every taggable resource.',
);

export const ARN = z.string().check(z.regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+$/, { message: 'must be an ARN' }));
