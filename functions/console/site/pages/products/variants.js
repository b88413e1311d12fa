// A product's variants in the editor: add, edit, remove; each opens its stock and ledger.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { money, moneyInput, number } from "../../lib/format.js";
import { Badge, Button, Card, Confirm, ErrorNotice, Field, toast, useForm } from "../../lib/ui.js";
import { optionsText, productApi, variantApi } from "./catalog.js";
import { localError } from "./product-form.js";
import { variantBody } from "./product-new.js";

function rowOf(variant) {
  return {
    name: variant ? variant.name : "",
    sku: variant ? variant.sku : "",
    options: variant ? optionsText(variant.options) : "",
    price: variant && variant.price ? moneyInput(variant.price.amount, variant.price.currency) : "",
    stock_on_hand: "0",
    low_stock_threshold: variant ? String(variant.low_stock_threshold) : "3",
    weight_grams: variant ? String(variant.weight_grams) : "0",
  };
}

function unitsOrProblem(text, field, problems) {
  const value = String(text).trim();
  if (/^\d+$/.test(value)) return Number(value);
  problems.push({ field, message: "Enter a whole number (0 or more)." });
  return null;
}

function VariantForm({ product, variant, storeId, currency, onDone, onCancel }) {
  const form = useForm(rowOf(variant));
  const saved = form.submit(async (values) => {
    const problems = [];
    const body = variantBody(values, currency, "", problems, { withStock: !variant });
    body.low_stock_threshold = unitsOrProblem(values.low_stock_threshold, "low_stock_threshold", problems);
    body.weight_grams = unitsOrProblem(values.weight_grams, "weight_grams", problems);
    if (problems.length) throw localError(problems);
    let changed;
    if (variant) {
      // A cleared price goes back to the product's (null clears it).
      if (!values.price.trim() && variant.price) body.price = null;
      changed = await api("PATCH", variantApi(storeId, product.slug, variant.id), { body });
    } else {
      changed = await api("POST", `${productApi(storeId, product.slug)}/variants`, { body });
    }
    toast(variant ? `${body.name} saved` : `${body.name} added`);
    onDone(changed);
  });
  const title = variant ? `Edit ${variant.name}` : "New variant";
  return html`<form class="variant-form" onSubmit=${saved} novalidate aria-label=${title}>
    <h3>${title}</h3>
    <${ErrorNotice} error=${form.error} />
    <div class="row">
      <${Field} label="Variant name" required ...${form.bind("name")} />
      <${Field} label="SKU" required ...${form.bind("sku")} />
      <${Field} label="Options" ...${form.bind("options")} hint="e.g. size: L, colour: Red" />
    </div>
    <div class="row">
      <${Field} label=${`Own price (${currency})`} inputmode="decimal" ...${form.bind("price")} hint="Empty: the product's price" />
      ${variant ? null : html`<${Field} label="Stock on hand" inputmode="numeric" ...${form.bind("stock_on_hand")} hint="Later changes go through the stock ledger." />`}
      <${Field} label="Low-stock alert at" inputmode="numeric" ...${form.bind("low_stock_threshold")} hint="Units available" />
      <${Field} label="Weight (g)" inputmode="numeric" ...${form.bind("weight_grams")} hint="One unit, packed" />
    </div>
    <div class="form-actions">
      <${Button} type="submit" busy=${form.busy}>${variant ? "Save variant" : "Add variant"}<//>
      <${Button} kind="ghost" onClick=${onCancel}>Cancel<//>
    </div>
  </form>`;
}

export function VariantsCard({ product, storeId, currency, canWrite, onChanged, onStock }) {
  const [editing, setEditing] = useState(null); // a variant id, "new", or null
  const [removing, setRemoving] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api("DELETE", variantApi(storeId, product.slug, removing.id));
      toast(`${removing.name} removed`);
      setRemoving(null);
      onChanged(await api("GET", productApi(storeId, product.slug)));
    } catch (problem) {
      setError(problem);
      setRemoving(null);
    } finally {
      setBusy(false);
    }
  };
  const done = (changed) => {
    setEditing(null);
    onChanged(changed);
  };
  return html`<${Card} title="Variants"
    actions=${canWrite && editing !== "new" ? html`<${Button} kind="secondary" onClick=${() => setEditing("new")}>Add variant<//>` : null}>
    <${ErrorNotice} error=${error} />
    <div class="table-wrap flat">
      <table>
        <caption class="visually-hidden">Variants of ${product.title}</caption>
        <thead><tr>
          <th scope="col">Variant</th><th scope="col">SKU</th><th scope="col" class="num">Price</th>
          <th scope="col" class="num">On hand</th><th scope="col" class="num">Available</th><th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr></thead>
        <tbody>
          ${product.variants.map(
            (v) => html`<tr key=${v.id}>
              <td><strong>${v.name}</strong>${Object.keys(v.options).length ? html`<span class="product-skus">${optionsText(v.options)}</span>` : null}</td>
              <td><code>${v.sku}</code></td>
              <td class="num">${v.price ? money(v.price.amount, v.price.currency) : html`<span class="muted">${money(product.price.amount, product.price.currency)}</span>`}</td>
              <td class="num">${number(v.stock_on_hand)}</td>
              <td class="num">${number(v.available)} ${v.stock_status !== "in_stock" ? html`<${Badge} value=${v.stock_status} tone="warn" />` : null}</td>
              <td class="row-actions">
                <${Button} kind="secondary" aria-label=${`Stock of ${v.name}`} onClick=${() => onStock(v.id)}>Stock<//>
                ${canWrite ? html`<${Button} kind="ghost" aria-label=${`Edit ${v.name}`} onClick=${() => setEditing(v.id)}>Edit<//>` : null}
                ${canWrite && product.variants.length > 1
                  ? html`<${Button} kind="ghost" aria-label=${`Remove ${v.name}`} onClick=${() => setRemoving(v)}>Remove<//>`
                  : null}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${editing
      ? html`<${VariantForm} key=${editing} product=${product} storeId=${storeId} currency=${currency}
          variant=${product.variants.find((v) => v.id === editing) || null} onDone=${done} onCancel=${() => setEditing(null)} />`
      : null}
    <${Confirm} open=${!!removing} title=${removing ? `Remove ${removing.name}?` : "Remove variant?"} confirmLabel="Remove variant" busy=${busy}
      onConfirm=${remove} onCancel=${() => setRemoving(null)}>
      <p>Shoppers can no longer buy it. Its stock history stays in the ledger.</p>
    <//>
  <//>`;
}
