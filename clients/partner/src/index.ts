export * from './partnerClient.js';
