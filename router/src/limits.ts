import {
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type OperationTypeNode,
  type VariableDefinitionNode,
} from 'graphql';
import { AppError } from '@shop/errors';
import type { OperationLimits } from './config.js';
import { LRUCache } from 'lru-cache';
import type { ListSizes, ListSize } from './listSizes.js';

type Variables = Record<string, unknown> | null | undefined;
/** A cost that is known from the text alone, or depends on variables (`first: $first`). */
type Cost = number | ((variables: Variables) => number);

export interface OperationShape {
  operationName: string | null;
  operationType: 'query' | 'mutation' | 'subscription';
  depth: number;
  aliases: number;
  cost: Cost;
}

export interface OperationCheck {
  /** The parsed document; null when it does not parse (Apollo Server then reports the syntax error). */
  document: DocumentNode | null;
  /** The operation the request selects; null when it names none that exists. */
  shape: OperationShape | null;
  /** Set when a limit is exceeded: the coded error to answer with. */
  violation: AppError | null;
}

export interface OperationAnalyzer {
  /**
   * Parses and measures `query` (cached per query string and operation name: a repeated query
   * costs one map lookup, plus evaluating its cost when that depends on variables).
   */
  check(query: string, operationName: string | null | undefined, variables: Variables): OperationCheck;
}

interface DocumentEntry {
  document: DocumentNode | null;
  operations: Map<string, OperationShape | null>;
  /** The list sizes the shapes were measured with: a reloaded supergraph measures again. */
  sizes: ListSizes | null;
}

const LIST_SIZE_ARGUMENTS = new Set(['first', 'last']);

export function createOperationAnalyzer(
  limits: Pick<OperationLimits, 'maxDepth' | 'maxAliases' | 'maxCost'>,
  options: { cacheSize?: number; listSizes?: () => ListSizes | null } = {},
): OperationAnalyzer {
  const cacheSize = options.cacheSize ?? 2000;
  const documents = new LRUCache<string, DocumentEntry>({ max: cacheSize });

  const entryFor = (query: string): DocumentEntry => {
    let entry = documents.get(query);
    if (!entry) {
      let document: DocumentNode | null = null;
      try {
        document = parse(query);
      } catch {
        // Left to Apollo Server, which answers GRAPHQL_PARSE_FAILED like a plain gateway.
      }
      entry = { document, operations: new Map(), sizes: null };
      documents.set(query, entry);
    }
    return entry;
  };

  return {
    check(query, operationName, variables) {
      const entry = entryFor(query);
      if (!entry.document) return { document: null, shape: null, violation: null };
      const sizes = options.listSizes?.() ?? null;
      if (entry.sizes !== sizes) {
        entry.operations.clear();
        entry.sizes = sizes;
      }
      const key = operationName ?? '';
      let shape = entry.operations.get(key);
      if (shape === undefined) {
        shape = measureOperation(entry.document, operationName ?? null, sizes);
        entry.operations.set(key, shape);
      }
      return { document: entry.document, shape, violation: shape ? violationOf(shape, variables, limits) : null };
    },
  };
}

function violationOf(shape: OperationShape, variables: Variables, limits: Pick<OperationLimits, 'maxDepth' | 'maxAliases' | 'maxCost'>): AppError | null {
  if (shape.depth > limits.maxDepth) {
    return tooComplex('depth', `Query depth ${shape.depth} exceeds the maximum of ${limits.maxDepth}`, limits.maxDepth, shape.depth);
  }
  if (shape.aliases > limits.maxAliases) {
    return tooComplex('aliases', `${shape.aliases} aliases exceed the maximum of ${limits.maxAliases}`, limits.maxAliases, shape.aliases);
  }
  const cost = typeof shape.cost === 'number' ? shape.cost : shape.cost(variables);
  if (cost > limits.maxCost) {
    return tooComplex('cost', `Estimated query cost ${cost} exceeds the maximum of ${limits.maxCost}`, limits.maxCost, cost);
  }
  return null;
}

function tooComplex(limit: string, message: string, max: number, actual: number): AppError {
  return new AppError('QUERY_TOO_COMPLEX', message, { limit, max, actual });
}

/**
 * Depth, aliases and estimated cost of one operation, fragments expanded (each measured once).
 * With the supergraph's list sizes, a list field without its slicing argument counts its
 * `assumedSize` (a connection's default page), not 1.
 */
