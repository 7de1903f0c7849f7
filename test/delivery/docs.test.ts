/**
 * docs/ARCHITECTURE.md: every Mermaid block parses with mermaid's own parser (in Node, on a
 * jsdom window: mermaid sanitizes labels with DOMPurify), the tables carry the compiled
 * values, and labels survive hostile text.
 */
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { label } from '../../src/emitters/docs/diagrams.js';
import { ARCHITECTURE_PATH } from '../../src/emitters/docs/index.js';
import { compileOk, VARIANTS } from './support.js';

type Mermaid = { parse: (text: string) => Promise<{ diagramType: string }> };
let mermaid: Mermaid;
beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
});

const blocks = (md: string): string[] => [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

for (const [name, text] of Object.entries(VARIANTS)) {
  describe(`ARCHITECTURE.md of ${name}`, () => {
    const r = compileOk(text);
    const doc = r.artifacts.find((a) => a.path === ARCHITECTURE_PATH)!.content;

    it('has a network and a pod-placement diagram per environment and the pipeline diagram, each parsing as a flowchart', async () => {
      // Besides them, the cost estimate's pie chart per environment (src/cost): each must parse as a pie.
      const all = blocks(doc);
      const pies = all.filter((b) => b.startsWith('pie'));
      const found = all.filter((b) => !b.startsWith('pie'));
      expect(found.length).toBe(2 * r.models.length + 1);
      for (const b of found) expect((await mermaid.parse(b)).diagramType).toMatch(/^flowchart/);
      for (const b of pies) expect((await mermaid.parse(b)).diagramType).toBe('pie');
    });

    it('shows the real values', () => {
      for (const m of r.models) {
        expect(doc).toContain(`| **${m.environment.name}** | \`${m.environment.accountId}\``);
        expect(doc).toContain(`### ${m.environment.name}: VPC \`${m.network.vpcCidr}\``);
        for (const z of m.network.zones) expect(doc).toContain(`| ${z.name} | \`${z.publicCidr}\` | \`${z.privateCidr}\` | \`${z.isolatedCidr}\` |`);
        for (const p of m.cluster.nodePools) expect(doc).toContain(`| \`${p.name}\` (Karpenter) | ${p.role} |`);
        expect(doc).toContain(`${m.database.backupRetentionDays} days`);
      }
      for (const h of ['## AWS Account Structure', '## Network Design', '## Compute - Amazon EKS', '### Backup, HA, and Disaster Recovery', '## CI/CD Pipeline (GitOps)', '## Security', '## Cost Optimization', '## Monitoring & Observability']) expect(doc).toContain(h);
    });

    it('keeps every table row to its column count', () => {
      const lines = doc.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!/^\|(---\|)+$/.test(lines[i]!)) continue;
        const cols = lines[i]!.split('|').length;
        for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) expect(lines[j]!.replace(/\\\|/g, '').split('|').length, lines[j]).toBe(cols);
      }
    });
  });
}

describe('Mermaid labels', () => {
  it('keep quotes, brackets and pipes inside the label', async () => {
    const hostile = label('a"b]c', '<script>x</script> | y', 'end');
    const parsed = await mermaid.parse(`flowchart LR\n  n1[${hostile}] -->|${label('"x"')}| n2[${label('ok')}]\n`);
    expect(parsed.diagramType).toMatch(/^flowchart/);
    expect(hostile.replace(/<br\/>/g, '')).not.toMatch(/[<>]|"b/);
  });
});
