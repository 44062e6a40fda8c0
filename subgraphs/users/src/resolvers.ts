import type { SubgraphServerOptions } from '@shop/subgraph-kit';
import type { UsersContext } from './context.js';
import type { UserView } from './model.js';
import { DateTime } from './scalars.js';
import type { RegisterInput, UsersService } from './service.js';
import type { AddressInput } from './validation.js';

type Resolvers = SubgraphServerOptions<UsersContext>['resolvers'];

/** Thin: arguments in, service call, result out. Rules live in the service. */
export function createResolvers(service: UsersService): Resolvers {
  return {
    DateTime,
    Query: {
      me: (_root: unknown, _args: unknown, ctx: UsersContext) => service.me(ctx),
      user: (_root: unknown, args: { id: string }, ctx: UsersContext) => service.user(ctx, args.id),
    },
    Mutation: {
      register: (_root: unknown, args: { input: RegisterInput }, ctx: UsersContext) => service.register(ctx, args.input),
      login: (_root: unknown, args: { email: string; password: string }, ctx: UsersContext) =>
        service.login(ctx, args.email, args.password),
      refreshToken: (_root: unknown, args: { refreshToken: string }, ctx: UsersContext) =>
        service.refresh(ctx, args.refreshToken),
      logout: (_root: unknown, args: { refreshToken: string }, ctx: UsersContext) => service.logout(ctx, args.refreshToken),
      addAddress: (_root: unknown, args: { input: AddressInput }, ctx: UsersContext) => service.addAddress(ctx, args.input),
    },
    User: {
      // Called once per representation by @apollo/subgraph; the loader turns them into one query.
      __resolveReference: (reference: { id: string }, ctx: UsersContext) => service.userReference(ctx, reference.id),
      email: (user: UserView, _args: unknown, ctx: UsersContext) => service.email(ctx, user),
      addresses: (user: UserView, _args: unknown, ctx: UsersContext) => service.addresses(ctx, user),
    },
  };
}
