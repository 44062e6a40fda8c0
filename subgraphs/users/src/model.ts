import type { Caller, CallerRole } from '@shop/subgraph-kit';

export type Role = CallerRole;

export interface Preferences {
  locale: string;
  currency: string;
  marketingOptIn: boolean;
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
  preferences: Preferences;
}

/**
 * A user as handed to the User field resolvers. `viewer` is set when the object was produced by
 * a sign-in: the request itself is anonymous then, yet the answer belongs to the user it signed in.
 */
export interface UserView extends User {
  viewer?: Caller;
}

export interface Address {
  id: string;
  userId: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
  isDefault: boolean;
}

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: UserView;
}

/** A product on a user's wishlist (the product itself is the products subgraph's). */
export interface WishlistItem {
  userId: string;
  productId: string;
  addedAt: Date;
}
