// How the orders area shows the API's values: money objects, addresses, who did something.
import { html, useEffect, useRef } from "../../vendor/preact-htm.js";
import { money } from "../../lib/format.js";

// A MoneyOut ({amount, currency}) as text.
export function amountOf(value) {
  return value ? money(value.amount, value.currency) : "–";
}

export const STATUSES = ["pending", "processing", "shipped", "delivered", "cancelled", "refunded"];
export const PAYMENT_STATES = ["awaiting_payment", "paid", "partially_refunded", "refunded"];
export const CHANNELS = ["web", "manual", "pos"];

const PAYMENT_METHODS = {
  stripe_payment_intent: "Card (Stripe)",
  stripe_checkout_session: "Stripe Checkout",
  square_card: "Card (Square)",
  cash_on_delivery: "Cash on delivery",
  offline: "Paid outside Nozzly",
};

export function paymentMethodLabel(value) {
  return PAYMENT_METHODS[value] || value;
}

const CHANNEL_LABELS = { web: "Online shop", manual: "Manual entry", pos: "Point of sale" };

export function channelLabel(value) {
  return CHANNEL_LABELS[value] || value;
}

// "operator:abc" -> "Staff member"; the API names the actor's kind before its id.
export function actorLabel(by) {
  if (!by) return "";
  const kind = String(by).split(":", 1)[0];
  return { operator: "Store team", shopper: "Customer", guest: "Guest shopper", system: "Payment provider" }[kind] || by;
}

// The carriers the API links to their tracking pages (orders/domain/carriers.py); anything else needs a URL.
export const CARRIERS = [
  ["dhl", "DHL"],
  ["dpd", "DPD"],
  ["ups", "UPS"],
  ["fedex", "FedEx"],
  ["usps", "USPS"],
  ["royal_mail", "Royal Mail"],
  ["canada_post", "Canada Post"],
  ["australia_post", "Australia Post"],
];

export function carrierLabel(value) {
  const known = CARRIERS.find(([id]) => id === value);
  return known ? known[1] : value;
}

export function AddressBlock({ address }) {
  if (!address) return html`<p class="muted">–</p>`;
  return html`<address class="order-address">
    <strong>${address.name}</strong><br />
    ${address.line1}<br />
    ${address.line2 ? html`${address.line2}<br />` : null}
    ${address.postal_code} ${address.city}${address.region ? `, ${address.region}` : ""}<br />
    ${address.country}
    ${address.phone ? html`<br /><span class="muted">${address.phone}</span>` : null}
  </address>`;
}

// A form opened by a button takes the focus (the button it replaced is gone): keyboard users go on typing.
export function useFocusFirst() {
  const ref = useRef(null);
  useEffect(() => {
    const first = ref.current && ref.current.querySelector("input, select, textarea");
    if (first) first.focus();
  }, []);
  return ref;
}
