// A coupon's form: what the operator types (percent, amounts in the store's currency, local times) turned
// into what the API takes (basis points, minor units, ISO times with a zone). Nothing typed is lost on error.
import { html, useState } from "../../vendor/preact-htm.js";
import { moneyInput, parseMoney } from "../../lib/format.js";
import { Button, ErrorNotice, Field, useForm } from "../../lib/ui.js";

// "12.5" -> 1250 basis points; null when it is not a percent from 0.01 to 100.
export function parsePercent(text) {
  const cleaned = String(text).trim().replace(",", ".").replace(/\s*%$/, "");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  const points = Number(whole) * 100 + Number((fraction + "00").slice(0, 2));
  return points >= 1 && points <= 10000 ? points : null;
}

function percentInput(points) {
  return points === null || points === undefined ? "" : String(points / 100);
}

// <input type="datetime-local"> wants "2026-12-04T09:30" in local time.
function localInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function slugs(text) {
  return String(text).split(",").map((s) => s.trim()).filter(Boolean);
}

export function initialValues(coupon, currency) {
  if (!coupon) {
    return { code: "", kind: "percent", value: "", min_subtotal: "", valid_from: "", valid_until: "", max_uses: "", max_uses_per_shopper: "", products: "", categories: "", active: true };
  }
  return {
    code: coupon.code,
    kind: coupon.kind,
    value: coupon.kind === "percent" ? percentInput(coupon.value) : moneyInput(coupon.value, currency),
    min_subtotal: coupon.min_subtotal.amount ? moneyInput(coupon.min_subtotal.amount, currency) : "",
    valid_from: localInput(coupon.valid_from),
    valid_until: localInput(coupon.valid_until),
    max_uses: coupon.max_uses ?? "",
    max_uses_per_shopper: coupon.max_uses_per_shopper ?? "",
    products: coupon.products.join(", "),
    categories: coupon.categories.join(", "),
    active: coupon.active,
  };
}

// -> [body, problems]: the API's body, or the fields the operator must fix first (said at each field).
function toBody(values, currency) {
  const problems = {};
  const value = values.kind === "percent" ? parsePercent(values.value) : parseMoney(values.value, currency);
  if (value === null || value < 1) {
    problems.value = values.kind === "percent" ? "A percent from 0.01 to 100, like 15 or 12.5." : `An amount in ${currency}, like 5.00.`;
  }
  const min = values.min_subtotal === "" ? 0 : parseMoney(values.min_subtotal, currency);
  if (min === null) problems.min_subtotal = `An amount in ${currency}, like 50.00, or leave it empty.`;
  const count = (name) => {
    if (values[name] === "" || values[name] === null) return null;
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) problems[name] = "A whole number from 1, or leave it empty.";
    return n;
  };
  const moment = (name) => (values[name] ? new Date(values[name]).toISOString() : null);
  const body = {
    kind: values.kind,
    value,
    min_subtotal: min,
    valid_from: moment("valid_from"),
    valid_until: moment("valid_until"),
    max_uses: count("max_uses"),
    max_uses_per_shopper: count("max_uses_per_shopper"),
    products: slugs(values.products),
    categories: slugs(values.categories),
    active: !!values.active,
  };
  return [body, problems];
}

export function CouponForm({ coupon, currency, onSave, submitLabel }) {
  const form = useForm(initialValues(coupon, currency));
  const [problems, setProblems] = useState({});
  const field = (name) => {
    const bound = form.bind(name);
    // Typing again clears what was said about the field before sending.
    const onInput = (event) => {
      if (problems[name]) setProblems(({ [name]: _, ...rest }) => rest);
      bound.onInput(event);
    };
    return { ...bound, onInput, error: problems[name] || bound.error };
  };
  const saved = form.submit(async (values) => {
    const [body, found] = toBody(values, currency);
    setProblems(found);
    if (Object.keys(found).length) return;
    await onSave(coupon ? body : { code: values.code.trim(), ...body });
  });
  const percent = form.values.kind === "percent";
  return html`<form onSubmit=${saved} novalidate class="form-grid st-form">
    <${ErrorNotice} error=${form.error} />
    ${Object.keys(problems).length ? html`<p class="field-error" role="alert">Check the fields marked below.</p>` : null}
    <div class="row">
      ${coupon
        ? html`<${Field} label="Code" value=${coupon.code} readonly hint="A code cannot change; make a new coupon instead." />`
        : html`<${Field} label="Code" required hint="Letters, digits, - and _; shoppers type it at checkout." autocomplete="off" ...${field("code")} />`}
      <${Field} label="Active" type="checkbox" hint="Only active coupons work at checkout." ...${field("active")} />
    </div>
    <div class="row">
      <${Field} label="Discount type" as="select" options=${[{ value: "percent", label: "Percent off" }, { value: "fixed", label: `Amount off (${currency})` }]} ...${field("kind")} />
      <${Field} label=${percent ? "Percent off" : `Amount off (${currency})`} required inputmode="decimal"
        hint=${percent ? "e.g. 15 for 15 %" : "e.g. 5.00"} ...${field("value")} />
      <${Field} label=${`Minimum order (${currency})`} inputmode="decimal" hint="The cart's subtotal before discounts; empty: none." ...${field("min_subtotal")} />
    </div>
    <div class="row">
      <${Field} label="Valid from" type="datetime-local" hint="Empty: from now." ...${field("valid_from")} />
      <${Field} label="Valid until" type="datetime-local" hint="Empty: no end." ...${field("valid_until")} />
    </div>
    <div class="row">
      <${Field} label="Uses in total" type="number" min="1" hint="Empty: no limit." ...${field("max_uses")} />
      <${Field} label="Uses per shopper" type="number" min="1" hint="Empty: no limit." ...${field("max_uses_per_shopper")} />
    </div>
    <div class="row">
      <${Field} label="Only these products" hint="Product slugs, separated by commas; empty: all." ...${field("products")} />
      <${Field} label="Only these categories" hint="Category slugs, separated by commas; empty: all." ...${field("categories")} />
    </div>
    <div class="st-form-actions"><${Button} type="submit" busy=${form.busy}>${submitLabel}<//></div>
  </form>`;
}
