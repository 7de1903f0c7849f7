/**
 * Source positions for spec paths, in one place. `locate` finds the deepest node that
 * exists along the path: the value itself, the key node when asked for a key (unknown
 * keys), or the nearest existing parent (missing fields). Ours, not the parser's
 * getIn(), so a yaml major version cannot change where errors point.
 */
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

export interface Located {
  readonly offset: number;
  /** How many path segments were found. */
  readonly depth: number;
}

export function locate(doc: Document.Parsed | undefined, path: readonly (string | number)[], wantKey = false): Located {
  if (!doc) return { offset: 0, depth: 0 };
  let node = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const last = i === path.length - 1;
      const keyNode = pair.key as Node;
      const valueNode = pair.value as Node | null;
      depth++;
      if (last && wantKey) return { offset: keyNode.range?.[0] ?? offset, depth };
      // A key with an empty value points at the key.
      offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      if (!valueNode || (isScalar(valueNode) && valueNode.value === null && valueNode.range?.[0] === valueNode.range?.[1])) {
        offset = keyNode.range?.[0] ?? offset;
      }
      node = valueNode;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg] as Node;
      offset = node?.range?.[0] ?? offset;
      depth++;
    } else break;
  }
  return { offset, depth };
}
