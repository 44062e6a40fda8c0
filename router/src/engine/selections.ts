import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * What the response shaper needs of one operation, prepared once per document and variant of
 * its `@skip`/`@include` variables: for every selection set and every runtime type it meets,
 * the fields to write in the order the GraphQL spec's CollectFields gives, with their types
 * unwrapped into small descriptors. Selections for a runtime type are built the first time an
 * object of that type is met, then reused by every request.
 */
export type TypeShape =
  | { kind: 'nonNull'; of: TypeShape }
  | { kind: 'list'; of: TypeShape }
  | { kind: 'leaf'; typeName: string; valid: (value: unknown) => boolean }
  | { kind: 'composite'; selection: SelectionShape };

export interface FieldShape {
  responseName: string;
  /** `__typename` (answered from the runtime type), a schema introspection root field, or data. */
  role: 'typename' | 'introspection' | 'data';
  type: TypeShape;
  /** `Type.field`, for error messages. */
  coordinate: string;
  /** The field's first node, for introspection. */
  node: FieldNode;
}

export class SelectionShape {
  private readonly byType = new Map<string, FieldShape[]>();

  constructor(
    private readonly context: ShapeContext,
    readonly staticType: GraphQLCompositeType,
    private readonly selectionSets: readonly SelectionSetNode[],
  ) {}

  /** The fields to write for an object whose runtime type is `type` (an object type, or an abstract type when the data does not say). */
  fieldsFor(type: GraphQLCompositeType): FieldShape[] {
    let fields = this.byType.get(type.name);
    if (!fields) {
      fields = this.collect(type);
      this.byType.set(type.name, fields);
    }
    return fields;
  }

  private collect(runtimeType: GraphQLCompositeType): FieldShape[] {
    const { context } = this;
    const merged = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    const visit = (selectionSet: SelectionSetNode) => {
      for (const selection of selectionSet.selections) {
        if (!context.included(selection.directives)) continue;
        if (selection.kind === Kind.FIELD) {
          const responseName = selection.alias?.value ?? selection.name.value;
          const nodes = merged.get(responseName);
          if (nodes) nodes.push(selection);
          else merged.set(responseName, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (!selection.typeCondition || context.applies(selection.typeCondition.name.value, runtimeType)) visit(selection.selectionSet);
        } else {
          const name = selection.name.value;
          const fragment = context.fragments.get(name);
          if (!fragment || visited.has(name)) continue;
          visited.add(name);
          if (context.applies(fragment.typeCondition.name.value, runtimeType)) visit(fragment.selectionSet);
        }
      }
    };
    for (const selectionSet of this.selectionSets) visit(selectionSet);

    const fields: FieldShape[] = [];
    for (const [responseName, nodes] of merged) {
      const node = nodes[0]!;
      const name = node.name.value;
      if (name === '__typename') {
        fields.push({ responseName, role: 'typename', type: TYPENAME_SHAPE, coordinate: `${runtimeType.name}.__typename`, node });
        continue;
      }
      if ((name === '__schema' || name === '__type') && runtimeType === context.schema.getQueryType()) {
        fields.push({ responseName, role: 'introspection', type: ANY_SHAPE, coordinate: `${runtimeType.name}.${name}`, node });
        continue;
      }
      const definition = isObjectType(runtimeType) || isInterfaceType(runtimeType) ? runtimeType.getFields()[name] : undefined;
      if (!definition) continue; // validated operations only select existing fields
      const subSelections = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      fields.push({
        responseName,
        role: 'data',
        type: context.typeShape(definition.type, subSelections),
        coordinate: `${runtimeType.name}.${name}`,
        node,
      });
    }
    return fields;
  }
}

const TYPENAME_SHAPE: TypeShape = { kind: 'leaf', typeName: 'String', valid: (v) => typeof v === 'string' };
/** Introspection answers come from graphql-js over the API schema, already complete. */
const ANY_SHAPE: TypeShape = { kind: 'leaf', typeName: 'Introspection', valid: () => true };

/** Shared by every selection of one prepared operation. */
export class ShapeContext {
  private readonly subtypes = new Map<string, boolean>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    /** Values of the boolean variables `@skip`/`@include` use (coerced, defaults applied). */
    private readonly conditions: Readonly<Record<string, unknown>>,
  ) {}

  /** Whether a fragment with type condition `condition` applies to an object of `runtimeType`. */
  applies(condition: string, runtimeType: GraphQLNamedType): boolean {
    if (condition === runtimeType.name) return true;
    const key = `${condition}\n${runtimeType.name}`;
    let result = this.subtypes.get(key);
    if (result === undefined) {
      const conditionType = this.schema.getType(condition);
      result =
        conditionType !== undefined &&
        isAbstractType(conditionType) &&
        (isObjectType(runtimeType) || isInterfaceType(runtimeType)) &&
        this.schema.isSubType(conditionType, runtimeType);
      this.subtypes.set(key, result);
    }
    return result;
  }

  included(directives: FieldNode['directives']): boolean {
    if (!directives || directives.length === 0) return true;
    for (const directive of directives) {
      const name = directive.name.value;
      if (name !== 'skip' && name !== 'include') continue;
      const argument = directive.arguments?.find((a) => a.name.value === 'if');
      const value = argument ? this.booleanOf(argument.value) : false;
      if (name === 'skip' ? value : !value) return false;
    }
    return true;
  }

  typeShape(type: GraphQLOutputType, selectionSets: readonly SelectionSetNode[]): TypeShape {
    if (isNonNullType(type)) return { kind: 'nonNull', of: this.typeShape(type.ofType, selectionSets) };
    if (isListType(type)) return { kind: 'list', of: this.typeShape(type.ofType, selectionSets) };
    const named = getNamedType(type);
    if (isObjectType(named) || isInterfaceType(named) || isAbstractType(named)) {
      return { kind: 'composite', selection: new SelectionShape(this, named as GraphQLCompositeType, selectionSets) };
    }
    return { kind: 'leaf', typeName: named.name, valid: leafValidator(named) };
  }

  private booleanOf(value: ValueNode): boolean {
    if (value.kind === Kind.BOOLEAN) return value.value;
    if (value.kind === Kind.VARIABLE) return this.conditions[value.name.value] === true;
    return false;
  }
}

/**
 * What a subgraph may send for a leaf: the built-in scalars' JSON types, an enum's values, and
 * anything for custom scalars (the same rule @apollo/gateway's result shaping applies).
 */
function leafValidator(type: GraphQLNamedType): (value: unknown) => boolean {
  if (isEnumType(type)) {
    const values = new Set(type.getValues().map((v) => v.name));
    return (value) => typeof value === 'string' && values.has(value);
  }
  switch (type.name) {
    case 'Int':
      return (value) => typeof value === 'number' && Number.isInteger(value);
    case 'ID':
      return (value) => typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
    case 'Float':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return (value) => typeof value === 'string';
    case 'Boolean':
      return (value) => typeof value === 'boolean';
    default:
      return (value) => value !== undefined && typeof value !== 'function';
  }
}

/** The names of the boolean variables an operation's `@skip`/`@include` read: they pick the shaper variant. */
export function conditionVariables(selectionSets: readonly SelectionSetNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      for (const directive of selection.directives ?? []) {
        if (directive.name.value !== 'skip' && directive.name.value !== 'include') continue;
        for (const argument of directive.arguments ?? []) {
          if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
        }
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          visit(fragment.selectionSet);
        }
      } else if (selection.selectionSet) visit(selection.selectionSet);
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return [...names].sort();
}
