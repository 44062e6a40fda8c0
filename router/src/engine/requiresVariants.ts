import type { Supergraph } from '@apollo/federation-internals';
import type { FetchDataKeyRenamer, FetchNode, PlanNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode, type FieldNode, type InlineFragmentNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';

/**
 * `@requires` of one field with different arguments (`postage @requires(fields: "weight(unit:
 * \"g\")")` beside `airFreight @requires(fields: "weight(unit: \"kg\")")`): a representation
 * holds one `weight`, and @apollo/query-planner 2.14 fetches one of the variants for both, so
 * one of the two fields is computed from the wrong value. Where a plan has such an entity fetch,
 * this rewrites it: first a fetch of every variant, each under an alias of its own, from the
 * subgraph that resolves the field; then one fetch per variant, whose representations carry
 * that variant's value under the field's name.
 */
export class RequiresVariants {
  /** `subgraph/Type/field` -> the top-level fields its `@requires` selects (arguments printed). */
  private readonly requires = new Map<string, Array<{ name: string; args: string; node: FieldNode }>>();
  /** `Type/field` -> the subgraphs that resolve it (not @external there), with their keys. */
  private readonly owners = new Map<string, Array<{ subgraph: string; keys: string[][] }>>();

  constructor(supergraph: Supergraph) {
    for (const subgraph of supergraph.subgraphs().values()) {
      const metadata = subgraph.metadata();
      for (const type of subgraph.schema.types()) {
        if (type.kind !== 'ObjectType' && type.kind !== 'InterfaceType') continue;
        const keys = type
          .appliedDirectivesOf(metadata.keyDirective())
          .filter((key) => key.arguments().resolvable !== false)
          .map((key) => topLevelFields(String(key.arguments().fields)).map((field) => field.name.value));
        for (const field of type.fields()) {
          const required = field.appliedDirectivesOf(metadata.requiresDirective())[0];
          if (required) {
            const fields = topLevelFields(String(required.arguments().fields));
            this.requires.set(`${subgraph.name}/${type.name}/${field.name}`, fields.map((node) => ({ name: node.name.value, args: print({ ...node, alias: undefined, selectionSet: undefined }), node })));
          }
          if (keys.length > 0 && !metadata.isFieldExternal(field)) {
            const owners = this.owners.get(`${type.name}/${field.name}`) ?? [];
            owners.push({ subgraph: subgraph.name, keys });
            this.owners.set(`${type.name}/${field.name}`, owners);
          }
        }
      }
    }
  }

  /** The plan with every fetch that mixes variants split as described above (the same plan when none does). */
  rewrite(node: PlanNode): PlanNode {
    if (this.requires.size === 0) return node;
    switch (node.kind) {
      case 'Sequence':
      case 'Parallel':
        return { ...node, nodes: node.nodes.map((child) => this.rewrite(child)) };
      case 'Condition':
        return { ...node, ifClause: node.ifClause && this.rewrite(node.ifClause), elseClause: node.elseClause && this.rewrite(node.elseClause) };
      case 'Defer':
        return {
          ...node,
          primary: { ...node.primary, node: node.primary.node && this.rewrite(node.primary.node) },
          deferred: node.deferred.map((d) => ({ ...d, node: d.node && this.rewrite(d.node) })),
        };
      case 'Flatten': {
        if (node.node.kind !== 'Fetch') return { ...node, node: this.rewrite(node.node) };
        const split = this.split(node.node);
        if (!split) return node;
        return {
          kind: 'Sequence',
          nodes: [
            { ...node, node: split.variants },
            { kind: 'Parallel', nodes: split.fetches.map((fetch) => ({ ...node, node: fetch })) },
          ],
        };
      }
      default:
        return node;
    }
  }

  private split(fetch: FetchNode): { variants: FetchNode; fetches: FetchNode[] } | null {
    if (!fetch.requires) return null;
    const document = fetch.operationDocumentNode ?? parse(fetch.operation);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const entities = operation?.selectionSet.selections[0];
    // One entity type per fetch (what the planner gives a Flatten over one type's positions).
    if (entities?.kind !== Kind.FIELD || !entities.selectionSet || entities.selectionSet.selections.length !== 1) return null;
    for (const fragment of entities.selectionSet.selections) {
      if (fragment.kind !== Kind.INLINE_FRAGMENT || !fragment.typeCondition) continue;
      const type = fragment.typeCondition.name.value;
      // Each field of the fragment, with the variant of a required field it needs, by that field's name.
      const needs = new Map<string, Map<string, FieldNode>>();
      for (const selection of fragment.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        for (const required of this.requires.get(`${fetch.serviceName}/${type}/${selection.name.value}`) ?? []) {
          const variants = needs.get(required.name) ?? new Map<string, FieldNode>();
          variants.set(required.args, required.node);
          needs.set(required.name, variants);
        }
      }
      const mixed = [...needs].find(([, variants]) => variants.size > 1);
      if (mixed) return this.splitOn(fetch, document, fragment, type, mixed[0], [...mixed[1].values()]);
    }
    return null;
  }

  private splitOn(fetch: FetchNode, document: DocumentNode, fragment: InlineFragmentNode, type: string, field: string, variants: FieldNode[]): { variants: FetchNode; fetches: FetchNode[] } | null {
    const representation = fetch.requires!.find((s) => s.kind === 'InlineFragment' && s.typeCondition === type);
    if (representation?.kind !== 'InlineFragment') return null;
    const key = representation.selections.filter((s) => s.kind === 'Field' && s.name !== '__typename' && s.name !== field).map((s) => (s as { name: string }).name);
    const owner = (this.owners.get(`${type}/${field}`) ?? []).find((o) => o.subgraph !== fetch.serviceName && o.keys.some((k) => k.length > 0 && k.every((name) => key.includes(name))));
    if (!owner) return null;
    const ownerKey = owner.keys.find((k) => k.length > 0 && k.every((name) => key.includes(name)))!;
    const alias = (i: number) => `_requires${i}_${field}`;
    const aliased = variants.map((node, i): FieldNode => ({ ...node, alias: { kind: Kind.NAME, value: alias(i) } }));
    const variantsFetch = entityFetch(fetch, owner.subgraph, type, [typename(), ...aliased], [
      { kind: 'InlineFragment', typeCondition: type, selections: [{ kind: 'Field', name: '__typename' }, ...ownerKey.map((name) => ({ kind: 'Field' as const, name }))] },
    ]);
    const variantOf = (selection: SelectionNode): number => {
      if (selection.kind !== Kind.FIELD) return -1;
      const needed = (this.requires.get(`${fetch.serviceName}/${type}/${selection.name.value}`) ?? []).find((r) => r.name === field);
      return needed ? variants.findIndex((v) => print({ ...v, alias: undefined, selectionSet: undefined }) === needed.args) : -1;
    };
    const fetches = variants.map((_, i) => {
      // Fields that need no variant go with the first.
      const selections = fragment.selectionSet.selections.filter((s) => variantOf(s) === i || (i === 0 && variantOf(s) === -1));
      const requires: QueryPlanSelectionNode[] = fetch.requires!.map((s) =>
        s !== representation ? s : { ...representation, selections: representation.selections.map((r) => (r.kind === 'Field' && r.name === field ? { kind: 'Field', name: alias(i) } : r)) },
      );
      const rename: FetchDataKeyRenamer = { kind: 'KeyRenamer', path: [`... on ${type}`, alias(i)], renameKeyTo: field };
      const { document: narrowed, variables } = pruned(withFragment(document, fragment, selections));
      return {
        ...fetch,
        operation: print(narrowed),
        operationDocumentNode: narrowed,
        variableUsages: (fetch.variableUsages ?? []).filter((name) => variables.has(name)),
        requires,
        inputRewrites: [...(fetch.inputRewrites ?? []), rename],
      };
    });
    return { variants: variantsFetch, fetches };
  }
}

function topLevelFields(selection: string): FieldNode[] {
  const operation = parse(`{ ${selection} }`).definitions[0] as OperationDefinitionNode;
  return operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
}

function typename(): FieldNode {
  return { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
}

/** An `_entities` query for `selections` of `type` on `subgraph`, its representations built from `requires`. */
function entityFetch(like: FetchNode, subgraph: string, type: string, selections: FieldNode[], requires: QueryPlanSelectionNode[]): FetchNode {
  const operation = `query($representations:[_Any!]!){_entities(representations:$representations){... on ${type}{${selections.map((s) => print(s)).join(' ')}}}}`;
  return {
    kind: 'Fetch',
    serviceName: subgraph,
    variableUsages: [],
    requires,
    operation,
    operationName: undefined,
    operationKind: like.operationKind,
    operationDocumentNode: parse(operation),
  };
}

/** `document` with `fragment`'s selections replaced. */
function withFragment(document: DocumentNode, fragment: InlineFragmentNode, selections: readonly SelectionNode[]): DocumentNode {
  const replace = (node: SelectionNode): SelectionNode => (node === fragment ? { ...fragment, selectionSet: { ...fragment.selectionSet, selections } } : node);
  return {
    ...document,
    definitions: document.definitions.map((definition) => {
      if (definition.kind !== Kind.OPERATION_DEFINITION) return definition;
      const [entities, ...rest] = definition.selectionSet.selections;
      if (entities?.kind !== Kind.FIELD || !entities.selectionSet) return definition;
      const inner = { ...entities, selectionSet: { ...entities.selectionSet, selections: entities.selectionSet.selections.map(replace) } };
      return { ...definition, selectionSet: { ...definition.selectionSet, selections: [inner, ...rest] } };
    }),
  };
}

/** `document` without the fragments and variable definitions its narrowed selections no longer use; the variables still used. */
function pruned(document: DocumentNode): { document: DocumentNode; variables: Set<string> } {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const used = new Set<string>();
  const variables = new Set<string>();
  const walk = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      Variable: (variable) => void variables.add(variable.name.value),
      FragmentSpread: (spread) => {
        const name = spread.name.value;
        if (used.has(name) || !fragments.has(name)) return;
        used.add(name);
        walk(fragments.get(name)!);
      },
      VariableDefinition: () => false,
    });
  walk(operation);
  return {
    document: {
      ...document,
      definitions: document.definitions.flatMap((d): DefinitionNode[] => {
        if (d.kind === Kind.FRAGMENT_DEFINITION) return used.has(d.name.value) ? [d] : [];
        if (d.kind !== Kind.OPERATION_DEFINITION) return [d];
        return [{ ...d, variableDefinitions: d.variableDefinitions?.filter((v) => variables.has(v.variable.name.value)) }];
      }),
    },
    variables,
  };
}
