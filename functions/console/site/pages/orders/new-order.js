// An order entered by hand (POST .../orders): a phone or counter sale. Products come from the admin product
// list (searched here by title or SKU); prices, tax and shipping are the API's, as at checkout.
import { html, useMemo, useRef, useState } from "../../vendor/preact-htm.js";
import { api, idempotencyKey } from "../../lib/api.js";
import { money, number } from "../../lib/format.js";
import { href, navigate } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Button, Card, Empty, ErrorNotice, Field, Loading, PageHeader, toast, useAsync, useForm } from "../../lib/ui.js";

// Up to 300 products (3 pages of 100) are searched in the browser: the product list has no text search.
async function allProducts(storeId) {
  const found = [];
  let cursor;
  for (let i = 0; i < 3; i++) {
    const page = await api("GET", `${storeApi(storeId)}/products`, { query: { status: "published", limit: 100, cursor } });
    found.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return found;
}

function priceOf(product, variant) {
  return variant.price || product.price;
}

function ProductPicker({ products, onAdd }) {
  const [text, setText] = useState("");
  const needle = text.trim().toLowerCase();
  const matches = useMemo(() => {
    const list = [];
    for (const p of products) {
      for (const v of p.variants) {
        const words = `${p.title} ${v.name} ${v.sku}`.toLowerCase();
        if (!needle || words.includes(needle)) list.push({ product: p, variant: v });
      }
    }
    return list;
  }, [products, needle]);
  const shown = matches.slice(0, 8);
  return html`<div class="order-picker">
    <${Field} label="Find a product" type="search" placeholder="Title or SKU" value=${text} onInput=${(e) => setText(e.currentTarget.value)} />
    ${shown.length
      ? html`<ul class="order-picker-list" aria-label="Matching products">
          ${shown.map(
            ({ product, variant }) => html`<li key=${`${product.slug}:${variant.id}`}>
              <span>
                <strong>${product.title}</strong>${product.variants.length > 1 ? ` · ${variant.name}` : ""}
                <span class="order-sub">SKU ${variant.sku} · ${number(variant.available)} available · ${money(priceOf(product, variant).amount, priceOf(product, variant).currency)}</span>
              </span>
              <${Button} kind="secondary" class="button button-secondary button-small" disabled=${variant.available <= 0}
                aria-label=${`Add ${product.title} ${variant.name}`} onClick=${() => onAdd(product, variant)}>Add<//>
            </li>`,
          )}
        </ul>
        ${matches.length > shown.length ? html`<p class="hint">${shown.length} of ${matches.length} shown: type more of a title or SKU to narrow.</p>` : null}`
      : html`<p class="muted">No published product matches “${text}”.</p>`}
  </div>`;
}

const ADDRESS = ["name", "line1", "line2", "city", "region", "postal_code", "country", "phone"];

function orderBody(values, lines) {
  const address = {};
  for (const name of ADDRESS) {
    const value = String(values[name] || "").trim();
    if (value) address[name] = name === "country" ? value.toUpperCase() : value;
  }
  return {
    channel: values.channel,
    email: values.email.trim(),
    lines: lines.map((x) => ({ product: x.product.slug, variant: x.variant.id, quantity: Number(x.quantity) })),
    shipping_address: address,
    ...(values.shipping_method ? { shipping_method: values.shipping_method } : {}),
    payment: values.payment,
    ...(values.note.trim() ? { note: values.note.trim() } : {}),
  };
}

export function NewOrder() {
  const { store, base } = useStore();
  const products = useAsync(() => allProducts(store.id), [store.id]);
  // One key for the form's lifetime: a double click or a retry after a lost answer is the same order.
  const key = useRef(idempotencyKey());
  const [lines, setLines] = useState([]);
  const form = useForm({
    channel: "manual", email: "", payment: "paid", shipping_method: "standard", note: "",
    name: "", line1: "", line2: "", city: "", region: "", postal_code: "", country: store.country || "", phone: "",
  });
  const add = (product, variant) =>
    setLines((list) =>
      list.some((x) => x.variant.id === variant.id && x.product.slug === product.slug)
        ? list.map((x) => (x.variant.id === variant.id && x.product.slug === product.slug ? { ...x, quantity: String(Number(x.quantity) + 1) } : x))
        : [...list, { product, variant, quantity: "1" }],
    );
  const setQuantity = (i, value) => setLines((list) => list.map((x, j) => (i === j ? { ...x, quantity: value } : x)));
  const remove = (i) => setLines((list) => list.filter((_, j) => j !== i));
  const create = form.submit(async (values) => {
    if (!lines.length) throw new Error("Add at least one product.");
    const order = await api("POST", `${storeApi(store.id)}/orders`, {
      body: orderBody(values, lines),
      headers: { "Idempotency-Key": key.current },
    });
    toast(`Order #${order.display_number} created`);
    navigate(`${base}/orders/${encodeURIComponent(order.id)}`);
  });
  const lineError = (i) => form.fieldError(`lines.${i}`);
  return html`<${PageHeader} title="New order" subtitle="A sale by phone, email or at the counter. Prices, tax and shipping are worked out as at checkout.">
      <a class="button button-secondary" href=${href(`${base}/orders`)}>All orders</a>
    <//>
    <form onSubmit=${create} novalidate class="split order-new" aria-label="New order">
      <div>
        <${Card} title="Products">
          <${ErrorNotice} error=${products.error} />
          ${products.loading ? html`<${Loading} text="Loading products…" />` : null}
          ${products.data ? html`<${ProductPicker} products=${products.data} onAdd=${add} />` : null}
          <h3 class="order-h3">In this order</h3>
          ${lines.length
            ? html`<div class="table-wrap table-plain"><table>
                <caption class="visually-hidden">Products in the new order</caption>
                <thead><tr><th scope="col">Product</th><th scope="col" class="num">Unit price</th><th scope="col" class="num">Quantity</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
                <tbody>
                  ${lines.map(
                    (x, i) => html`<tr key=${`${x.product.slug}:${x.variant.id}`}>
                      <td>${x.product.title}<span class="order-sub">${x.variant.name} · SKU ${x.variant.sku}</span>
                        ${lineError(i) ? html`<span class="field-error">${lineError(i)}</span>` : null}</td>
                      <td class="num">${money(priceOf(x.product, x.variant).amount, priceOf(x.product, x.variant).currency)}</td>
                      <td class="num"><input class="order-qty" type="number" min="1" step="1" value=${x.quantity}
                        aria-label=${`Quantity of ${x.product.title} ${x.variant.name}`} onInput=${(e) => setQuantity(i, e.currentTarget.value)} /></td>
                      <td><${Button} kind="ghost" class="button button-ghost button-small" aria-label=${`Remove ${x.product.title}`} onClick=${() => remove(i)}>Remove<//></td>
                    </tr>`,
                  )}
                </tbody>
              </table></div>`
            : html`<${Empty} title="No products yet."><p>Find a product above and add it.</p><//>`}
        <//>
        <${Card} title="Ship to">
          <${Field} label="Name" required autocomplete="off" ...${form.bind("name", "shipping_address.name")} />
          <${Field} label="Address line 1" required ...${form.bind("line1", "shipping_address.line1")} />
          <${Field} label="Address line 2" ...${form.bind("line2", "shipping_address.line2")} />
          <div class="row">
            <${Field} label="Postal code" required ...${form.bind("postal_code", "shipping_address.postal_code")} />
            <${Field} label="City" required ...${form.bind("city", "shipping_address.city")} />
          </div>
          <div class="row">
            <${Field} label="Region" ...${form.bind("region", "shipping_address.region")} />
            <${Field} label="Country" required maxlength="2" hint="Two letters, e.g. DE. Sets the tax rate." ...${form.bind("country", "shipping_address.country")} />
          </div>
          <${Field} label="Phone" type="tel" ...${form.bind("phone", "shipping_address.phone")} />
        <//>
      </div>
      <div>
        <${Card} title="Customer and payment">
          <${ErrorNotice} error=${form.error} />
          <${Field} label="Customer email" type="email" required hint="The order confirmation goes here." ...${form.bind("email")} />
          <${Field} label="Sold" as="select" options=${[{ value: "manual", label: "By phone or email" }, { value: "pos", label: "At the counter (point of sale)" }]} ...${form.bind("channel")} />
          <${Field} label="Delivery" as="select" options=${[
            { value: "standard", label: "Standard shipping" },
            { value: "express", label: "Express shipping" },
            { value: "", label: "Handed over in person (no shipping)" },
          ]} ...${form.bind("shipping_method")} />
          <${Field} label="Payment" as="select" hint="Paid already: taken at a card terminal, in cash or by transfer." options=${[
            { value: "paid", label: "Paid already" },
            { value: "awaiting_payment", label: "To be paid later" },
          ]} ...${form.bind("payment")} />
          <${Field} label="Note" as="textarea" rows="2" hint="Kept in the order's history." ...${form.bind("note")} />
          <${Button} type="submit" busy=${form.busy}>Create order<//>
        <//>
      </div>
    </form>`;
}
