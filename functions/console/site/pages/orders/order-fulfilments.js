// The order's parcels: ship lines (POST .../fulfilments, then follow the workflow until the fulfilment is
// recorded) and correct a parcel's tracking (PATCH .../fulfilments/{id}).
import { html, useRef, useState } from "../../vendor/preact-htm.js";
import { api, idempotencyKey } from "../../lib/api.js";
import { dateTime, number } from "../../lib/format.js";
import { useStore } from "../../lib/store.js";
import { Button, Card, Empty, ErrorNotice, Field, Progress, toast, useForm } from "../../lib/ui.js";
import { CARRIERS, actorLabel, carrierLabel, useFocusFirst } from "./order-format.js";

const SHIPPABLE = ["pending", "processing"];
const OTHER = "__other";
const carrierOptions = [{ value: "", label: "Choose a carrier" }, ...CARRIERS.map(([value, label]) => ({ value, label })), { value: OTHER, label: "Another carrier…" }];

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The tracking fields as the API takes them; a carrier it does not know needs its own tracking page.
function trackingBody(values) {
  const carrier = values.carrier === OTHER ? values.other_carrier.trim() : values.carrier;
  const body = {};
  if (carrier) body.carrier = carrier;
  if (values.tracking_number.trim()) body.tracking_number = values.tracking_number.trim();
  if (values.tracking_url.trim()) body.tracking_url = values.tracking_url.trim();
  return body;
}

function TrackingFields({ form }) {
  return html`<div class="row">
      <${Field} label="Carrier" as="select" options=${carrierOptions} ...${form.bind("carrier")} />
      ${form.values.carrier === OTHER ? html`<${Field} label="Carrier name" required ...${form.bind("other_carrier")} error=${form.bind("carrier").error} />` : null}
      <${Field} label="Tracking number" ...${form.bind("tracking_number")} />
    </div>
    <${Field} label="Tracking link" type="url" hint="Optional for the carriers listed: Nozzly links to their tracking page." ...${form.bind("tracking_url")} />`;
}

// A bare <input> takes the field's binding without the error (it shows in the notice above the table).
function inputOf({ error, ...binding }) {
  return { ...binding, "aria-invalid": error ? "true" : undefined };
}

function titleOf(order, product, variant) {
  const line = order.items.find((x) => x.product === product && x.variant_id === variant);
  return line ? `${line.title} (${line.variant_title})` : `${product} (${variant})`;
}

