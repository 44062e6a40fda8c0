import type { SubgraphServerOptions } from '@shop/subgraph-kit';
import type { UsersContext } from './context.js';
import type { Role, UserView } from './model.js';
import { DateTime } from './scalars.js';
import type { RegisterInput, UserListArgs, UsersService } from './service.js';
import type { AddressInput, AddressUpdateInput, PreferencesInput } from './validation.js';

type Resolvers = SubgraphServerOptions<UsersContext>['resolvers'];

/** Thin: arguments in, service call, result out. Rules live in the service. */
export function createResolvers(service: UsersService): Resolvers {
  return {
    DateTime,
    Query: {
      me: (_root: unknown, _args: unknown, ctx: UsersContext) => service.me(ctx),
      user: (_root: unknown, args: { id: string }, ctx: UsersContext) => service.user(ctx, args.id),
      users: (_root: unknown, args: UserListArgs, ctx: UsersContext) => service.users(ctx, args),
    },
    Mutation: {
      register: (_root: unknown, args: { input: RegisterInput }, ctx: UsersContext) => service.register(ctx, args.input),
      login: (_root: unknown, args: { email: string; password: string }, ctx: UsersContext) =>
        service.login(ctx, args.email, args.password),
      refreshToken: (_root: unknown, args: { refreshToken: string }, ctx: UsersContext) =>
        service.refresh(ctx, args.refreshToken),
      logout: (_root: unknown, args: { refreshToken: string }, ctx: UsersContext) => service.logout(ctx, args.refreshToken),
      changePassword: (_root: unknown, args: { currentPassword: string; newPassword: string }, ctx: UsersContext) =>
        service.changePassword(ctx, args.currentPassword, args.newPassword),
      // An omitted `name` is absent from args, an explicit null is present: the service tells them apart.
      updateProfile: (_root: unknown, args: { name?: string | null }, ctx: UsersContext) => service.updateProfile(ctx, args),
      updatePreferences: (_root: unknown, args: { input: PreferencesInput }, ctx: UsersContext) =>
        service.updatePreferences(ctx, args.input),
      addAddress: (_root: unknown, args: { input: AddressInput }, ctx: UsersContext) => service.addAddress(ctx, args.input),
      updateAddress: (_root: unknown, args: { id: string; input: AddressUpdateInput }, ctx: UsersContext) =>
        service.updateAddress(ctx, args.id, args.input),
      removeAddress: (_root: unknown, args: { id: string }, ctx: UsersContext) => service.removeAddress(ctx, args.id),
      setDefaultAddress: (_root: unknown, args: { id: string }, ctx: UsersContext) => service.setDefaultAddress(ctx, args.id),
      setUserRole: (_root: unknown, args: { userId: string; role: Role }, ctx: UsersContext) =>
        service.setUserRole(ctx, args.userId, args.role),
    },
    User: {
      // Called once per representation by @apollo/subgraph; the loader turns them into one query.
      __resolveReference: (reference: { id: string }, ctx: UsersContext) => service.userReference(ctx, reference.id),
      email: (user: UserView, _args: unknown, ctx: UsersContext) => service.email(ctx, user),
      addresses: (user: UserView, _args: unknown, ctx: UsersContext) => service.addresses(ctx, user),
      defaultAddress: (user: UserView, _args: unknown, ctx: UsersContext) => service.defaultAddress(ctx, user),
      preferences: (user: UserView, _args: unknown, ctx: UsersContext) => service.preferences(ctx, user),
    },
  };
}
