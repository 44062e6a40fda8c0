import type { QueryPlanSelectionNode } from '@apollo/query-planner';
import type { DataObject, TypeConditions } from './entityData.js';

/**
 * Writes an entity's representation straight as the JSON text that goes into the `_entities`
 * request (and serves as its key for sending each distinct one once), without building an
 * object to stringify. Null: no representation (a required field is missing, or no fragment
 * applies). `undefined`: this entity needs the general path (several fragments apply).
 */
export type RepresentationEncoder = (entity: DataObject, types: TypeConditions) => string | null | undefined;

type ValueEncoder = (value: unknown) => string;
type ObjectEncoder = (object: DataObject) => string | null;

/**
 * Compiles a fetch's `requires` when it has the shape the planner gives keys and `@requires`:
 * inline fragments on a type, holding fields (nested or not). Anything else returns null and the
 * executor builds representation objects (the @apollo/gateway way) instead.
 */
export function compileRepresentation(selections: readonly QueryPlanSelectionNode[]): RepresentationEncoder | null {
  const fragments: Array<{ type: string; encode: ObjectEncoder }> = [];
  for (const selection of selections) {
    if (selection.kind !== 'InlineFragment' || !selection.typeCondition) return null;
    // A representation is sent only with its __typename; without one in the selection, the general path decides.
    if (!selection.selections.some((s) => s.kind === 'Field' && s.name === '__typename' && !s.alias)) return null;
    const encode = objectEncoder(selection.selections);
    if (!encode) return null;
    fragments.push({ type: selection.typeCondition, encode });
  }
  return (entity, types) => {
    let chosen: ObjectEncoder | undefined;
    for (const fragment of fragments) {
      if (!types.matches(entity, fragment.type)) continue;
      if (chosen) return undefined;
      chosen = fragment.encode;
    }
    return chosen ? chosen(entity) : null;
  };
}

/** Null when a selection is not a plain field (fragments inside keys: the general path handles them). */
function objectEncoder(selections: readonly QueryPlanSelectionNode[]): ObjectEncoder | null {
  const names: string[] = [];
  const prefixes: string[] = [];
  const values: ValueEncoder[] = [];
  for (const selection of selections) {
    if (selection.kind !== 'Field') return null;
    const name = selection.alias ?? selection.name;
    if (names.includes(name)) return null;
    let value: ValueEncoder = leaf;
    if (selection.selections) {
      const nested = objectEncoder(selection.selections);
      if (!nested) return null;
      value = composite(nested);
    }
    names.push(name);
    prefixes.push(`${names.length === 1 ? '{' : ','}${JSON.stringify(name)}:`);
    values.push(value);
  }
  const count = names.length;
  return (object) => {
    let json = '';
    for (let i = 0; i < count; i++) {
      const value = object[names[i]!];
      // A missing input: the entity cannot be represented (its fetch failed and was reported).
      if (value === undefined || (typeof value === 'function' && !Object.hasOwn(object, names[i]!))) return null;
      json += prefixes[i]! + values[i]!(value);
    }
    return count === 0 ? '{}' : `${json}}`;
  };
}

function leaf(value: unknown): string {
  return JSON.stringify(value);
}

/** Nested inputs as @apollo/gateway sends them: a missing field inside makes that value null. */
function composite(encode: ObjectEncoder): ValueEncoder {
  const one = (value: unknown): string => (value === null || typeof value !== 'object' ? 'null' : (encode(value as DataObject) ?? 'null'));
  return (value) => (Array.isArray(value) ? `[${value.map(one).join(',')}]` : one(value));
}

/**
 * The one field besides `__typename` a fetch's representations are made of, when every fragment
 * of its `requires` is exactly `__typename` and that one plain field (a single-field key, the
 * usual case): a representation is then fixed by the entity's `__typename` and that field's value,
 * so entities that share both share it. Null for anything else.
 */
export function singleKeyField(selections: readonly QueryPlanSelectionNode[]): string | null {
  let key: string | null = null;
  for (const selection of selections) {
    if (selection.kind !== 'InlineFragment' || !selection.typeCondition || selection.selections.length !== 2) return null;
    let typename = false;
    let field: string | null = null;
    for (const inner of selection.selections) {
      if (inner.kind !== 'Field' || inner.selections) return null;
      if (inner.name === '__typename' && !inner.alias) typename = true;
      else field = inner.alias ?? inner.name;
    }
    if (!typename || field === null || (key !== null && field !== key)) return null;
    key = field;
  }
  return key;
}

/**
 * What the entities of one fetch came to, by `__typename` and the value of its single key field
 * (see `singleKeyField`): entities that share both have the same representation.
 */
export class SameKeys<T> {
  private readonly byType = new Map<string, Map<unknown, T>>();

  constructor(private readonly keyField: string) {}

  get(entity: DataObject): T | undefined {
    const key = this.keyOf(entity);
    return key === undefined ? undefined : this.byType.get(entity.__typename as string)?.get(key);
  }

  set(entity: DataObject, value: T): void {
    const key = this.keyOf(entity);
    if (key === undefined) return;
    const typename = entity.__typename as string;
    let byKey = this.byType.get(typename);
    if (!byKey) this.byType.set(typename, (byKey = new Map()));
    byKey.set(key, value);
  }

  /** The key value, or undefined when the entity cannot be told by it (no string __typename, no own value). */
  private keyOf(entity: DataObject): unknown {
    if (typeof entity.__typename !== 'string') return undefined;
    const value = entity[this.keyField];
    return typeof value === 'function' ? undefined : value;
  }
}