function FulfilForm({ order, path, reload, onDone }) {
  const key = useRef(idempotencyKey());
  const left = order.unfulfilled;
  const focusRef = useFocusFirst();
  const form = useForm({
    carrier: "",
    other_carrier: "",
    tracking_number: "",
    tracking_url: "",
    ...Object.fromEntries(left.map((x, i) => [`qty${i}`, String(x.quantity)])),
  });
  const [progress, setProgress] = useState(null);
  const ship = form.submit(async (values) => {
    const lines = left
      .map((x, i) => ({ product: x.product, variant: x.variant_id, quantity: Number(values[`qty${i}`] || 0) }))
      .filter((x) => x.quantity > 0);
    if (!lines.length) throw new Error("Choose at least one item to ship.");
    const all = lines.length === left.length && lines.every((x, i) => x.quantity === left[i].quantity);
    setProgress({ value: 15, text: "Sending the parcel…" });
    try {
      const answer = await api("POST", `${path}/fulfilments`, {
        body: { ...(all ? {} : { lines }), ...trackingBody(values) },
        headers: { "Idempotency-Key": key.current },
      });
      let state = answer.fulfilment.state;
      // The fulfil-order workflow commits the stock; follow it until the parcel is on the order.
      for (let i = 0; state === "requested" && i < 60; i++) {
        setProgress({ value: Math.min(90, 30 + i * 5), text: "Committing the stock…" });
        await wait(750);
        const now = await api("GET", `${path}/fulfilments/${encodeURIComponent(answer.fulfilment.id)}`);
        state = now.state;
        if (state === "refused") throw new Error(`The fulfilment was refused: ${(now.refusal && now.refusal.cause) || "nothing was shipped."}`);
      }
      // The workflow's last step marks the order shipped once nothing is left; wait for it so the page says so.
      for (let i = 0; state === "recorded" && all && i < 40; i++) {
        setProgress({ value: 95, text: "Marking the order shipped…" });
        const now = await api("GET", path);
        if (!SHIPPABLE.includes(now.status)) break;
        await wait(750);
      }
      setProgress({ value: 100, text: "Done" });
      key.current = idempotencyKey();
      toast(state === "recorded" ? "Parcel recorded" : "Parcel requested; it appears here when recorded");
      onDone();
      reload();
    } finally {
      setProgress(null);
    }
  });
  return html`<form ref=${focusRef} class="order-form" onSubmit=${ship} novalidate aria-label="Ship items">
    <h3 class="order-h3">Ship items</h3>
    <${ErrorNotice} error=${form.error} />
    <div class="table-wrap table-plain">
      <table>
        <caption class="visually-hidden">Items still to ship</caption>
        <thead><tr><th scope="col">Item</th><th scope="col" class="num">Left</th><th scope="col" class="num">Ship now</th></tr></thead>
        <tbody>
          ${left.map(
            (x, i) => html`<tr key=${i}>
              <td>${titleOf(order, x.product, x.variant_id)}</td>
              <td class="num">${number(x.quantity)}</td>
              <td class="num">
                <input class="order-qty" type="number" min="0" max=${x.quantity} step="1"
                  aria-label=${`Quantity to ship of ${titleOf(order, x.product, x.variant_id)}`}
                  ...${inputOf(form.bind(`qty${i}`))} />
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <${TrackingFields} form=${form} />
    ${progress ? html`<${Progress} value=${progress.value} text=${progress.text} />` : null}
    <div class="order-form-actions">
      <${Button} type="submit" busy=${form.busy}>Ship items<//>
      <${Button} kind="ghost" onClick=${onDone} disabled=${form.busy}>Cancel<//>
    </div>
  </form>`;
}

function EditTracking({ fulfilment, path, reload, onDone }) {
  const focusRef = useFocusFirst();
  const known = CARRIERS.some(([id]) => id === fulfilment.carrier);
  const form = useForm({
    carrier: fulfilment.carrier ? (known ? fulfilment.carrier : OTHER) : "",
    other_carrier: known ? "" : fulfilment.carrier || "",
    tracking_number: fulfilment.tracking_number || "",
    tracking_url: "",
  });
  const save = form.submit(async (values) => {
    const body = trackingBody(values);
    // Only what changed is sent; an emptied field is cleared (null), as the API reads PATCH.
    for (const name of ["carrier", "tracking_number"]) if (!(name in body) && fulfilment[name]) body[name] = null;
    await api("PATCH", `${path}/fulfilments/${encodeURIComponent(fulfilment.id)}`, { body });
    toast("Tracking updated");
    onDone();
    reload();
  });
  return html`<form ref=${focusRef} class="order-form" onSubmit=${save} novalidate aria-label="Edit tracking">
    <${ErrorNotice} error=${form.error} />
    <${TrackingFields} form=${form} />
    <div class="order-form-actions">
      <${Button} type="submit" busy=${form.busy}>Save tracking<//>
      <${Button} kind="ghost" onClick=${onDone} disabled=${form.busy}>Cancel<//>
    </div>
  </form>`;
}

function Parcel({ fulfilment, index, order, path, reload, canManage }) {
  const [editing, setEditing] = useState(false);
  return html`<li class="order-parcel">
    <div class="order-parcel-head">
      <div>
        <strong>Parcel ${index + 1}</strong>
        <span class="order-sub">Shipped ${dateTime(fulfilment.shipped_at)} · ${actorLabel(fulfilment.by)}</span>
      </div>
      ${canManage && !editing ? html`<${Button} kind="secondary" class="button button-secondary button-small" onClick=${() => setEditing(true)}>Edit tracking<//>` : null}
    </div>
    <p class="order-tracking">
      ${fulfilment.carrier ? html`<span>${carrierLabel(fulfilment.carrier)}</span>` : html`<span class="muted">No carrier</span>`}
      ${fulfilment.tracking_number
        ? fulfilment.tracking_url
          ? html`<a href=${fulfilment.tracking_url} target="_blank" rel="noopener noreferrer">Tracking ${fulfilment.tracking_number}</a>`
          : html`<span>Tracking ${fulfilment.tracking_number}</span>`
        : html`<span class="muted">No tracking number</span>`}
    </p>
    <ul class="order-parcel-lines">
      ${fulfilment.items.map((x) => html`<li>${number(x.quantity)} × ${titleOf(order, x.product, x.variant_id)}</li>`)}
    </ul>
    ${editing ? html`<${EditTracking} fulfilment=${fulfilment} path=${path} reload=${reload} onDone=${() => setEditing(false)} />` : null}
  </li>`;
}

export function Fulfilments({ order, path, reload }) {
  const { can } = useStore();
  const [shipping, setShipping] = useState(false);
  const canManage = can("orders.manage");
  const canShip = canManage && SHIPPABLE.includes(order.status) && order.unfulfilled.length > 0;
  const action = canShip && !shipping ? html`<${Button} onClick=${() => setShipping(true)}>Ship items<//>` : null;
  return html`<${Card} title="Shipping" actions=${action}>
    ${order.fulfilments.length
      ? html`<ol class="order-parcels">
          ${order.fulfilments.map((f, i) => html`<${Parcel} key=${f.id} fulfilment=${f} index=${i} order=${order} path=${path} reload=${reload} canManage=${canManage} />`)}
        </ol>`
      : shipping
        ? null
        : html`<${Empty} title="Nothing shipped yet."><p>${canShip ? "Ship all items or some of them, with the carrier's tracking number." : "Parcels appear here once the order ships."}</p><//>`}
    ${shipping ? html`<${FulfilForm} order=${order} path=${path} reload=${reload} onDone=${() => setShipping(false)} />` : null}
  <//>`;
}
