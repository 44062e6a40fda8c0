export default async function globalTeardown() {
  await globalThis.__SHOP_REDIS__?.stop();
  await globalThis.__SHOP_PG__?.stop();
}