export function measureOperation(document: DocumentNode, operationName: string | null, sizes: ListSizes | null = null): OperationShape | null {
  let operation: OperationDefinitionNode | undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (operationName === null ? operation === undefined : definition.name?.value === operationName) operation = definition;
      else if (operationName === null) return null; // several operations and none named: Apollo Server explains
    }
  }
  if (!operation) return null;

  const defaults = defaultsOf(operation.variableDefinitions ?? []);
  const fragmentMeasures = new Map<string, Measure>();
  const visiting = new Set<string>();

  // `scale`: inside a connection, the fields that hold its list (`sizedFields`) count `size` times.
  const measureSelections = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, scale?: Scale): Measure => {
    let depth = 0;
    let aliases = 0;
    let cost: Cost = 0;
    for (const selection of selectionSet.selections) {
      let inner: Measure;
      if (selection.kind === Kind.FIELD) {
        const definition = parent && isObjectOrInterface(parent) ? parent.getFields()[selection.name.value] : undefined;
        const type = definition && getNamedType(definition.type);
        const declared = parent && sizes?.of(parent.name, selection.name.value);
        const size = declared ? declaredListSize(selection, declared, defaults) : listSize(selection, defaults);
        const sized = declared && declared.sizedFields.length > 0 ? { size, fields: new Set(declared.sizedFields) } : undefined;
        const children = selection.selectionSet ? measureSelections(selection.selectionSet, type, sized) : EMPTY;
        const own: Cost = add(1, sized ? children.cost : multiply(size, children.cost));
        inner = {
          depth: 1 + children.depth,
          aliases: children.aliases + (selection.alias ? 1 : 0),
          cost: scale?.fields.has(selection.name.value) ? multiply(scale.size, own) : own,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? sizes?.schema.getType(selection.typeCondition.name.value) : parent;
        inner = measureSelections(selection.selectionSet, condition ?? undefined, scale);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown or cyclic fragments make the document invalid; validation reports them.
        if (!fragment || visiting.has(name)) continue;
        // Spread inside a connection, a fragment is measured with its scale (not cached).
        let measured = scale ? undefined : fragmentMeasures.get(name);
        if (!measured) {
          visiting.add(name);
          measured = measureSelections(fragment.selectionSet, sizes?.schema.getType(fragment.typeCondition.name.value) ?? undefined, scale);
          visiting.delete(name);
          if (!scale) fragmentMeasures.set(name, measured);
        }
        inner = measured;
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      cost = add(cost, inner.cost);
    }
    return { depth, aliases, cost };
  };

  const measured = measureSelections(operation.selectionSet, sizes?.schema.getRootType(operation.operation as OperationTypeNode) ?? undefined);
  return {
    operationName: operation.name?.value ?? null,
    operationType: operation.operation,
    depth: measured.depth,
    aliases: measured.aliases,
    cost: measured.cost,
  };
}

interface Measure {
  depth: number;
  aliases: number;
  cost: Cost;
}

const EMPTY: Measure = { depth: 0, aliases: 0, cost: 0 };

interface Scale {
  size: Cost;
  fields: ReadonlySet<string>;
}

/** How many items a list field returns at most, from its `first`/`last` argument; 1 without one. */
function listSize(field: FieldNode, defaults: Map<string, number>): Cost {
  let size: Cost = 1;
  for (const argument of field.arguments ?? []) {
    if (!LIST_SIZE_ARGUMENTS.has(argument.name.value)) continue;
    const { value } = argument;
    if (value.kind === Kind.INT) size = max(size, Math.max(0, Number(value.value)));
    else if (value.kind === Kind.VARIABLE) {
      const name = value.name.value;
      const fallback = defaults.get(name) ?? 1;
      size = max(size, (variables: Variables) => {
        const given = variables?.[name];
        return typeof given === 'number' && Number.isFinite(given) ? Math.max(0, given) : fallback;
      });
    }
  }
  return size;
}

/** The size a field declares with `@listSize`: its slicing argument when given, else its assumed size. */
function declaredListSize(field: FieldNode, declared: ListSize, defaults: Map<string, number>): Cost {
  const assumed = declared.assumedSize ?? 1;
  let size: Cost | null = null;
  for (const argument of field.arguments ?? []) {
    if (!declared.slicingArguments.includes(argument.name.value)) continue;
    const { value } = argument;
    if (value.kind === Kind.INT) size = max(size ?? 0, Math.max(0, Number(value.value)));
    else if (value.kind === Kind.VARIABLE) {
      const name = value.name.value;
      const fallback = defaults.get(name) ?? assumed;
      size = max(size ?? 0, (variables: Variables) => {
        const given = variables?.[name];
        return typeof given === 'number' && Number.isFinite(given) ? Math.max(0, given) : fallback;
      });
    } else if (value.kind === Kind.NULL) size = max(size ?? 0, assumed);
  }
  return size ?? assumed;
}

function isObjectOrInterface(type: GraphQLNamedType): type is GraphQLObjectType | GraphQLInterfaceType {
  return isObjectType(type) || isInterfaceType(type);
}

function defaultsOf(definitions: readonly VariableDefinitionNode[]): Map<string, number> {
  const defaults = new Map<string, number>();
  for (const definition of definitions) {
    if (definition.defaultValue?.kind === Kind.INT) defaults.set(definition.variable.name.value, Number(definition.defaultValue.value));
  }
  return defaults;
}

// Costs fold to plain numbers whenever no variable is involved, so most queries cost nothing to check.
function add(a: Cost, b: Cost): Cost {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  return (v) => evaluate(a, v) + evaluate(b, v);
}

function multiply(a: Cost, b: Cost): Cost {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  return (v) => evaluate(a, v) * evaluate(b, v);
}

function max(a: Cost, b: Cost): Cost {
  if (typeof a === 'number' && typeof b === 'number') return Math.max(a, b);
  return (v) => Math.max(evaluate(a, v), evaluate(b, v));
}

function evaluate(cost: Cost, variables: Variables): number {
  return typeof cost === 'number' ? cost : cost(variables);
}
