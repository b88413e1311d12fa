// The product's own fields, shared by "New product" and the editor, and the request bodies made from them.
import { html } from "../../vendor/preact-htm.js";
import { ApiError } from "../../lib/api.js";
import { moneyInput, parseMoney } from "../../lib/format.js";
import { Card, Field } from "../../lib/ui.js";
import { categoryOptions } from "./catalog.js";

export const STATUS_OPTIONS = [
  { value: "draft", label: "Draft – hidden from the shop" },
  { value: "published", label: "Published – for sale" },
  { value: "archived", label: "Archived – no longer sold" },
];

const MONEY_FIELDS = ["price", "compare_at_price", "cost"];
const TEXT_FIELDS = ["title", "description", "category", "status", "seo_title", "seo_description"];

export function productValues(product) {
  if (!product) {
    return { title: "", description: "", category: "", brand: "", status: "draft", price: "", compare_at_price: "", cost: "", tags: "", seo_title: "", seo_description: "" };
  }
  const amount = (m) => (m ? moneyInput(m.amount, m.currency) : "");
  return {
    title: product.title,
    description: product.description,
    category: product.category,
    brand: product.brand || "",
    status: product.status,
    price: amount(product.price),
    compare_at_price: amount(product.compare_at_price),
    cost: amount(product.cost),
    tags: product.tags.join(", "),
    seo_title: product.seo_title,
    seo_description: product.seo_description,
  };
}

// A field error the console finds before asking the API, shown the same way as the API's own.
export function localError(fields) {
  return new ApiError(400, { error: { message: "Some fields need a look before saving.", fields } });
}

export function moneyOrProblem(text, currency, field, problems, { required = false } = {}) {
  if (String(text).trim() === "") {
    if (required) problems.push({ field, message: "Enter an amount." });
    return null;
  }
  const amount = parseMoney(text, currency);
  if (amount === null) problems.push({ field, message: `Enter an amount like ${moneyInput(1250, currency)}.` });
  return amount === null ? null : { amount, currency };
}

function tagsOf(text) {
  return String(text).split(",").map((t) => t.trim()).filter(Boolean);
}

// Everything the create route takes from these fields (variants are added by the caller).
export function createBody(values, currency, problems) {
  const body = {
    title: values.title.trim(),
    description: values.description,
    category: values.category,
    status: values.status,
    price: moneyOrProblem(values.price, currency, "price", problems, { required: true }),
    seo_title: values.seo_title,
    seo_description: values.seo_description,
    tags: tagsOf(values.tags),
  };
  if (values.brand) body.brand = values.brand;
  for (const name of ["compare_at_price", "cost"]) {
    const amount = moneyOrProblem(values[name], currency, name, problems);
    if (amount) body[name] = amount;
  }
  if (!body.category) problems.push({ field: "category", message: "Choose a category." });
  return body;
}

// Only what changed (PATCH changes the fields it names; null clears brand, compare-at price and cost).
export function patchBody(values, product, currency, problems) {
  const before = productValues(product);
  const body = {};
  for (const name of TEXT_FIELDS) if (values[name] !== before[name]) body[name] = name === "title" ? values[name].trim() : values[name];
  if (values.brand !== before.brand) body.brand = values.brand || null;
  if (values.tags !== before.tags) body.tags = tagsOf(values.tags);
  for (const name of MONEY_FIELDS) {
    if (values[name] === before[name]) continue;
    body[name] = moneyOrProblem(values[name], currency, name, problems, { required: name === "price" });
  }
  body.version = product.version;
  return body;
}

export function ProductFields({ form, taxonomy, currency, slug }) {
  const brands = [{ value: "", label: "No brand" }, ...taxonomy.brands.map((b) => ({ value: b.slug, label: b.name }))];
  const categories = categoryOptions(taxonomy.categories, { blank: form.values.category ? undefined : "Choose a category" });
  return html`<${Card} title="Details">
      <${Field} label="Title" required maxlength="200" ...${form.bind("title")}
        hint=${slug ? `Its address: /products/${slug} (made from the first title; it never changes).` : "The product's address is made from it and never changes."} />
      <${Field} label="Description" as="textarea" rows="6" maxlength="10000" ...${form.bind("description")} />
      <div class="row">
        <${Field} label="Category" as="select" required options=${categories} ...${form.bind("category")} />
        <${Field} label="Brand" as="select" options=${brands} ...${form.bind("brand")} />
      </div>
      <div class="row">
        <${Field} label="Status" as="select" options=${STATUS_OPTIONS} ...${form.bind("status")} />
        <${Field} label="Tags" hint="Separated by commas" ...${form.bind("tags")} />
      </div>
    <//>
    <${Card} title="Pricing">
      <div class="row">
        <${Field} label=${`Price (${currency})`} required inputmode="decimal" ...${form.bind("price")} hint="Variants without their own price use it." />
        <${Field} label=${`Compare-at price (${currency})`} inputmode="decimal" ...${form.bind("compare_at_price")} hint="Shown struck through; empty for none." />
        <${Field} label=${`Cost (${currency})`} inputmode="decimal" ...${form.bind("cost")} hint="What you pay; never shown to shoppers." />
      </div>
    <//>
    <${Card} title="Search engines">
      <${Field} label="SEO title" maxlength="200" ...${form.bind("seo_title")} hint="Empty: the product's title." />
      <${Field} label="SEO description" as="textarea" rows="2" maxlength="500" ...${form.bind("seo_description")} hint="Up to 500 characters; empty: the description's start." />
    <//>`;
}
