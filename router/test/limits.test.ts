import { describe, expect, it } from '@jest/globals';
import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { composeSupergraph, createOperationAnalyzer, DEFAULT_LIMITS, measureOperation } from '../src/index.js';
import { listSizesOf } from '../src/listSizes.js';

const nested = (depth: number) => `{ ${'a { '.repeat(depth - 1)}b${' }'.repeat(depth - 1)} }`;
const shape = (query: string, operationName: string | null = null) => measureOperation(parse(query), operationName);

describe('operation measures', () => {
  it('counts depth as the deepest field nesting, through fragments', () => {
    expect(shape('{ a }')?.depth).toBe(1);
    expect(shape(nested(15))?.depth).toBe(15);
    expect(shape('query { a { ...F } } fragment F on A { b { ... on B { c } } }')?.depth).toBe(3);
  });

  it('counts aliases in expanded fragments, each fragment measured once', () => {
    expect(shape('{ x: a y: a z: a { w: b } }')?.aliases).toBe(4);
    expect(shape('{ a { ...F } b { ...F } } fragment F on T { p: x q: x }')?.aliases).toBe(4);
    // Ten spreads of ten spreads of ten aliases: 1000 aliased fields without a 1000-step walk.
    const bomb = `{ ${'...B '.repeat(10)} } fragment B on Query { ${'...C '.repeat(10)} } fragment C on Query { ${Array.from({ length: 10 }, (_, i) => `f${i}: x`).join(' ')} }`;
    expect(shape(bomb)?.aliases).toBe(1000);
  });

  it('estimates cost as fields times the `first` of enclosing lists, from literals, variables or their defaults', () => {
    // products(1) + 50 x (edges(1) + node(1) + name(1))
    expect(shape('{ products(first: 50) { edges { node { name } } } }')?.cost).toBe(151);
    const { cost } = shape('query($n: Int = 10) { products(first: $n) { edges { node { reviews(first: 5) { id } } } } }')!;
    expect(typeof cost).toBe('function');
    const evaluate = cost as (v: Record<string, unknown> | undefined) => number;
    expect(evaluate({ n: 100 })).toBe(1 + 100 * (1 + 1 + 1 + 5 * 1));
    expect(evaluate(undefined)).toBe(1 + 10 * 8);
  });

  it('picks the named operation, and leaves unknown or ambiguous ones to the server', () => {
    const document = 'query A { a } query B { b { c } }';
    expect(shape(document, 'B')?.depth).toBe(2);
    expect(shape(document, null)).toBeNull();
    expect(shape(document, 'C')).toBeNull();
  });

  it('does not loop on cyclic fragments (validation refuses them later)', () => {
    expect(shape('{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }')?.depth).toBe(1);
  });
});

describe('operation analyzer', () => {
  const analyzer = createOperationAnalyzer(DEFAULT_LIMITS);

  it('lets the standard introspection query through the default limits', () => {
    expect(analyzer.check(getIntrospectionQuery(), 'IntrospectionQuery', {}).violation).toBeNull();
  });

  it('refuses with QUERY_TOO_COMPLEX naming the limit', () => {
    expect(analyzer.check(nested(100), undefined, {}).violation?.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'depth',
      max: 15,
      actual: 100,
    });
    const aliases = `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: a`).join(' ')} }`;
    expect(analyzer.check(aliases, undefined, {}).violation?.extensions).toMatchObject({ limit: 'aliases', actual: 2000 });
    const costly = 'query($n: Int) { products(first: $n) { edges { node { reviews(first: 100) { id } } } } }';
    expect(analyzer.check(costly, undefined, { n: 10 }).violation).toBeNull();
    expect(analyzer.check(costly, undefined, { n: 100 }).violation?.extensions).toMatchObject({ limit: 'cost', max: 5000 });
  });

  it('parses each distinct query once', () => {
    const query = '{ products(first: 3) { edges { node { id } } } }';
    const first = analyzer.check(query, undefined, {});
    expect(analyzer.check(query, undefined, {}).document).toBe(first.document);
  });

  it('leaves syntax errors to Apollo Server', () => {
    expect(analyzer.check('{ products(', undefined, {})).toEqual({ document: null, shape: null, violation: null });
  });
});

describe('cost with the list sizes the supergraph declares (@listSize)', () => {
  const catalog = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
    type Review @key(fields: "id") { id: ID! body: String }
    type ReviewConnection { edges: [ReviewEdge!]! totalCount: Int! }
    type ReviewEdge { node: Review! }
    type Product @key(fields: "id") {
      id: ID!
      name: String!
      reviews(first: Int): ReviewConnection! @listSize(assumedSize: 20, slicingArguments: ["first"], sizedFields: ["edges"], requireOneSlicingArgument: false)
      tags: [String!]! @listSize(assumedSize: 5)
    }
    type Query { product(id: ID!): Product  top(first: Int): [Product!]! @listSize(assumedSize: 20, slicingArguments: ["first"], requireOneSlicingArgument: false) }
  `);
  const { supergraphSdl } = composeSupergraph([{ name: 'catalog', url: 'http://catalog.invalid/graphql', typeDefs: catalog }]);
  const sizes = listSizesOf(supergraphSdl, buildSchema(supergraphSdl));
  const cost = (query: string) => measureOperation(parse(query), null, sizes)?.cost;

  it('counts a connection without `first` as its default page, not one item', () => {
    // top(1) + 20 x (reviews(1) + 20 x (edges(1) + node(1) + body(1)))
    expect(cost('{ top { reviews { edges { node { body } } } } }')).toBe(1 + 20 * (1 + 20 * 3));
    expect(cost('{ top(first: 2) { reviews(first: 3) { edges { node { body } } } } }')).toBe(1 + 2 * (1 + 3 * 3));
    // Only the sized field holds the list: totalCount is fetched once per connection.
    expect(cost('{ product(id: "p") { reviews { totalCount } } }')).toBe(1 + 1 + 1);
    // A list of leaves counts once, whatever its size: it costs no resolver per item.
    expect(cost('{ product(id: "p") { tags } }')).toBe(1 + 1);
  });

  it('applies the default to a slicing variable the request leaves out, and inside fragments', () => {
    const variable = measureOperation(parse('query($n: Int) { top(first: $n) { name } }'), null, sizes)!.cost as (v?: Record<string, unknown>) => number;
    expect(variable({})).toBe(1 + 20);
    expect(variable({ n: 3 })).toBe(1 + 3);
    expect(cost('{ product(id: "p") { ...R } } fragment R on Product { reviews { edges { node { id } } } }')).toBe(1 + 1 + 20 * 3);
  });

  it('refuses the nested review query that used to pass without `first`', () => {
    const limits = { ...DEFAULT_LIMITS, maxCost: 1000 };
    const deep = '{ top { reviews { edges { node { body } } } } }';
    expect(createOperationAnalyzer(limits, { listSizes: () => sizes }).check(deep, null, undefined).violation).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      extensions: { limit: 'cost', actual: 1 + 20 * 61 },
    });
    // Counted as one item per list, as before, it slipped through at 5.
    expect(createOperationAnalyzer(limits).check(deep, null, undefined).violation).toBeNull();
  });
});
