import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { AppError } from '@shop/errors';

// C0 control characters but tab, line feed and carriage return, and DEL. No input of ours takes
// them, and PostgreSQL refuses NUL in text outright.
// eslint-disable-next-line no-control-regex -- matching control characters is this file's purpose
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * The first string input of an operation that holds a control character: the variable or
 * argument it came in (its name), or null when every string is clean. Looks at every string of
 * every variable (nested inputs and `_entities` representations too) and every string literal.
 */
export function controlCharacterInput(document: DocumentNode, variables: Readonly<Record<string, unknown>> | null | undefined): string | null {
  for (const [name, value] of Object.entries(variables ?? {})) if (holdsControl(value)) return name;
  let found = literalsChecked.get(document);
  if (found === undefined) {
    found = literalWithControl(document);
    literalsChecked.set(document, found);
  }
  return found;
}

// Apollo Server keeps one parsed document per query text, so the router's few operation shapes
// come back as the same objects: their literals are looked at once, not on every request.
const literalsChecked = new WeakMap<DocumentNode, string | null>();

function literalWithControl(document: DocumentNode): string | null {
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      if (found === null && literalHoldsControl(node.value)) found = node.name.value;
    },
  });
  return found;
}

/** The refusal for such an operation: BAD_USER_INPUT naming the input, HTTP 400, nothing run. */
export function controlCharacterError(field: string): AppError {
  return new AppError('BAD_USER_INPUT', `${field} must not contain control characters`, { field, http: { status: 400 } });
}

/**
 * The kit's one input rule, for every subgraph: an operation with a control character (NUL etc.)
 * in any string input is refused before any resolver runs, so nothing is written first.
 */
export const controlCharacterRule: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const field = controlCharacterInput(document, request.variables);
        if (field !== null) throw controlCharacterError(field);
      },
    };
  },
};

function holdsControl(value: unknown): boolean {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value);
  if (Array.isArray(value)) return value.some(holdsControl);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([key, inner]) => CONTROL_CHARACTER.test(key) || holdsControl(inner));
  return false;
}

function literalHoldsControl(node: ValueNode): boolean {
  switch (node.kind) {
    case Kind.STRING:
      return CONTROL_CHARACTER.test(node.value);
    case Kind.LIST:
      return node.values.some(literalHoldsControl);
    case Kind.OBJECT:
      return node.fields.some((field) => literalHoldsControl(field.value));
    default:
      return false;
  }
}
