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
 * The plain fields besides `__typename` a fetch's representations are made of, when every fragment
 * of its `requires` is exactly `__typename` and the same fields without selections of their own
 * (a key, with or without `@requires` fields, the usual case): a representation is then fixed by
 * the entity's `__typename` and those fields' values, so entities that share them share it. Null
 * for anything else.
 */
export function plainFields(selections: readonly QueryPlanSelectionNode[]): string[] | null {
  let names: string[] | null = null;
  for (const selection of selections) {
    if (selection.kind !== 'InlineFragment' || !selection.typeCondition) return null;
    let typename = false;
    const fields: string[] = [];
    for (const inner of selection.selections) {
      if (inner.kind !== 'Field' || inner.selections) return null;
      if (inner.name === '__typename' && !inner.alias) typename = true;
      else fields.push(inner.alias ?? inner.name);
    }
    if (!typename || fields.length === 0 || new Set(fields).size !== fields.length) return null;
    if (names !== null && (names.length !== fields.length || names.some((name, k) => name !== fields[k]))) return null;
    names = fields;
  }
  return names;
}

/**
 * What the entities of one fetch came to, by `__typename` and the values of its plain fields (see
 * `plainFields`): entities that share them have the same representation.
 */
export class SameKeys<T> {
  private readonly byType = new Map<string, Map<unknown, unknown>>();

  constructor(private readonly fields: readonly string[]) {}

  get(entity: DataObject): T | undefined {
    if (typeof entity.__typename !== 'string') return undefined;
    let level: unknown = this.byType.get(entity.__typename);
    for (let k = 0; k < this.fields.length && level !== undefined; k++) {
      const value = this.valueOf(entity, k);
      if (value === undefined) return undefined;
      level = (level as Map<unknown, unknown>).get(value);
    }
    return level as T | undefined;
  }

  set(entity: DataObject, value: T): void {
    if (typeof entity.__typename !== 'string') return;
    let level = this.byType.get(entity.__typename);
    if (!level) this.byType.set(entity.__typename, (level = new Map()));
    const last = this.fields.length - 1;
    for (let k = 0; k < last; k++) {
      const key = this.valueOf(entity, k);
      if (key === undefined) return;
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (!next) level.set(key, (next = new Map()));
      level = next;
    }
    const key = this.valueOf(entity, last);
    if (key !== undefined) level.set(key, value);
  }

  /** A field's value, or undefined when the entity cannot be told by it (missing, or inherited). */
  private valueOf(entity: DataObject, k: number): unknown {
    const value = entity[this.fields[k]!];
    return typeof value === 'function' ? undefined : value;
  }
}
