// One implementation, in the lowest package that needs it (embedded PostgreSQL picks ports too).
export { freePort } from '@shop/postgres';
