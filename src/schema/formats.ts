/**
 * Formats owned by someone else, checked by their own rules so a value innovate accepts is one
 * git, GitHub and AWS accept too, and can never change meaning on the way there. Each check
 * returns the first rule a value breaks (worded to follow "must"), or undefined.
 *
 *   branchProblem      git check-ref-format --branch (rules 1-10 of git-check-ref-format(1)
 *                      on refs/heads/<name>, plus --branch's own: no leading "-", not HEAD; and
 *                      not "@", which git accepts as a branch but reads as HEAD),
 *                      and no "${{", which GitHub Actions evaluates wherever a workflow holds it
 *   githubOwnerProblem GitHub's account rule: ASCII letters, digits and single hyphens, no
 *                      hyphen first or last, at most 39 characters
 *   githubNameProblem  GitHub's repository rule: ASCII letters, digits, ".", "-" and "_", at most
 *                      100 characters, not "." or "..", not ending in ".git" (GitHub strips it)
 *   tagKeyProblem      AWS tags: 1-128 Unicode characters, letters, digits, white space and
 *   tagValueProblem    _ . : / = + - @ only (AWS's pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]), values
 *                      0-256; the aws: prefix (any case) is reserved for AWS in keys and values.
 *                      Beyond AWS: no white space at either end and no "=" in a key, because the
 *                      ALB tags annotation (k=v,k=v) trims pairs and splits each at its first "=".
 */

/** The first character git refuses anywhere in a ref (rules 4, 5 and 10), or undefined. */
function forbiddenRefChar(name: string): string | undefined {
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f) return `the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    if (' ~^:?*[\\'.includes(ch)) return ch === ' ' ? 'a space' : `"${ch}"`;
  }
  return undefined;
}

export function branchProblem(name: string): string | undefined {
  if (name.length === 0) return 'not be empty';
  const bad = forbiddenRefChar(name);
  if (bad) return `not contain ${bad} (git check-ref-format)`;
  if (name.startsWith('-')) return 'not start with "-" (git check-ref-format --branch)';
  if (name === 'HEAD') return 'not be "HEAD" (git check-ref-format --branch)';
  // Stricter than git, which accepts refs/heads/@ (its rule 9 is about a whole refname): "@" alone means HEAD.
  if (name === '@') return 'not be "@", which git reads as HEAD';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'not start or end with "/" or contain "//" (git check-ref-format)';
  if (name.includes('..')) return 'not contain ".." (git check-ref-format)';
  if (name.includes('@{')) return 'not contain "@{" (git check-ref-format)';
  if (name.endsWith('.')) return 'not end with "." (git check-ref-format)';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'not have a "/"-separated part that starts with "." (git check-ref-format)';
    if (part.endsWith('.lock')) return 'not have a "/"-separated part that ends with ".lock" (git check-ref-format)';
  }
  if (name.includes('${{')) return 'not contain "${{": GitHub Actions would evaluate it as an expression';
  return undefined;
}

const ASCII_ALNUM = /^[A-Za-z0-9]$/;

export function githubOwnerProblem(owner: string): string | undefined {
  if (owner.length === 0 || owner.length > 39) return 'be 1 to 39 characters (GitHub account names)';
  if (![...owner].every((ch) => ch === '-' || ASCII_ALNUM.test(ch))) return 'contain only ASCII letters, digits and "-" (GitHub account names)';
  if (owner.startsWith('-') || owner.endsWith('-') || owner.includes('--')) return 'not start or end with "-" or contain "--" (GitHub account names)';
  return undefined;
}

export function githubNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 100) return 'be 1 to 100 characters (GitHub repository names)';
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return 'contain only ASCII letters, digits, ".", "-" and "_" (GitHub repository names)';
  if (name === '.' || name === '..') return 'not be "." or ".." (GitHub repository names)';
  if (/\.git$/i.test(name)) return 'not end with ".git" (GitHub removes it: write the name without it)';
  return undefined;
}

/** owner/name, each part by GitHub's own rule. */
export function githubRepositoryProblem(repo: string): string | undefined {
  const parts = repo.split('/');
  if (parts.length !== 2) return 'be a GitHub repository as owner/name';
  return githubOwnerProblem(parts[0]!) ?? githubNameProblem(parts[1]!);
}

/** AWS's own character class for tag keys and values. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function describeChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[\x21-\x7e]$/.test(ch) ? `"${ch}"` : code;
}

function tagProblem(s: string, what: 'key' | 'value', max: number): string | undefined {
  const length = [...s].length;
  if (what === 'key' && length === 0) return 'not be empty (AWS tag keys)';
  if (length > max) return `be at most ${max} characters (AWS tag ${what}s), not ${length}`;
  if (!TAG_CHARS.test(s)) {
    const bad = [...s].find((ch) => !TAG_CHARS.test(ch))!;
    return `contain only letters, digits, spaces and _ . : / = + - @ (AWS tag ${what}s); ${describeChar(bad)} is not allowed`;
  }
  if (/^aws:/i.test(s)) return `not start with "aws:" (reserved for AWS in tag ${what}s)`;
  if (s.trim() !== s) return `not start or end with white space (the ALB tags annotation trims it)`;
  return undefined;
}

export function tagKeyProblem(key: string): string | undefined {
  return tagProblem(key, 'key', 128) ?? (key.includes('=') ? 'not contain "=" (the ALB tags annotation splits key=value at the first "=")' : undefined);
}

export const tagValueProblem = (value: string): string | undefined => tagProblem(value, 'value', 256);
