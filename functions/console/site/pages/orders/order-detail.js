// One order: what was bought, the money, where it goes, its parcels and its history, with the actions the
// role and the order's state allow (the API's own `allowed_next`, `refundable`, `unfulfilled`).
import { html } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { aboutOrder, useLiveReload } from "../../lib/live.js";
import { dateTime, number } from "../../lib/format.js";
import { href } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Badge, Card, ErrorNotice, Loading, PageHeader, useAsync } from "../../lib/ui.js";
import { AddressBlock, actorLabel, amountOf, channelLabel } from "./order-format.js";
import { Fulfilments } from "./order-fulfilments.js";
import { PaymentCard } from "./order-payment.js";
import { StatusCard } from "./order-status.js";

function Lines({ order }) {
  const t = order.totals;
  return html`<${Card} title=${`Items (${number(order.item_count)})`}>
    <div class="table-wrap table-plain">
      <table>
        <caption class="visually-hidden">Items in this order</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" class="num">Quantity</th>
            <th scope="col" class="num">Unit price</th>
            <th scope="col" class="num">Line total</th>
          </tr>
        </thead>
        <tbody>
          ${order.items.map(
            (line) => html`<tr key=${`${line.product}:${line.variant_id}`}>
              <td>
                <span class="order-line-title">${line.title}</span>
                <span class="order-sub">${line.variant_title} · SKU ${line.sku}</span>
              </td>
              <td class="num">${number(line.quantity)}</td>
              <td class="num">${amountOf(line.unit_price)}</td>
              <td class="num">${amountOf(line.line_total)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <dl class="order-totals">
      <dt>Subtotal</dt><dd>${amountOf(t.subtotal)}</dd>
      ${t.discount.amount ? html`<dt>Discount</dt><dd>−${amountOf(t.discount)}</dd>` : null}
      <dt>Shipping <span class="muted">(${order.shipping_method})</span></dt><dd>${amountOf(t.shipping)}</dd>
      <dt>Tax${t.tax_included ? " (included)" : ""}</dt><dd>${amountOf(t.tax)}</dd>
      <dt class="order-total">Total</dt><dd class="order-total">${amountOf(t.total)}</dd>
      ${order.refunded.amount ? html`<dt>Refunded</dt><dd>−${amountOf(order.refunded)}</dd>` : null}
    </dl>
  <//>`;
}

function Customer({ order }) {
  return html`<${Card} title="Customer">
    <p class="order-email"><a href=${`mailto:${order.email}`}>${order.email}</a></p>
    <p class="muted">${order.customer ? "Has a shopper account" : "Checked out as a guest"} · ${channelLabel(order.channel)}</p>
    <h3 class="order-h3">Shipping address</h3>
    <${AddressBlock} address=${order.shipping_address} />
    <h3 class="order-h3">Billing address</h3>
    ${order.billing_same_as_shipping ? html`<p class="muted">Same as shipping</p>` : html`<${AddressBlock} address=${order.billing_address} />`}
  <//>`;
}

function Timeline({ entries }) {
  return html`<${Card} title="History" class="order-history">
    <ol class="order-timeline">
      ${[...entries].reverse().map(
        (e, i) => html`<li key=${i}>
          <span class="order-timeline-text">${e.text}</span>
          <span class="order-sub"><time datetime=${e.at}>${dateTime(e.at)}</time> · ${actorLabel(e.by)}</span>
        </li>`,
      )}
    </ol>
  <//>`;
}

export function OrderDetail({ params }) {
  const { store, base } = useStore();
  const path = `${storeApi(store.id)}/orders/${encodeURIComponent(params.order)}`;
  const loaded = useAsync(() => api("GET", path), [path]);
  useLiveReload(aboutOrder(params.order), loaded.reload);
  const order = loaded.data;
  const back = html`<a class="button button-secondary" href=${href(`${base}/orders`)}>All orders</a>`;
  if (!order) {
    return html`<${PageHeader} title="Order">${back}<//>
      <${ErrorNotice} error=${loaded.error} />
      ${loaded.loading ? html`<${Loading} text="Loading the order…" />` : null}`;
  }
  const context = { order, path, reload: loaded.reload };
  return html`<${PageHeader} title=${`Order #${order.display_number}`} subtitle=${`Placed ${dateTime(order.created_at)} · ${channelLabel(order.channel)}`}>
      ${back}
    <//>
    <div class="order-badges" role="group" aria-label="Order state">
      <span>Status <${Badge} value=${order.status} /></span>
      <span>Payment <${Badge} value=${order.payment_state} /></span>
      <span>Shipping <${Badge} value=${order.fulfilment_state} tone=${order.fulfilment_state === "fulfilled" ? "good" : order.fulfilment_state === "unfulfilled" ? "neutral" : "warn"} /></span>
      <span class="order-total-chip">${amountOf(order.totals.total)}</span>
    </div>
    <${ErrorNotice} error=${loaded.error} />
    <div class="split">
      <div class="order-main">
        <${Lines} order=${order} />
        <${Fulfilments} ...${context} />
        <${Timeline} entries=${order.timeline} />
      </div>
      <div class="order-side">
        <${StatusCard} ...${context} />
        <${PaymentCard} ...${context} />
        <${Customer} order=${order} />
      </div>
    </div>`;
}
