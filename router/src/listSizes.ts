import { Kind, parse, visit, type ConstValueNode, type GraphQLSchema } from 'graphql';

/** What a list field returns at most when the operation does not say (`@listSize` in the subgraph's schema). */
export interface ListSize {
  /** The page size the subgraph uses when none of `slicingArguments` is given (e.g. 20). */
  assumedSize: number | null;
  /** Arguments that set the size (e.g. `first`); the largest given wins. */
  slicingArguments: readonly string[];
  /** On a connection: the fields holding the list (`edges`, `nodes`); empty when the field is the list. */
  sizedFields: readonly string[];
}

/** The list sizes a supergraph declares, and its API schema to find each field's type. */
export interface ListSizes {
  schema: GraphQLSchema;
  of(typeName: string, fieldName: string): ListSize | undefined;
}

/**
 * Reads the `@listSize` directives composition carries into the supergraph (the federation cost
 * spec), so the router's cost estimate counts what a connection returns when `first` is left
 * out: its default page, not one item.
 */
export function listSizesOf(supergraphSdl: string, schema: GraphQLSchema): ListSizes {
  const sizes = new Map<string, ListSize>();
  let typeName: string | null = null;
  const enter = (node: { name: { value: string } }) => void (typeName = node.name.value);
  visit(parse(supergraphSdl), {
    ObjectTypeDefinition: { enter },
    ObjectTypeExtension: { enter },
    InterfaceTypeDefinition: { enter },
    InterfaceTypeExtension: { enter },
    FieldDefinition(field) {
      const directive = field.directives?.find((d) => d.name.value === 'listSize' || d.name.value.endsWith('__listSize'));
      if (!directive || typeName === null) return;
      const argument = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
      const assumed = argument('assumedSize');
      sizes.set(`${typeName}.${field.name.value}`, {
        assumedSize: assumed?.kind === Kind.INT ? Number(assumed.value) : null,
        slicingArguments: stringsOf(argument('slicingArguments')),
        sizedFields: stringsOf(argument('sizedFields')),
      });
    },
  });
  return { schema, of: (type, field) => sizes.get(`${type}.${field}`) };
}

function stringsOf(value: ConstValueNode | undefined): string[] {
  if (value?.kind === Kind.LIST) return value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
  return value?.kind === Kind.STRING ? [value.value] : [];
}
