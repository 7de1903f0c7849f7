/**
 * A Go text/template evaluator for exactly the subset the workload charts use, so tests can
 * render them without a helm binary: text with {{- -}} trimming, comments, define / include,
 * if / with / else / end, pipelines, `.`, `$`, field chains, string and number literals, and
 * the functions toJson, toYaml, nindent, printf (%s %d %v), required, int, eq, ne. Anything
 * else (tpl, lookup, .Files, .Release, range, an unknown function) throws: a template that
 * needs more than this subset fails the tests rather than rendering by guess. Field access on a
 * missing value throws as Helm does ("nil pointer evaluating"); a missing map key is nil.
 */
import { stringify } from 'yaml';

type Value = unknown;
type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'out'; readonly expr: string }
  | { readonly t: 'if' | 'with'; readonly expr: string; readonly then: Node[]; readonly else: Node[] };

interface Piece {
  readonly text?: string;
  readonly action?: string;
  readonly trimLeft?: boolean;
  readonly trimRight?: boolean;
}

function lex(src: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ text: src.slice(i) });
      break;
    }
    out.push({ text: src.slice(i, open) });
    const close = src.indexOf('}}', open);
    if (close < 0) throw new Error(`unclosed action at ${open}`);
    let inner = src.slice(open + 2, close);
    const trimLeft = /^-\s/.test(inner);
    const trimRight = /\s-$/.test(inner);
    if (trimLeft) inner = inner.slice(1);
    if (trimRight) inner = inner.slice(0, -1);
    out.push({ action: inner.trim(), trimLeft, trimRight });
    i = close + 2;
  }
  // Apply trim markers to the neighbouring text, then drop comments.
  for (let k = 0; k < out.length; k++) {
    const p = out[k]!;
    if (p.action === undefined) continue;
    if (p.trimLeft && out[k - 1]?.text !== undefined) out[k - 1] = { text: out[k - 1]!.text!.replace(/\s+$/, '') };
    if (p.trimRight && out[k + 1]?.text !== undefined) out[k + 1] = { text: out[k + 1]!.text!.replace(/^\s+/, '') };
  }
  return out.filter((p) => !(p.action !== undefined && p.action.startsWith('/*')));
}

/** Parses pieces into nodes; `define` bodies go into `defines`. */
function parse(pieces: Piece[], defines: Map<string, Node[]>): Node[] {
  let k = 0;
  const block = (): { nodes: Node[]; end: 'end' | 'else' | 'eof' } => {
    const nodes: Node[] = [];
    while (k < pieces.length) {
      const p = pieces[k++]!;
      if (p.action === undefined) {
        if (p.text) nodes.push({ t: 'text', text: p.text });
        continue;
      }
      const a = p.action;
      if (a === 'end') return { nodes, end: 'end' };
      if (a === 'else') return { nodes, end: 'else' };
      const m = /^(if|with|define)\s+(.*)$/s.exec(a);
      if (m) {
        const body = block();
        if (m[1] === 'define') {
          if (body.end !== 'end') throw new Error(`define ${m[2]} not closed by end`);
          defines.set(JSON.parse(m[2]!) as string, body.nodes);
          continue;
        }
        let elseNodes: Node[] = [];
        if (body.end === 'else') {
          const rest = block();
          if (rest.end !== 'end') throw new Error(`${m[1]} not closed by end`);
          elseNodes = rest.nodes;
        } else if (body.end !== 'end') throw new Error(`${m[1]} not closed by end`);
        nodes.push({ t: m[1] as 'if' | 'with', expr: m[2]!, then: body.nodes, else: elseNodes });
        continue;
      }
      if (/^(range|template|block|break|continue)\b/.test(a)) throw new Error(`unsupported action: ${a}`);
      nodes.push({ t: 'out', expr: a });
    }
    return { nodes, end: 'eof' };
  };
  const { nodes, end } = block();
  if (end !== 'eof') throw new Error(`unexpected {{ ${end} }}`);
  return nodes;
}

type Token = { k: 'str'; v: string } | { k: 'num'; v: number } | { k: 'field'; v: string } | { k: 'id'; v: string } | { k: '(' | ')' | '|' };

function tokens(expr: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|((?:\$|\.)[A-Za-z0-9_.]*|\$)|([A-Za-z_][A-Za-z0-9_]*)|([()|]))/y;
  let i = 0;
  while (i < expr.length) {
    if (/^\s*$/.test(expr.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(expr);
    if (!m) throw new Error(`cannot read "${expr.slice(i)}" in {{ ${expr} }}`);
    if (m[1]) out.push({ k: 'str', v: JSON.parse(m[1]) as string });
    else if (m[2]) out.push({ k: 'num', v: Number(m[2]) });
    else if (m[3]) out.push({ k: 'field', v: m[3] });
    else if (m[4]) out.push({ k: 'id', v: m[4] });
    else out.push({ k: m[5] as '(' | ')' | '|' });
    i = re.lastIndex;
  }
  return out;
}

const truthy = (v: Value): boolean =>
  !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0));

