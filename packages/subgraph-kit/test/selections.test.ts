import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { selectsPath } from '@shop/subgraph-kit';

/** What a resolver of the operation's first root field gets in `info`, for `query`. */
function infoOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

const ITEMS = ['edges', 'node', 'items'];

describe('selectsPath', () => {
  it('finds a nested field by its schema name, aliased or not', () => {
    expect(selectsPath(infoOf('{ orders { edges { node { id items { quantity } } } } }'), ITEMS)).toBe(true);
    expect(selectsPath(infoOf('{ orders { list: edges { node { lines: items { quantity } } } } }'), ITEMS)).toBe(true);
  });

  it('looks through inline fragments and fragment spreads, nested ones too', () => {
    expect(selectsPath(infoOf('{ orders { edges { node { ... on Order { items { quantity } } } } } }'), ITEMS)).toBe(true);
    expect(selectsPath(infoOf('{ orders { ...Page } } fragment Page on OrderConnection { edges { node { ...Lines } } } fragment Lines on Order { items { quantity } }'), ITEMS)).toBe(true);
  });

  it('is false when the field is not asked for at that path', () => {
    expect(selectsPath(infoOf('{ orders { totalCount edges { node { id } } } }'), ITEMS)).toBe(false);
    expect(selectsPath(infoOf('{ orders { items { quantity } } }'), ITEMS)).toBe(false);
    expect(selectsPath(infoOf('{ orders }'), ITEMS)).toBe(false);
  });

  it('counts a field under @skip or @include as asked for', () => {
    expect(selectsPath(infoOf('query($x: Boolean!) { orders { edges { node { items @include(if: $x) { quantity } } } } }'), ITEMS)).toBe(true);
  });
});
