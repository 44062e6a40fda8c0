import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { AppError, forbidden, unauthenticated } from '@shop/errors';

export type CallerRole = 'CUSTOMER' | 'ADMIN';

export interface Caller {
  userId: string;
  role: CallerRole;
}

const ISSUER = 'shop-users';
const AUDIENCE = 'shop';
// Pinned: a token signed with any other algorithm (or `none`) is refused.
const ALGORITHM = 'HS256';

export interface AccessTokenOptions {
  secret: string;
  ttlSeconds: number;
}

export async function signAccessToken(caller: Caller, options: AccessTokenOptions): Promise<string> {
  return new SignJWT({ role: caller.role, typ: 'access' })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(caller.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds)
    .sign(new TextEncoder().encode(options.secret));
}

/** Verifies an access token and returns the caller, or throws UNAUTHENTICATED saying why. */
export async function verifyAccessToken(token: string, secret: string): Promise<Caller> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || (role !== 'CUSTOMER' && role !== 'ADMIN') || payload.typ !== 'access') {
      throw unauthenticated('Invalid access token');
    }
    return { userId: payload.sub, role };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Access token expired');
    throw unauthenticated('Invalid access token');
  }
}

/** Reads `Authorization: Bearer <jwt>`; no header means an anonymous caller. */
export async function callerFromAuthorization(
  header: string | undefined,
  secret: string,
): Promise<{ caller: Caller | null; authError: AppError | null }> {
  if (header === undefined || header.trim() === '') return { caller: null, authError: null };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) return { caller: null, authError: unauthenticated('Authorization header must be "Bearer <token>"') };
  try {
    return { caller: await verifyAccessToken(match[1], secret), authError: null };
  } catch (error) {
    return { caller: null, authError: error as AppError };
  }
}

export interface AuthContext {
  caller: Caller | null;
  authError: AppError | null;
}

export function requireCaller(ctx: AuthContext): Caller {
  if (ctx.authError) throw ctx.authError;
  if (!ctx.caller) throw unauthenticated();
  return ctx.caller;
}

export function requireAdmin(ctx: AuthContext): Caller {
  const caller = requireCaller(ctx);
  if (caller.role !== 'ADMIN') throw forbidden('Only an ADMIN may do this');
  return caller;
}
