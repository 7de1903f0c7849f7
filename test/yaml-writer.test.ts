/** The YAML writer: every value reads back identically under YAML 1.2 and YAML 1.1 rules. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { writeYaml } from '../src/emitters/yaml-writer.js';

const normalize = (v: unknown): unknown => JSON.parse(JSON.stringify(v)); // -0 -> 0, drops undefined

/** Strings that trip YAML readers: booleans of both versions, numbers, dates, indicators, templates. */
const tricky = fc.constantFrom(
  'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'null', '~', '', ' ', ' lead', 'trail ', '0755', '0x1F', '1e3', '1_000', '.5', '-1', '+1', '1:30', '12:30:45',
  '2026-11-26', '2026-11-26T10:00:00Z', '.inf', '-.Inf', '.NaN', '- item', '? key', 'a: b', 'a #b', 'key:', '#c', '&a', '*a', '!tag', '|', '>', '%', '@x', '`x`',
  "it's", '"quoted"', '{{ required "x" .Values.image.repository }}:{{ .Values.image.tag }}', 'line1\nline2', 'line1\nline2\n', 'a\n\nb\n', '\nlead', 'tail\n\n', 'tab\tin',
  'trailing \nspace', 'uni\u2028code', 'ctrl\u0007', 'ünïcödé', 'emoji 🚀', '=', '<<', 'arn:aws:iam::123456789012:role/x', '10.10.0.0/16', 'a,b', '[x]', '{x}', 'x]',
);
const key = fc.oneof(fc.string(), tricky);
const leaf = fc.oneof(fc.string(), tricky, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;

describe('writeYaml', () => {
  it('round-trips any plain value through YAML 1.2 and YAML 1.1 readers', () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = writeYaml(v);
        const expected = normalize(v);
        expect(parse(text)).toEqual(expected);
        expect(parse(text, { version: '1.1' })).toEqual(expected);
      }),
      { numRuns: process.env.INNOVATE_DEEP ? 20000 : 1000, seed: 11 },
    );
  });

  it('looks like the yaml package output for ordinary Kubernetes data', () => {
    const doc = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', labels: { 'app.kubernetes.io/name': 'api' } },
      spec: { template: { spec: { containers: [{ name: 'api', args: ['--port', '5000'], ports: [{ containerPort: 5000 }], env: [] }], volumes: [{ name: 'tmp', emptyDir: {} }] } } },
    };
    expect(writeYaml(doc)).toBe(stringify(doc, { lineWidth: 0 }));
  });

  it('keeps Helm template actions readable by Helm (single quotes, no backslash escapes)', () => {
    expect(writeYaml({ image: '{{ required "repo" .Values.image.repository }}:{{ .Values.image.tag }}' })).toBe(`image: '{{ required "repo" .Values.image.repository }}:{{ .Values.image.tag }}'\n`);
  });

  it('writes multi-line strings as literal blocks', () => {
    expect(writeYaml({ rego: 'package x\n\nviolation[msg] {\n  msg := "no"\n}\n' })).toBe('rego: |\n  package x\n\n  violation[msg] {\n    msg := "no"\n  }\n');
  });
});
