/**
 * SARIF 2.1.0 for GitHub code scanning: one run, every rule that can fire (catalogue
 * codes and invariant rules) with help text, and one result per diagnostic located in
 * the spec file. Positionless findings are placed on line 1, as GitHub requires a line.
 */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { CODES } from './codes.js';
import { formatPath, type Diagnostic } from './diagnostic.js';

export interface SarifRule {
  readonly id: string;
  readonly title: string;
  readonly severity: 'error' | 'warning';
  readonly hint: string;
  readonly help?: string;
  readonly principle?: string;
}

const level = (s: 'error' | 'warning'): 'error' | 'warning' => s;

export function toSarif(diags: readonly Diagnostic[], policyRules: readonly SarifRule[], version: string): string {
  const rules: SarifRule[] = [
    ...Object.entries(CODES).map(([id, c]) => ({ id, title: c.title, severity: c.severity, hint: c.hint })),
    ...policyRules,
  ];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const descriptors: ReportingDescriptor[] = rules.map((r) => ({
    id: r.id,
    name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.help ?? r.title },
    help: { text: `${r.help ?? r.title}\nFix: ${r.hint}`, markdown: `**${r.title}**\n\n${r.help ?? ''}\n\nFix: ${r.hint}` },
    defaultConfiguration: { level: level(r.severity) },
    properties: { tags: ['infrastructure', 'security', ...(r.principle ? [r.principle] : [])] },
  }));
  const results: Result[] = diags.map((d) => ({
    ruleId: d.code,
    ...(index.has(d.code) ? { ruleIndex: index.get(d.code)! } : {}),
    level: level(d.severity),
    message: { text: `${d.path.length > 0 ? `${formatPath(d.path)}: ` : ''}${d.message}${d.artifact ? ` (${d.artifact}${d.target ? `#${d.target}` : ''})` : ''}. Fix: ${d.hint}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: d.file }, region: { startLine: Math.max(1, d.line), startColumn: Math.max(1, d.column) } } }],
    partialFingerprints: { innovateFinding: [d.code, formatPath(d.path), d.artifact ?? '', d.target ?? '', d.message].join('|') },
  }));
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'innovate', version, informationUri: 'https://github.com/innovate-inc/innovate', rules: descriptors } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
