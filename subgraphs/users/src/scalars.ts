import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

// A full date and time with an explicit offset: a value that means the same instant everywhere.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  const date = match ? new Date(value as string) : null;
  // `Date` rolls 2025-02-30 over to March 2nd instead of refusing it.
  const daysInMonth = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate() : 0;
  if (date === null || Number.isNaN(date.getTime()) || Number(match?.[3]) > daysInMonth) {
    throw new GraphQLError('DateTime must be an ISO-8601 string with a time zone, e.g. "2025-01-31T09:30:00Z"', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

/** ISO-8601 strings at the edge, `Date` inside. */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    return parseDateTime(ast.kind === Kind.STRING ? ast.value : null);
  },
});
