import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEvent } from '@shop/events';
import { rowsOf, startNotifications, until, type Harness } from './harness.js';

// `wishlist.back_in_stock` names the user directly (no order): one message per event, in the
// user's locale, sent even to users who refused marketing (they asked for it by wishing).
describe('back-in-stock messages', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startNotifications();
    h.users.add({ id: 'user-wanda', email: 'wanda@example.de', name: 'Wanda', locale: 'de-DE', marketingOptIn: false });
    h.users.add({ id: 'user-walt', email: 'walt@example.com', name: 'Walt', locale: 'en-US', marketingOptIn: false });
  });

  afterAll(async () => {
    await h?.stop();
  });

  const alert = (userId: string) =>
    createEvent('users', 'wishlist.back_in_stock', userId, { userId, productId: 'p-lamp', productName: 'Desk lamp', available: 4, restockEventId: 'r-1' });

  it("writes one message per event in the user's language and sends it despite no marketing opt-in", async () => {
    const wanda = alert('user-wanda');
    await h.publish(wanda, wanda, alert('user-walt'));
    await until(async () => (await rowsOf(h.store, 'user-walt')).some((r) => r.status === 'SENT'));

    const [german] = await rowsOf(h.store, 'user-wanda');
    expect(await rowsOf(h.store, 'user-wanda')).toHaveLength(1);
    expect(german).toMatchObject({ type: 'BACK_IN_STOCK', locale: 'de-DE', status: 'SENT', subject: 'Wieder verfügbar: Desk lamp' });
    expect(german!.body).toContain('Hallo Wanda,');
    const [english] = await rowsOf(h.store, 'user-walt');
    expect(english).toMatchObject({ type: 'BACK_IN_STOCK', locale: 'en-GB', subject: 'Back in stock: Desk lamp' });
    expect(english!.body).toContain('Desk lamp, which is on your wishlist, is back in stock.');
  });
});
