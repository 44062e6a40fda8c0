export { createSession, tokenExpiry, type AuthPayload, type Session, type SessionOptions, type SessionState, type SessionUser, type TokenStorage } from './session.js';
export { cookieSessionClient, type CookieSessionClient } from './cookieSession.js';
export { createShopLink, refreshExchange, type ShopLink, type ShopLinkOptions, type SocketState } from './links.js';
export { createShopCache, shopTypePolicies } from './cache.js';
export { describeError, errorMessage, type ShopError } from './errors.js';
export { COUNTRIES, countryName, CURRENCIES, date, dateTime, money, orderStatus, paymentFailure, plural, setDisplayLocale, type MoneyValue } from './format.js';
