export { createMobileClient, type MobileClient, type MobileClientOptions } from './mobileClient.js';
export * from './gql/graphql.js';
