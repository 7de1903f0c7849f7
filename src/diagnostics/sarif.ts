/**
 * SARIF 2.1.0 for GitHub code scanning: one run, every rule of the catalogue (src/catalogue.ts)
 * with help text, and one result per diagnostic located in the spec file. Positionless findings
 * are placed on line 1, as GitHub requires a line. File locations are relative to %SRCROOT% (the
 * checkout), so the upload matches the repository's files wherever the run happened.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, ReportingDescriptor, Result } from 'sarif';
import { formatPath, type Diagnostic } from './diagnostic.js';

/** What SARIF needs of a catalogue entry. */
export interface SarifRule {
  readonly id: string;
  readonly title: string;
  readonly severity: 'error' | 'warning';
  readonly hint: string;
  readonly help?: string;
  readonly principle?: string;
  /** Only security rules get a `security-severity` (GitHub ranks security alerts by it). */
  readonly security: boolean;
}

export interface SarifOptions {
  /** The folder file names are relative to (the CLI's working folder). @default file names are used as given */
  readonly srcRoot?: string;
}

/** GitHub's bands: 7.0-8.9 high, 4.0-6.9 medium. An error is high, a warning medium. */
const SECURITY_SEVERITY = { error: '7.5', warning: '5.0' } as const;

const ruleName = (title: string): string =>
  title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase());

function descriptor(r: SarifRule): ReportingDescriptor {
  const help = r.help ?? r.title;
  return {
    id: r.id,
    name: ruleName(r.title),
    shortDescription: { text: r.title },
    fullDescription: { text: help },
    help: { text: `${help}\nFix: ${r.hint}`, markdown: `**${r.title}**\n\n${r.help ?? ''}\n\nFix: ${r.hint}` },
    defaultConfiguration: { level: r.severity },
    properties: {
      tags: ['infrastructure', ...(r.security ? ['security'] : []), ...(r.principle ? [r.principle] : [])],
      ...(r.security ? { 'security-severity': SECURITY_SEVERITY[r.severity] } : {}),
    },
  };
}

/** The file relative to %SRCROOT% when it is inside it; otherwise an absolute file: URI. */
function location(file: string, srcRoot: string | undefined): ArtifactLocation {
  if (srcRoot === undefined) return isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: file.split(sep).join('/'), uriBaseId: '%SRCROOT%' };
  const full = resolve(srcRoot, file);
  const rel = relative(srcRoot, full);
  if (rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(full).href };
  return { uri: rel.split(sep).join('/'), uriBaseId: '%SRCROOT%' };
}

export function toSarif(diags: readonly Diagnostic[], rules: readonly SarifRule[], version: string, options: SarifOptions = {}): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = diags.map((d) => ({
    ruleId: d.code,
    ...(index.has(d.code) ? { ruleIndex: index.get(d.code)! } : {}),
    level: d.severity,
    message: { text: `${d.path.length > 0 ? `${formatPath(d.path)}: ` : ''}${d.message}${d.artifact ? ` (${d.artifact}${d.target ? `#${d.target}` : ''})` : ''}. Fix: ${d.hint}` },
    locations: [{ physicalLocation: { artifactLocation: location(d.file, options.srcRoot), region: { startLine: Math.max(1, d.line), startColumn: Math.max(1, d.column) } } }],
    partialFingerprints: { innovateFinding: [d.code, formatPath(d.path), d.artifact ?? '', d.target ?? '', d.message].join('|') },
  }));
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'innovate', version, informationUri: 'https://github.com/innovate-inc/innovate', rules: rules.map(descriptor) } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