function toYamlText(v: Value): string {
  return stringify(v, { lineWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, '');
}

export class Renderer {
  private readonly defines = new Map<string, Node[]>();

  /** Files whose name starts with _ only define helpers (as Helm treats them). */
  constructor(helpers: readonly string[]) {
    for (const h of helpers) parse(lex(h), this.defines);
  }

  render(template: string, values: Value): string {
    const nodes = parse(lex(template), this.defines);
    const root = { Values: values };
    return this.nodes(nodes, root, root);
  }

  private nodes(nodes: readonly Node[], dot: Value, root: Value): string {
    let out = '';
    for (const n of nodes) {
      if (n.t === 'text') out += n.text;
      else if (n.t === 'out') out += this.print(this.pipeline(tokens(n.expr), dot, root));
      else {
        const v = this.pipeline(tokens(n.expr), dot, root);
        out += truthy(v) ? this.nodes(n.then, n.t === 'with' ? v : dot, root) : this.nodes(n.else, dot, root);
      }
    }
    return out;
  }

  private print(v: Value): string {
    if (v === undefined || v === null) return ''; // Helm turns <no value> into ""
    if (typeof v === 'object') throw new Error(`printing a ${Array.isArray(v) ? 'list' : 'map'} directly: ${JSON.stringify(v)}`);
    return String(v);
  }

  private pipeline(ts: Token[], dot: Value, root: Value): Value {
    const commands: Token[][] = [[]];
    let depth = 0;
    for (const t of ts) {
      if (t.k === '(') depth++;
      if (t.k === ')') depth--;
      if (t.k === '|' && depth === 0) commands.push([]);
      else commands[commands.length - 1]!.push(t);
    }
    let piped: { v: Value } | undefined;
    for (const c of commands) piped = { v: this.command(c, dot, root, piped) };
    return piped!.v;
  }

  private command(ts: Token[], dot: Value, root: Value, piped?: { v: Value }): Value {
    const args: Value[] = [];
    let fn: string | undefined;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      if (t.k === 'id' && i === 0) fn = t.v;
      else if (t.k === 'id') throw new Error(`function ${t.v} as an argument: use parentheses`);
      else if (t.k === '(') {
        let depth = 1;
        let j = i + 1;
        for (; j < ts.length && depth > 0; j++) depth += ts[j]!.k === '(' ? 1 : ts[j]!.k === ')' ? -1 : 0;
        args.push(this.pipeline(ts.slice(i + 1, j - 1), dot, root));
        i = j - 1;
      } else if (t.k === 'str' || t.k === 'num') args.push(t.v);
      else if (t.k === 'field') args.push(this.field(t.v, dot, root));
      else throw new Error(`unexpected ${t.k}`);
    }
    if (piped) args.push(piped.v);
    if (fn === undefined) {
      if (args.length !== 1) throw new Error('a value takes no arguments');
      return args[0];
    }
    return this.call(fn, args);
  }

  private field(path: string, dot: Value, root: Value): Value {
    let v: Value = path.startsWith('$') ? root : dot;
    const names = path.replace(/^\$/, '').split('.').filter((s) => s !== '');
    for (const name of names) {
      if (v === undefined || v === null) throw new Error(`nil pointer evaluating ${path} at .${name}`);
      if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`can't evaluate field ${name} in ${typeof v}`);
      v = (v as Record<string, Value>)[name];
    }
    return v;
  }

  private call(fn: string, args: Value[]): Value {
    const arity = (n: number) => {
      if (args.length !== n) throw new Error(`${fn} takes ${n} arguments, got ${args.length}`);
    };
    switch (fn) {
      case 'toJson':
        arity(1);
        return JSON.stringify(args[0] ?? null);
      case 'toYaml':
        arity(1);
        return toYamlText(args[0]);
      case 'nindent': {
        arity(2);
        const pad = ' '.repeat(args[0] as number);
        return '\n' + String(args[1]).split('\n').map((l) => pad + l).join('\n');
      }
      case 'printf': {
        const [format, ...rest] = args as [string, ...Value[]];
        let n = 0;
        return format.replace(/%[sdv]/g, () => String(rest[n++]));
      }
      case 'required':
        arity(2);
        if (args[1] === undefined || args[1] === null || args[1] === '') throw new Error(`required: ${String(args[0])}`);
        return args[1];
      case 'int':
        arity(1);
        return Math.trunc(Number(args[0] ?? 0));
      case 'eq':
        arity(2);
        return args[0] === args[1];
      case 'ne':
        arity(2);
        return args[0] !== args[1];
      case 'include': {
        arity(2);
        const body = this.defines.get(args[0] as string);
        if (!body) throw new Error(`no template named ${String(args[0])}`);
        return this.nodes(body, args[1], args[1]); // inside a define, $ is the argument it was given
      }
      default:
        throw new Error(`unsupported function ${fn}`);
    }
  }
}

const isMap = (v: Value): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's merge of a chart's values.yaml with a values file: maps merge key by key, the file wins. */
export function coalesce(defaults: Value, values: Value): Value {
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const out: Record<string, Value> = { ...defaults };
  for (const [k, v] of Object.entries(values)) out[k] = coalesce(defaults[k], v);
  return out;
}
