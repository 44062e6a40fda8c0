import { composeServices } from '@apollo/composition';
import { parse, type DocumentNode } from 'graphql';

export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: DocumentNode | string;
}

export class CompositionError extends Error {
  constructor(readonly errors: string[]) {
    super(`Composition failed with ${errors.length} error(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** Composes subgraph SDLs into a supergraph SDL with Apollo's composition, or throws every error readably. */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): { supergraphSdl: string; hints: string[] } {
  const result = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: typeof s.typeDefs === 'string' ? parse(s.typeDefs) : s.typeDefs,
    })),
  );
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((error) => {
        const code = error.extensions?.code ? `[${String(error.extensions.code)}] ` : '';
        return `${code}${error.message}`;
      }),
    );
  }
  return { supergraphSdl: result.supergraphSdl, hints: result.hints.map((h) => h.toString()) };
}
