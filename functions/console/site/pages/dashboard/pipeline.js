// The order pipeline (each status a link to the filtered order list) and what needs attention.
import { html } from "../../vendor/preact-htm.js";
import { dateTime, label, number } from "../../lib/format.js";
import { href } from "../../lib/router.js";
import { Badge, Card, Empty } from "../../lib/ui.js";

// The order list's statuses in the order work flows through them; unknown ones follow.
const FLOW = ["pending", "processing", "partially_shipped", "shipped", "delivered", "cancelled", "returned", "refunded"];

export function Pipeline({ base, pipeline }) {
  const statuses = [...FLOW.filter((s) => s in pipeline), ...Object.keys(pipeline).filter((s) => !FLOW.includes(s))];
  return html`<${Card} title="Orders by status">
    ${statuses.length
      ? html`<ul class="dash-pipeline">
          ${statuses.map(
            (status) => html`<li>
              <a href=${href(`${base}/orders`, { status })}>
                <span class="dash-pipeline-count">${number(pipeline[status])}</span>
                <${Badge} value=${status} />
              </a>
            </li>`,
          )}
        </ul>`
      : html`<p class="muted">No orders yet.</p>`}
  <//>`;
}

const KINDS = {
  orders_unshipped: "Paid orders waiting to ship",
  cash_orders_unpaid: "Cash orders not paid yet",
  low_stock: "Products running low",
  reviews_pending: "Reviews waiting for a decision",
};

function whereFixed(base, kind, ref) {
  if (kind === "low_stock") return href(`${base}/products/${encodeURIComponent(ref)}`);
  if (kind === "reviews_pending") return href(`${base}/reviews`, { status: "pending" });
  return href(`${base}/orders/${encodeURIComponent(ref)}`);
}

function allOf(base, kind) {
  if (kind === "orders_unshipped") return href(`${base}/orders`, { status: "processing", payment_state: "paid" });
  if (kind === "cash_orders_unpaid") return href(`${base}/orders`, { payment_state: "awaiting_payment" });
  if (kind === "low_stock") return href(`${base}/products`);
  return href(`${base}/reviews`, { status: "pending" });
}

export function Attention({ base, attention }) {
  const open = attention.filter((a) => a.count > 0);
  return html`<${Card} title="Needs attention">
    ${open.length
      ? html`<ul class="dash-attention">
          ${open.map(
            (a) => html`<li>
              <div class="dash-attention-head">
                <h3>${KINDS[a.kind] || label(a.kind)}</h3>
                <a href=${allOf(base, a.kind)}>${number(a.count)}${a.more ? "+" : ""} · see all</a>
              </div>
              <ul>
                ${a.items.map(
                  (item) => html`<li>
                    <a href=${whereFixed(base, a.kind, item.ref)}>${item.label}</a>
                    ${item.at ? html` <span class="muted">since ${dateTime(item.at * 1000)}</span>` : null}
                  </li>`,
                )}
              </ul>
            </li>`,
          )}
        </ul>`
      : html`<${Empty} title="Nothing needs you right now."><p>Late orders, low stock and new reviews show here.</p><//>`}
  <//>`;
}
