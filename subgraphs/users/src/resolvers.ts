import type { Resolvers } from './generated/resolvers.js';
import type { PrivacyService } from './privacy.js';
import type { UsersService } from './service.js';
import type { WishlistService } from './wishlist.js';

/**
 * Thin: arguments in, service call, result out. Rules live in the service. Typed by codegen from
 * schema.graphql: a schema change that breaks a resolver breaks the build.
 */
export function createResolvers(service: UsersService, wishlist: WishlistService, privacy: PrivacyService): Resolvers {
  return {
    Query: {
      me: (_root, _args, ctx) => service.me(ctx),
      user: (_root, args, ctx) => service.user(ctx, args.id),
      users: (_root, args, ctx) => service.users(ctx, args),
      dataExport: (_root, args, ctx) => privacy.dataExport(ctx, args.id),
      accountDeletion: (_root, args, ctx) => privacy.accountDeletion(ctx, args.userId),
    },
    Mutation: {
      register: (_root, args, ctx) => service.register(ctx, args.input),
      login: (_root, args, ctx) => service.login(ctx, args.email, args.password),
      refreshToken: (_root, args, ctx) => service.refresh(ctx, args.refreshToken),
      logout: (_root, args, ctx) => service.logout(ctx, args.refreshToken),
      changePassword: (_root, args, ctx) => service.changePassword(ctx, args.currentPassword, args.newPassword),
      // An omitted `name` is absent from args, an explicit null is present: the service tells them apart.
      updateProfile: (_root, args, ctx) => service.updateProfile(ctx, args),
      updatePreferences: (_root, args, ctx) => service.updatePreferences(ctx, args.input),
      addAddress: (_root, args, ctx) => service.addAddress(ctx, args.input),
      updateAddress: (_root, args, ctx) => service.updateAddress(ctx, args.id, args.input),
      removeAddress: (_root, args, ctx) => service.removeAddress(ctx, args.id),
      setDefaultAddress: (_root, args, ctx) => service.setDefaultAddress(ctx, args.id),
      setUserRole: (_root, args, ctx) => service.setUserRole(ctx, args.userId, args.role),
      addToWishlist: (_root, args, ctx) => wishlist.add(ctx, args.productId),
      removeFromWishlist: (_root, args, ctx) => wishlist.remove(ctx, args.productId),
      requestDataExport: (_root, _args, ctx) => privacy.requestDataExport(ctx),
      deleteMyAccount: (_root, args, ctx) => privacy.deleteMyAccount(ctx, args.password),
    },
    User: {
      // Called once per representation by @apollo/subgraph; the loader turns them into one query.
      __resolveReference: (reference, ctx) => service.userReference(ctx, reference.id),
      email: (user, _args, ctx) => service.email(ctx, user),
      role: (user, _args, ctx) => service.role(ctx, user),
      addresses: (user, _args, ctx) => service.addresses(ctx, user),
      defaultAddress: (user, _args, ctx) => service.defaultAddress(ctx, user),
      preferences: (user, _args, ctx) => service.preferences(ctx, user),
      wishlist: (user, _args, ctx) => wishlist.wishlist(ctx, user),
    },
    DataExport: {
      // The parts are shown only once all are in: a partial export would look complete.
      data: (dataExport) => (dataExport.status === 'EXPORT_READY' ? dataExport.parts : null),
    },
    WishlistItem: {
      // A reference: the router asks products (and inventory) for the rest.
      product: (item) => ({ id: item.productId }),
    },
  };
}
