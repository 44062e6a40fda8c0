import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';

/** The storefront as a shopper uses it: by roles and labels, test ids only where a role is ambiguous. */

/** No horizontal scrolling: the page is never wider than the viewport. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scroll, viewport } = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return { scroll: doc.documentElement.scrollWidth, viewport: doc.documentElement.clientWidth };
  });
  expect(scroll).toBeLessThanOrEqual(viewport);
}

export async function search(page: Page, text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search products' }).fill(text);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  await page.getByRole('heading', { name: `Results for “${text}”` }).waitFor();
}

export async function signUp(page: Page, user: { name: string; email: string; password: string }): Promise<void> {
  const form = page.getByTestId('sign-up-form');
  await form.getByLabel('Name').fill(user.name);
  await form.getByLabel('Email').fill(user.email);
  await form.getByLabel('Password').fill(user.password);
  await form.getByRole('button', { name: 'Create account' }).click();
}

export async function fillAddress(page: Page, address: { name: string; street: string; postalCode: string; city: string; country: string }): Promise<void> {
  const form = page.getByTestId('address-form');
  await form.getByLabel('Full name').fill(address.name);
  await form.getByLabel('Street and number').fill(address.street);
  await form.getByLabel('Postal code').fill(address.postalCode);
  await form.getByLabel('City').fill(address.city);
  await form.getByLabel('Country').selectOption({ label: address.country });
  await form.getByRole('button', { name: 'Save address' }).click();
}

/** Waits until `condition` holds, checking every 20 ms (bounded: at most `tries` checks). */
export async function until(page: Page, condition: () => boolean, what: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries && !condition(); i++) await page.waitForTimeout(20);
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}
