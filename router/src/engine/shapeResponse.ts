import { GraphQLError, isCompositeType, isObjectType, type FieldNode, type GraphQLCompositeType, type GraphQLSchema } from 'graphql';
import { AppError } from '@shop/errors';
import type { FieldShape, SelectionShape, TypeShape } from './selections.js';

export type ResponsePath = Array<string | number>;

/** A null whose cause is already in the errors: a nullable position takes it as null, silently. */
const REPORTED = Symbol('reported null');
/** A null in a non-null position: the enclosing object or list becomes null. */
const INVALID = Symbol('invalid null');
type Completed = unknown | typeof REPORTED | typeof INVALID;

export interface ShapeOptions {
  schema: GraphQLSchema;
  /** Whether an error already reported (by a subgraph, or an unavailable one) explains a null at `path`. */
  explained(path: ResponsePath): boolean;
  /** Answers a `__schema`/`__type` root field. */
  introspect(node: FieldNode): unknown;
  /** Where `input` sits in the response (a deferred fragment's object): the prefix of every error path. */
  at?: ResponsePath;
}

export interface ShapeResult {
  data: Record<string, unknown> | null;
  /** Value-completion errors: a null in a non-null position, a value of the wrong type. */
  errors: GraphQLError[];
}

/**
 * Builds the response from the data the fetches merged: only the fields the operation selected,
 * in its order, aliases as asked, fragments applied by runtime type, and nulls propagated to the
 * nearest nullable position as the GraphQL spec says. Unlike @apollo/gateway, which moves these
 * errors into `extensions.valueCompletion` (or drops them), each one is a real error with its
 * path, unless an error already reported explains that null.
 */
export function shapeResponse(root: SelectionShape, rootType: GraphQLCompositeType, input: Record<string, unknown>, options: ShapeOptions): ShapeResult {
  const shaping = new Shaping(options);
  const data: Record<string, unknown> = {};
  const ok = shaping.object(root.fieldsFor(rootType), rootType, input, data);
  return { data: ok ? data : null, errors: shaping.errors };
}

class Shaping {
  readonly errors: GraphQLError[] = [];
  private readonly path: ResponsePath;
  /** `Type.field` of the object being written, for errors about its type. */
  private parent = '';

  constructor(private readonly options: ShapeOptions) {
    this.path = [...(options.at ?? [])];
  }

  /** Writes `fields` of `input` into `output`; false when a non-null field is null (the object itself becomes null). */
  object(fields: readonly FieldShape[], runtimeType: GraphQLCompositeType, input: Record<string, unknown>, output: Record<string, unknown>): boolean {
    const { path } = this;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const name = field.responseName;
      if (field.role === 'typename') {
        if (!isObjectType(runtimeType)) {
          this.report(abstractMessage(runtimeType, this.parent));
          return false;
        }
        setField(output, name, runtimeType.name);
        continue;
      }
      if (field.role === 'introspection') {
        setField(output, name, this.options.introspect(field.node));
        continue;
      }
      let value = input[name];
      if (typeof value === 'function') value = undefined; // inherited from Object.prototype, not data
      path.push(name);
      const completed = this.value(field.type, value === undefined ? null : value, field);
      path.pop();
      if (completed === INVALID) return false;
      setField(output, name, completed === REPORTED ? null : completed);
    }
    return true;
  }

  private value(type: TypeShape, value: unknown, field: FieldShape): Completed {
    switch (type.kind) {
      case 'nonNull': {
        const inner = this.value(type.of, value, field);
        if (inner === null) {
          // graphql-js's words, list elements included (the path says which element).
          this.report(`Cannot return null for non-nullable field ${field.coordinate}.`);
          return INVALID;
        }
        return inner === REPORTED ? INVALID : inner;
      }
      case 'leaf':
        if (value === null) return null;
        if (type.valid(value)) return value;
        this.report(`Invalid value found for ${this.position(field)}.`);
        return REPORTED;
      case 'list': {
        if (value === null) return null;
        if (!Array.isArray(value)) {
          this.report(`Invalid non-list value found for ${this.position(field)}.`);
          return REPORTED;
        }
        const { path } = this;
        const items = new Array<unknown>(value.length);
        let nullified = false;
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          const item = this.value(type.of, value[i] ?? null, field);
          path.pop();
          if (item === INVALID) nullified = true; // keep going: every element's errors are reported
          else items[i] = item === REPORTED ? null : item;
        }
        return nullified ? REPORTED : items;
      }
      case 'composite': {
        if (value === null) return null;
        if (typeof value !== 'object' || Array.isArray(value)) {
          this.report(`Invalid non-object value found for ${this.position(field)}.`);
          return REPORTED;
        }
        const object = value as Record<string, unknown>;
        const runtimeType = this.runtimeType(type.selection.staticType, object.__typename, field);
        if (!runtimeType) return REPORTED;
        // An @interfaceObject subgraph can only name the interface; when no subgraph that knows
        // the implementations resolves the entity, there is no object type to complete it as.
        if (typeof object.__typename === 'string' && !isObjectType(runtimeType)) {
          this.report(abstractMessage(runtimeType, field.coordinate));
          return REPORTED;
        }
        const output: Record<string, unknown> = {};
        const parent = this.parent;
        this.parent = field.coordinate;
        const written = this.object(type.selection.fieldsFor(runtimeType), runtimeType, object, output);
        this.parent = parent;
        return written ? output : REPORTED;
      }
    }
  }

  private runtimeType(staticType: GraphQLCompositeType, typename: unknown, field: FieldShape): GraphQLCompositeType | null {
    if (typeof typename !== 'string' || typename === staticType.name) return staticType;
    const type = this.options.schema.getType(typename);
    if (type && isCompositeType(type)) return type;
    // Not in the API schema (e.g. @inaccessible): say so without naming it.
    this.report(`Invalid __typename found for object at ${this.position(field)}.`);
    return null;
  }

  private position(field: FieldShape): string {
    const last = this.path[this.path.length - 1];
    return typeof last === 'number' ? `array element at index ${last} of field ${field.coordinate}` : `field ${field.coordinate}`;
  }

  private report(message: string): void {
    const path = [...this.path];
    if (this.options.explained(path)) return;
    // The subgraph's data broke the schema's promise: a field error at this path, never a stack.
    this.errors.push(new GraphQLError(message, { path, originalError: new AppError('INTERNAL_SERVER_ERROR', message) }));
  }
}

/** graphql-js's words for an abstract value whose object type cannot be known. */
function abstractMessage(type: GraphQLCompositeType, coordinate: string): string {
  return `Abstract type "${type.name}" must resolve to an Object type at runtime for field "${coordinate}". No subgraph resolved the entity to one of its implementations.`;
}

function setField(output: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(output, name, { value, enumerable: true, writable: true, configurable: true });
  else output[name] = value;
}
