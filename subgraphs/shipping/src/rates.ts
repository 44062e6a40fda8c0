import { money, type Money } from '@shop/money';

/**
 * The shipping tariff and how a cart is priced against it. Pure: no I/O, so every rule is
 * unit-tested, and the service only has to fetch the tariff and the cart.
 */

/** A way to ship, as stored. */
export interface ShippingMethod {
  id: string;
  name: string;
  carrier: string | null;
  active: boolean;
  estimatedDaysMin: number;
  estimatedDaysMax: number;
  /** Whether a cart at or above the free-shipping threshold ships this way for free. */
  freeShippingEligible: boolean;
}

/** A set of destination countries priced alike. */
export interface ShippingZone {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 codes, upper case. */
  countries: string[];
  /** The zone for every country no other zone lists; at most one zone is the fallback. */
  fallback: boolean;
}

/** One weight bracket of a method's price list for a zone. */
export interface ShippingRateRow {
  methodId: string;
  zoneId: string;
  /** The heaviest cart (grams) this row prices; null: no limit. */
  maxWeightGrams: number | null;
  priceMinor: number;
  currency: string;
}

/** Everything needed to price any cart: the tables are small, so they travel together. */
export interface RateCard {
  methods: ShippingMethod[];
  zones: ShippingZone[];
  rates: ShippingRateRow[];
}

/** What is being shipped, as far as pricing cares. */
export interface Parcel {
  /** ISO 3166-1 alpha-2 destination country. */
  country: string;
  weightGrams: number;
  /** The cart's subtotal; its currency is the currency shipping is charged in. */
  subtotal: Money;
}

/** One method offered for a parcel, at its price. */
export interface Quote {
  method: ShippingMethod;
  price: Money;
  /** Working days until delivery at the latest: the method's maximum. */
  estimatedDays: number;
}

/** One line of the cart to ship. */
export interface CartLine {
  productId: string;
  quantity: number;
  /** Null when the catalog has no weight for the product. */
  weightGrams: number | null;
}

/** What the cart weighs: products without a weight count as `defaultWeightGrams` each. */
export function cartWeightGrams(lines: readonly CartLine[], defaultWeightGrams: number): number {
  return lines.reduce((total, line) => total + line.quantity * (line.weightGrams ?? defaultWeightGrams), 0);
}

/**
 * The zone a country ships to: among zones listing it the most specific one (fewest
 * countries, then id), so a narrower zone can be carved out of a wider one; otherwise the
 * fallback zone; null when there is neither.
 */
export function zoneFor(zones: readonly ShippingZone[], country: string): ShippingZone | null {
  const code = country.trim().toUpperCase();
  const listing = zones
    .filter((zone) => zone.countries.includes(code))
    .sort((a, b) => a.countries.length - b.countries.length || compare(a.id, b.id));
  return listing[0] ?? zones.find((zone) => zone.fallback) ?? null;
}

/**
 * Prices a parcel with every active method, cheapest first (then fastest, then by id).
 * A method is offered when it has a row for the parcel's zone and currency whose weight
 * bracket fits; of several fitting rows the cheapest counts. Methods eligible for free
 * shipping cost nothing once the subtotal reaches `freeShippingThreshold` (same currency).
 */
export function quote(card: RateCard, parcel: Parcel, freeShippingThreshold: Money | null): Quote[] {
  const zone = zoneFor(card.zones, parcel.country);
  if (!zone) return [];
  const { currency } = parcel.subtotal;
  const freeShipping =
    freeShippingThreshold !== null &&
    freeShippingThreshold.currency === currency &&
    parcel.subtotal.minor >= freeShippingThreshold.minor;

  const quotes: Quote[] = [];
  for (const method of card.methods) {
    if (!method.active) continue;
    const fitting = card.rates.filter(
      (row) =>
        row.methodId === method.id &&
        row.zoneId === zone.id &&
        row.currency === currency &&
        (row.maxWeightGrams === null || parcel.weightGrams <= row.maxWeightGrams),
    );
    if (fitting.length === 0) continue;
    const cheapest = Math.min(...fitting.map((row) => row.priceMinor));
    const priceMinor = freeShipping && method.freeShippingEligible ? 0 : cheapest;
    quotes.push({ method, price: money(priceMinor, currency), estimatedDays: method.estimatedDaysMax });
  }
  return quotes.sort(
    (a, b) => a.price.minor - b.price.minor || a.estimatedDays - b.estimatedDays || compare(a.method.id, b.method.id),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
