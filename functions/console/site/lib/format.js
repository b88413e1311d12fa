// How the console shows money, dates and states. Money arrives as integer minor units with a currency.
const moneyFormats = new Map();

function moneyFormat(currency) {
  if (!moneyFormats.has(currency)) {
    moneyFormats.set(currency, new Intl.NumberFormat(undefined, { style: "currency", currency }));
  }
  return moneyFormats.get(currency);
}

// Minor units per major unit for a currency (JPY 0, EUR 2, KWD 3), as Intl knows it.
export function minorDigits(currency) {
  return moneyFormat(currency).resolvedOptions().maximumFractionDigits;
}

export function money(amount, currency) {
  if (amount === null || amount === undefined || !currency) return "–";
  return moneyFormat(currency).format(amount / 10 ** minorDigits(currency));
}

// "12.50" typed in a form -> 1250 minor units, or null when it is not an amount. No floats on the way.
export function parseMoney(text, currency) {
  const digits = minorDigits(currency);
  const cleaned = String(text).trim().replace(",", ".");
  const pattern = digits ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  return Number(whole) * 10 ** digits + Number((fraction + "0".repeat(digits)).slice(0, digits) || 0);
}

// 1250 minor units -> "12.50" for an input's value.
export function moneyInput(amount, currency) {
  if (amount === null || amount === undefined) return "";
  const digits = minorDigits(currency);
  if (!digits) return String(amount);
  const text = String(Math.abs(amount)).padStart(digits + 1, "0");
  return `${amount < 0 ? "-" : ""}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function dateTime(iso) {
  return iso ? dateTimeFormat.format(new Date(iso)) : "–";
}

export function date(iso) {
  return iso ? dateFormat.format(new Date(iso)) : "–";
}

export function number(value) {
  return value === null || value === undefined ? "–" : new Intl.NumberFormat().format(value);
}

// "payment_pending" -> "Payment pending"
export function label(value) {
  if (!value) return "";
  const text = String(value).replace(/[_-]+/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
