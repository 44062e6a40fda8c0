import { isAbstractType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { FetchDataRewrite, QueryPlanSelectionNode } from '@apollo/query-planner';
import type { ResponsePath } from './shapeResponse.js';

export type DataObject = Record<string, unknown>;

/**
 * Everything the executor does to the data fetched so far, with the semantics of
 * @apollo/gateway's executor (so answers stay the same): walking a plan path (`@` = each list
 * element), building entity representations from `requires`, applying the planner's data
 * rewrites, and merging a subgraph's answer into the entity it completes.
 */

/** The non-null objects found at `path` below `data`, in document order. */
export function objectsAt(data: unknown, path: readonly (string | number)[], from = 0, out: DataObject[] = []): DataObject[] {
  if (data === null || data === undefined) return out;
  if (from === path.length) {
    if (Array.isArray(data)) {
      for (const item of data) if (item !== null && item !== undefined) out.push(item as DataObject);
    } else out.push(data as DataObject);
    return out;
  }
  const head = path[from];
  if (head === '@') {
    if (Array.isArray(data)) for (const item of data) objectsAt(item, path, from + 1, out);
  } else if (Array.isArray(data)) {
    for (const item of data) objectsAt(item, path, from, out);
  } else {
    objectsAt(own(data as DataObject, head as string), path, from + 1, out);
  }
  return out;
}

/** The response paths of the objects `objectsAt` finds, in the same order (`@` becomes the index). */
export function pathsAt(data: unknown, path: readonly (string | number)[], from = 0, prefix: ResponsePath = [], out: ResponsePath[] = []): ResponsePath[] {
  if (data === null || data === undefined) return out;
  if (from === path.length) {
    if (Array.isArray(data)) {
      data.forEach((item, i) => {
        if (item !== null && item !== undefined) out.push([...prefix, i]);
      });
    } else out.push([...prefix]);
    return out;
  }
  const head = path[from]!;
  if (head === '@' || Array.isArray(data)) {
    if (!Array.isArray(data)) return out;
    data.forEach((item, i) => {
      prefix.push(i);
      pathsAt(item, path, head === '@' ? from + 1 : from, prefix, out);
      prefix.pop();
    });
  } else {
    prefix.push(head);
    pathsAt(own(data as DataObject, head as string), path, from + 1, prefix, out);
    prefix.pop();
  }
  return out;
}

/**
 * The representation of `entity` for a fetch's `requires` (its key fields, `@requires` fields
 * and `__typename`), or null when a required field is missing (its fetch failed: the entity is
 * left alone, the failure was already reported).
 */
export function representationOf(types: TypeConditions, entity: DataObject, selections: readonly QueryPlanSelectionNode[]): DataObject | null {
  const result: DataObject = {};
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = selection.alias ?? selection.name;
      const value = own(entity, name);
      if (value === undefined) return null;
      if (!selection.selections || value === null) result[name] = value;
      else if (Array.isArray(value)) result[name] = value.map((item) => (item === null ? null : representationOf(types, item as DataObject, selection.selections!)));
      else result[name] = representationOf(types, value as DataObject, selection.selections);
    } else if (selection.typeCondition && types.matches(entity, selection.typeCondition)) {
      const inner = representationOf(types, entity, selection.selections);
      if (inner) deepMerge(result, inner);
    }
  }
  return result;
}

/** Type conditions against an object's `__typename`, over the supergraph schema, memoized. */
export class TypeConditions {
  private readonly memo = new Map<string, boolean>();

  constructor(private readonly schema: GraphQLSchema) {}

  matches(object: DataObject, condition: string, whenUnknown = false): boolean {
    const typename = object.__typename;
    if (typeof typename !== 'string' || typename === '') return whenUnknown;
    if (typename === condition) return true;
    const key = `${condition}\n${typename}`;
    let result = this.memo.get(key);
    if (result === undefined) {
      const type = this.schema.getType(typename);
      const conditionType = this.schema.getType(condition);
      result =
        !!type &&
        !!conditionType &&
        isAbstractType(conditionType) &&
        (isObjectType(type) || isInterfaceType(type)) &&
        this.schema.isSubType(conditionType, type);
      this.memo.set(key, result);
    }
    return result;
  }
}

const FRAGMENT_PREFIX = '... on ';

/** The planner's rewrites (e.g. `__typename` of an @interfaceObject representation, renamed aliases). */
export function applyRewrites(types: TypeConditions, rewrites: readonly FetchDataRewrite[] | undefined, value: unknown): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) {
    if (rewrite.path.length === 0) continue;
    const field = rewrite.path[rewrite.path.length - 1]!;
    applyAt(types, rewrite.path, 0, rewrite.path.length - 1, value, (object) => {
      if (rewrite.kind === 'ValueSetter') object[field] = rewrite.setValueTo;
      else {
        const found = own(object, field);
        if (found) {
          object[rewrite.renameKeyTo] = found;
          object[field] = undefined;
        }
      }
    });
  }
}

function applyAt(types: TypeConditions, path: readonly string[], from: number, end: number, value: unknown, apply: (object: DataObject) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) applyAt(types, path, from, end, item, apply);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (from === end) {
    apply(value as DataObject);
    return;
  }
  const element = path[from]!;
  if (element.startsWith(FRAGMENT_PREFIX)) {
    if (types.matches(value as DataObject, element.slice(FRAGMENT_PREFIX.length), true)) applyAt(types, path, from + 1, end, value, apply);
  } else applyAt(types, path, from + 1, end, own(value as DataObject, element), apply);
}

/** Merges a subgraph's answer into the data so far (objects by key, same-length lists by index). */
export function deepMerge(target: DataObject, source: unknown): void {
  if (source === null || source === undefined || typeof source !== 'object') return;
  for (const key of Object.keys(source)) {
    const incoming = (source as DataObject)[key];
    if (incoming === undefined) continue;
    const existing = own(target, key);
    // Already there: an answer merged into several positions shares its lists and objects.
    if (existing === incoming) continue;
    if (existing && typeof incoming === 'object' && incoming !== null && !Array.isArray(incoming) && typeof existing === 'object') {
      deepMerge(existing as DataObject, incoming);
    } else if (Array.isArray(incoming) && Array.isArray(existing) && incoming.length === existing.length) {
      for (let i = 0; i < incoming.length; i++) {
        const a = existing[i];
        const b = incoming[i];
        if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) deepMerge(a as DataObject, b);
        else existing[i] = b;
      }
    } else if (key === '__proto__') {
      Object.defineProperty(target, key, { value: incoming, enumerable: true, writable: true, configurable: true });
    } else {
      target[key] = incoming;
    }
  }
}

function own(object: DataObject, key: string): unknown {
  const value = object[key];
  return value === undefined || (typeof value === 'function' && !Object.hasOwn(object, key)) ? undefined : value;
}
