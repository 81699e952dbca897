// Walking the syntax tree: children in source order, a depth-first walk, and the innermost
// node under a cursor (what completion and hover start from).

import type { Comment, MasklabDocument, Node } from './ast';

/** The direct children of `node`, in source order. */
export function childrenOf(node: Node): Node[] {
  switch (node.kind) {
    case 'document':
      return node.declarations;
    case 'experiment':
      return compact([node.name, node.base, node.body]);
    case 'sweep':
      return compact([node.name, node.target, node.body]);
    case 'body':
      return node.entries;
    case 'property':
      return [node.key, ...node.values];
    case 'block':
      return [node.key, ...node.args, node.body];
    case 'key':
      return node.parts;
    case 'identifier-value':
      return node.parts;
    default:
      return [];
  }
}

function compact(nodes: (Node | undefined)[]): Node[] {
  return nodes.filter((n): n is Node => n !== undefined);
}

/**
 * Visits `root` and its descendants depth-first in source order. `visit` returning false skips
 * that node's children. Iterative, so depth is never a stack problem.
 */
export function walk(root: Node, visit: (node: Node, parent: Node | undefined) => boolean | void): void {
  const stack: { node: Node; parent: Node | undefined }[] = [{ node: root, parent: undefined }];
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!;
    if (visit(node, parent) === false) continue;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], parent: node });
  }
}

/**
 * The path from the document down to the innermost node whose span contains `offset`
 * (`[0]` is always the document). A node ending exactly at `offset` counts, so a cursor right
 * after `lr` finds `lr`; a node starting at `offset` beats one ending there, and of several
 * that only touch `offset` (`train.` and its empty value placeholder) the first in the text wins.
 */
export function nodeAt(doc: MasklabDocument, offset: number): Node[] {
  const path: Node[] = [doc];
  let current: Node = doc;
  for (;;) {
    const children = childrenOf(current);
    let inside: Node | undefined;
    let touching: Node | undefined;
    for (const child of children) {
      if (child.span.start <= offset && offset < child.span.end) {
        inside = child;
        break;
      }
      if (!touching && child.span.start <= offset && offset === child.span.end) touching = child;
    }
    const next = inside ?? touching;
    if (!next) return path;
    path.push(next);
    current = next;
  }
}

/** The comment containing `offset` (a line comment's end counts), if any. */
export function commentAt(doc: MasklabDocument, offset: number): Comment | undefined {
  const comments = doc.comments;
  let low = 0;
  let high = comments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const c = comments[mid];
    if (offset < c.span.start) high = mid - 1;
    else if (offset > c.span.end || (offset === c.span.end && !c.line)) low = mid + 1;
    else return c;
  }
  return undefined;
}
