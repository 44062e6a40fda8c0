import { GraphQLError, GraphQLScalarType } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

/** Turns graphql-scalars' refusal into the registry's BAD_USER_INPUT (the message says what was wrong). */
function asUserInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new GraphQLError(`${(error as Error).message} Give an ISO-8601 date-time with a time zone, e.g. "2025-01-31T09:30:00Z".`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
}

/**
 * graphql-scalars' DateTime (RFC 3339 with a zone, real calendar dates only): a `Date` inside,
 * an ISO-8601 UTC string at the edge. The kit serves it to every subgraph that declares
 * `scalar DateTime`, so all of them agree on what a date-time is.
 */
export const DateTime = new GraphQLScalarType<Date, string>({
  ...DateTimeResolver.toConfig(),
  serialize: (value) => (DateTimeResolver.serialize(value) as Date).toISOString(),
  parseValue: (value) => asUserInput(() => DateTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => asUserInput(() => DateTimeResolver.parseLiteral(ast, variables)),
});

/** The scalars every subgraph may declare and the kit resolves. */
export const SHARED_SCALARS: readonly GraphQLScalarType[] = [DateTime, JSONResolver];
