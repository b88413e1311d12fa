// One variant's stock: adjust it with a reason, and read its ledger (operators' adjustments and shipments).
import { html, useRef, useState } from "../../vendor/preact-htm.js";
import { api, idempotencyKey } from "../../lib/api.js";
import { dateTime, label, number } from "../../lib/format.js";
import { Button, Card, Empty, ErrorNotice, Field, Loading, toast, useAsync, useForm } from "../../lib/ui.js";
import { productApi, variantApi } from "./catalog.js";
import { localError } from "./product-form.js";

const REASONS = ["received", "returned", "count", "damaged", "lost", "correction"].map((r) => ({ value: r, label: label(r) }));

function AdjustForm({ product, variant, storeId, onAdjusted }) {
  const form = useForm({ delta: "", reason: "received", note: "" });
  // One key per intention: a retried click after a network failure cannot count the same goods twice.
  const key = useRef(idempotencyKey());
  const adjusted = form.submit(async (values) => {
    const text = values.delta.trim().replace(/^\+/, "");
    if (!/^-?\d+$/.test(text) || Number(text) === 0) {
      throw localError([{ field: "delta", message: "Enter the units to add (like 5) or take away (like -2); not 0." }]);
    }
    const answer = await api("POST", `${variantApi(storeId, product.slug, variant.id)}/stock-adjustments`, {
      body: { delta: Number(text), reason: values.reason, note: values.note },
      headers: { "idempotency-key": key.current },
    });
    key.current = idempotencyKey();
    form.setValues({ delta: "", reason: values.reason, note: "" });
    toast(`Stock of ${variant.name} is now ${answer.variant.stock_on_hand}`);
    onAdjusted(answer);
  });
  return html`<form class="stock-form" onSubmit=${adjusted} novalidate aria-label=${`Adjust stock of ${variant.name}`}>
    <${ErrorNotice} error=${form.error} />
    <div class="row">
      <${Field} label="Change by" inputmode="numeric" required hint="+5 adds, -2 takes away" ...${form.bind("delta")} />
      <${Field} label="Reason" as="select" options=${REASONS} ...${form.bind("reason")} />
      <${Field} label="Note" maxlength="500" ...${form.bind("note")} />
    </div>
    <${Button} type="submit" busy=${form.busy}>Adjust stock<//>
  </form>`;
}

function Ledger({ entries }) {
  if (!entries.length) return html`<${Empty} title="No stock changes yet." />`;
  return html`<div class="table-wrap flat">
    <table>
      <caption class="visually-hidden">Stock ledger</caption>
      <thead><tr>
        <th scope="col">When</th><th scope="col" class="num">Change</th><th scope="col">Reason</th>
        <th scope="col">Note</th><th scope="col" class="num">On hand after</th>
      </tr></thead>
      <tbody>
        ${entries.map(
          (e) => html`<tr key=${e.id}>
            <td>${dateTime(e.at)}</td>
            <td class=${`num ${e.delta > 0 ? "change-up" : "change-down"}`}>${e.delta > 0 ? `+${e.delta}` : e.delta}</td>
            <td>${label(e.reason)}${e.shipment ? html` <span class="muted">(order #${e.shipment.order_number})</span>` : null}</td>
            <td>${e.note || html`<span class="muted">–</span>`}</td>
            <td class="num">${number(e.on_hand_after)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function StockCard({ product, variant, storeId, canWrite, onChanged, onClose }) {
  const [cursor, setCursor] = useState(null);
  const [older, setOlder] = useState([]);
  const ledger = useAsync(() => api("GET", `${variantApi(storeId, product.slug, variant.id)}/stock-adjustments`, { query: { limit: 20 } }), [storeId, product.slug, variant.id, variant.stock_on_hand]);
  const more = useAsync(
    () => (cursor ? api("GET", `${variantApi(storeId, product.slug, variant.id)}/stock-adjustments`, { query: { limit: 20, cursor } }) : null),
    [cursor],
  );
  const entries = [...(ledger.data ? ledger.data.items : []), ...older, ...(more.data ? more.data.items : [])];
  const next = more.data ? more.data.next_cursor : ledger.data && !older.length ? ledger.data.next_cursor : null;
  const adjusted = (answer) => {
    setCursor(null);
    setOlder([]);
    onChanged({ ...product, variants: product.variants.map((v) => (v.id === answer.variant.id ? answer.variant : v)) });
    // The adjustment moved the product's version: read it again so the next save of its details applies.
    api("GET", productApi(storeId, product.slug)).then(onChanged, () => null);
  };
  return html`<section class="card stock-card" id="stock-card" tabindex="-1" aria-labelledby="stock-title">
    <div class="card-head">
      <h2 id="stock-title">Stock of ${variant.name}</h2>
      <${Button} kind="ghost" onClick=${onClose}>Close<//>
    </div>
    <div class="grid stock-stats">
      <div class="stat"><span class="stat-label">On hand</span><span class="stat-value">${number(variant.stock_on_hand)}</span></div>
      <div class="stat"><span class="stat-label">Held by checkouts</span><span class="stat-value">${number(variant.reserved)}</span></div>
      <div class="stat"><span class="stat-label">Available</span><span class="stat-value">${number(variant.available)}</span></div>
    </div>
    ${canWrite ? html`<${AdjustForm} key=${variant.id} product=${product} variant=${variant} storeId=${storeId} onAdjusted=${adjusted} />` : null}
    <h3 class="ledger-title">Ledger</h3>
    <${ErrorNotice} error=${ledger.error || more.error} />
    ${ledger.loading && !ledger.data ? html`<${Loading} text="Loading the ledger…" />` : html`<${Ledger} entries=${entries} />`}
    ${next
      ? html`<div class="pager"><${Button} kind="secondary" busy=${more.loading && !!cursor} onClick=${() => {
          if (more.data) setOlder([...older, ...more.data.items]);
          setCursor(next);
        }}>Older entries<//></div>`
      : null}
  </section>`;
}
