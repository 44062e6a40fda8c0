import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceVerifier, SERVICE_TOKEN_HEADER, type JSONWebKeySet } from '@shop/subgraph-kit';
import { RECIPIENT_FIELDS } from '../src/recipientDirectory.js';

export interface StandInUser {
  id: string;
  email: string;
  name: string | null;
  locale: string;
  marketingOptIn: boolean;
}

export interface UsersStandIn {
  url: string;
  users: Map<string, StandInUser>;
  /** Every request: the representations' ids and the service its service token proved (null without a valid one). */
  requests: Array<{ ids: string[]; service: string | null; authorization: string | undefined }>;
  add(user: StandInUser): void;
  stop(): Promise<void>;
}

/**
 * Stands in for the users subgraph over real HTTP: answers the exact recipients query, and like
 * users shows email and preferences only to the notifications service (its token checked
 * against `notificationsKeys`), the only caller this query has.
 */
export async function startUsersStandIn(notificationsKeys: JSONWebKeySet): Promise<UsersStandIn> {
  const services = createServiceVerifier({ audience: 'users', keys: notificationsKeys, callers: { notifications: ['users:read-contact'] } });
  const users = new Map<string, StandInUser>();
  const requests: UsersStandIn['requests'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const body = JSON.parse(raw) as { query: string; variables: { r: Array<{ __typename: string; id: string }> } };
        const token = req.headers[SERVICE_TOKEN_HEADER];
        const service = typeof token === 'string' ? await services.verify(token).catch(() => null) : null;
        requests.push({ ids: body.variables?.r?.map((r) => r.id) ?? [], service: service?.name ?? null, authorization: req.headers.authorization });
        if (!body.query.includes('_entities') || !body.query.includes(`... on User { id ${RECIPIENT_FIELDS} }`)) return answer(400, { errors: [{ message: `unexpected query: ${body.query}` }] });
        if (!service) return answer(401, { errors: [{ message: 'This subgraph serves the router and named services only', extensions: { code: 'UNAUTHENTICATED' } }] });
        answer(200, {
          data: {
            _entities: body.variables.r.map(({ id }) => {
              const user = users.get(id);
              return user
                ? { id, email: user.email, name: user.name, preferences: { locale: user.locale, marketingOptIn: user.marketingOptIn } }
                : null;
            }),
          },
        });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    users,
    requests,
    add: (user) => void users.set(user.id, user),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
