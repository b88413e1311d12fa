// "New product": the product's fields and its variants, created in one request.
import { html } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { navigate } from "../../lib/router.js";
import { useStore } from "../../lib/store.js";
import { Button, Card, ErrorNotice, Field, Loading, PageHeader, toast, useAsync, useForm } from "../../lib/ui.js";
import { loadTaxonomy, parseOptions, productsApi } from "./catalog.js";
import { ProductFields, createBody, localError, moneyOrProblem, productValues } from "./product-form.js";

const NEW_VARIANT = { name: "", sku: "", options: "", price: "", stock_on_hand: "0" };

function wholeUnits(text, field, problems) {
  const value = String(text).trim();
  if (!/^\d+$/.test(value)) {
    problems.push({ field, message: "Enter a whole number of units (0 or more)." });
    return 0;
  }
  return Number(value);
}

export function variantBody(row, currency, prefix, problems, { withStock }) {
  const body = { name: row.name.trim(), sku: row.sku.trim() };
  const options = parseOptions(row.options);
  if (options === null) problems.push({ field: `${prefix}options`, message: "Write options as name: value, separated by commas." });
  else body.options = options;
  const price = moneyOrProblem(row.price, currency, `${prefix}price`, problems);
  if (price) body.price = price;
  if (withStock) body.stock_on_hand = wholeUnits(row.stock_on_hand, `${prefix}stock_on_hand`, problems);
  return body;
}

function VariantRows({ form, currency }) {
  const rows = form.values.variants;
  const update = (i, name, value) => form.set("variants", rows.map((r, j) => (j === i ? { ...r, [name]: value } : r)));
  const bind = (i, name) => ({
    value: rows[i][name],
    onInput: (e) => update(i, name, e.currentTarget.value),
    error: form.fieldError(`variants.${i}.${name}`),
  });
  return html`<${Card} title="Variants" actions=${html`<${Button} kind="secondary" onClick=${() => form.set("variants", [...rows, { ...NEW_VARIANT }])}>Add variant<//>`}>
    <p class="hint">Each size, colour or edition you sell separately, with its own SKU and stock.</p>
    <ol class="variant-rows">
      ${rows.map(
        (_, i) => html`<li class="variant-row" key=${i}>
          <fieldset>
            <legend>Variant ${i + 1}</legend>
            <div class="row">
              <${Field} label="Variant name" required ...${bind(i, "name")} hint="Shown to shoppers, e.g. Large / Red" />
              <${Field} label="SKU" required ...${bind(i, "sku")} />
              <${Field} label="Options" ...${bind(i, "options")} hint="e.g. size: L, colour: Red" />
            </div>
            <div class="row">
              <${Field} label=${`Own price (${currency})`} inputmode="decimal" ...${bind(i, "price")} hint="Empty: the product's price" />
              <${Field} label="Stock on hand" inputmode="numeric" ...${bind(i, "stock_on_hand")} />
            </div>
            ${rows.length > 1
              ? html`<${Button} kind="ghost" aria-label=${`Remove variant ${i + 1}`} onClick=${() => form.set("variants", rows.filter((__, j) => j !== i))}>Remove variant<//>`
              : null}
          </fieldset>
        </li>`,
      )}
    </ol>
  <//>`;
}

function NewProductView() {
  const { store, base } = useStore();
  const taxonomy = useAsync(() => loadTaxonomy(store.id), [store.id]);
  const form = useForm({ ...productValues(null), variants: [{ ...NEW_VARIANT, name: "Default" }] });
  const created = form.submit(async (values) => {
    const problems = [];
    const body = createBody(values, store.currency, problems);
    body.variants = values.variants.map((row, i) => variantBody(row, store.currency, `variants.${i}.`, problems, { withStock: true }));
    if (problems.length) throw localError(problems);
    const product = await api("POST", productsApi(store.id), { body });
    toast(`${product.title} created`);
    navigate(`${base}/products/${encodeURIComponent(product.slug)}`);
  });
  return html`<${PageHeader} title="New product" subtitle="Save it as a draft first if you want to add images before it goes on sale." />
    <${ErrorNotice} error=${taxonomy.error} />
    ${taxonomy.loading && !taxonomy.data ? html`<${Loading} />` : null}
    ${taxonomy.data
      ? html`<form onSubmit=${created} novalidate class="product-form">
          <${ErrorNotice} error=${form.error} />
          <${ProductFields} form=${form} taxonomy=${taxonomy.data} currency=${store.currency} />
          <${VariantRows} form=${form} currency=${store.currency} />
          <div class="form-actions">
            <${Button} type="submit" busy=${form.busy}>Create product<//>
            <a class="button button-ghost" href=${`#${base}/products`}>Cancel</a>
          </div>
        </form>`
      : null}`;
}

export { NewProductView };
