import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Step } from './compilePlan.js';
import { deepMerge, type DataObject } from './entityData.js';
import type { ResponsePath } from './shapeResponse.js';

/**
 * What incremental delivery (`@defer`, the `deferSpec=20220824` payloads Apollo Client and Apollo
 * Router speak) needs besides the executor: where a deferred fragment's objects are in the
 * answer sent so far, and what type they have.
 */

/** Whether a plan holds a DeferStep anywhere (only such operations are answered incrementally). */
export function hasDefer(step: Step | undefined): boolean {
  if (!step) return false;
  switch (step.kind) {
    case 'Defer':
      return true;
    case 'Sequence':
    case 'Parallel':
      return step.steps.some(hasDefer);
    case 'Flatten':
      return hasDefer(step.step);
    case 'Condition':
      return hasDefer(step.ifStep) || hasDefer(step.elseStep);
    case 'Fetch':
      return false;
  }
}

/**
 * The static type of the objects at `path` (response names from `type`, lists walked through),
 * following the operation's selections, inline fragments and fragment spreads; null when the
 * path leaves them.
 */
export function typeAtPath(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  path: readonly string[],
): GraphQLCompositeType | null {
  let current = type;
  let sets = selectionSets;
  for (const responseName of path) {
    const found: Array<{ node: FieldNode; owner: GraphQLCompositeType }> = [];
    const visit = (selectionSet: SelectionSetNode, owner: GraphQLCompositeType, seen: Set<string>) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if ((selection.alias?.value ?? selection.name.value) === responseName) found.push({ node: selection, owner });
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          visit(selection.selectionSet, conditionType(schema, selection.typeCondition?.name.value) ?? owner, seen);
        } else if (!seen.has(selection.name.value)) {
          const fragment = fragments.get(selection.name.value);
          if (fragment) visit(fragment.selectionSet, conditionType(schema, fragment.typeCondition.name.value) ?? owner, new Set([...seen, selection.name.value]));
        }
      }
    };
    for (const set of sets) visit(set, current, new Set());
    const first = found[0];
    if (!first) return null;
    const owner = first.owner;
    const definition = isObjectType(owner) || isInterfaceType(owner) ? owner.getFields()[first.node.name.value] : undefined;
    if (!definition) return null;
    current = getNamedType(definition.type) as GraphQLCompositeType;
    sets = found.flatMap((f) => (f.node.selectionSet ? [f.node.selectionSet] : []));
  }
  return current;
}

function conditionType(schema: GraphQLSchema, name: string | undefined): GraphQLCompositeType | null {
  const type = name ? schema.getType(name) : undefined;
  return type && (isObjectType(type) || isInterfaceType(type)) ? type : null;
}

/** The value at a concrete response path, or undefined. */
export function valueAt(data: unknown, path: ResponsePath): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** Merges a delivered fragment's data into the answer sent so far, so fragments nested in it find their objects. */
export function mergeDelivered(delivered: DataObject, path: ResponsePath, data: DataObject): void {
  const target = valueAt(delivered, path);
  if (target && typeof target === 'object' && !Array.isArray(target)) deepMerge(target as DataObject, data);
}
