import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation asks, below the field being resolved, for the field at `path` (names
 * as in the schema, aliases aside), through inline fragments and fragment spreads: a resolver
 * reads what a nested field needs in the same query when that field is asked for. A field under
 * `@skip`/`@include` counts as asked for: reading too much is safe, too little is not.
 */
export function selectsPath(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const node of level) if (node.selectionSet) collectFields(node.selectionSet, name, info.fragments, next, new Set());
    if (next.length === 0) return false;
    level = next;
  }
  return true;
}

function collectFields(set: SelectionSetNode, name: string, fragments: GraphQLResolveInfo['fragments'], into: FieldNode[], spread: Set<string>): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) into.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectFields(selection.selectionSet, name, fragments, into, spread);
    } else if (!spread.has(selection.name.value)) {
      spread.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (fragment) collectFields(fragment.selectionSet, name, fragments, into, spread);
    }
  }
}
