// The dashboard's lists: top sellers, customers and the store's recent activity.
import { html } from "../../vendor/preact-htm.js";
import { dateTime, money, number } from "../../lib/format.js";
import { href } from "../../lib/router.js";
import { Card } from "../../lib/ui.js";

export function TopSellers({ base, top }) {
  const rows = top.by_revenue;
  return html`<${Card} title="Top sellers, last 30 days">
    ${rows.length
      ? html`<div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Product</th><th scope="col" class="num">Units</th><th scope="col" class="num">Revenue</th></tr></thead>
            <tbody>
              ${rows.map(
                (p) => html`<tr>
                  <td><a href=${href(`${base}/products/${encodeURIComponent(p.product)}`)}>${p.title || p.product}</a></td>
                  <td class="num">${number(p.units)}</td>
                  <td class="num">${money(p.revenue.amount, p.revenue.currency)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`
      : html`<p class="muted">Nothing sold in the last 30 days.</p>`}
  <//>`;
}

export function Customers({ customers }) {
  return html`<${Card} title="Customers">
    <dl class="dash-figures">
      <div><dt>All customers</dt><dd>${number(customers.total)}</dd></div>
      <div><dt>New this week</dt><dd>${number(customers.new_this_week)}</dd></div>
      <div><dt>New this month</dt><dd>${number(customers.new_this_month)}</dd></div>
    </dl>
  <//>`;
}

const ABOUT_PRODUCTS = ["low_stock", "back_in_stock"];

function activityLink(base, a) {
  const kind = ABOUT_PRODUCTS.includes(a.kind) ? "products" : "orders";
  return href(`${base}/${kind}/${encodeURIComponent(a.ref)}`);
}

export function Activity({ base, items }) {
  return html`<${Card} title="Recent activity">
    ${items.length
      ? html`<ol class="dash-activity">
          ${items.map(
            (a) => html`<li>
              <time datetime=${new Date(a.at * 1000).toISOString()}>${dateTime(a.at * 1000)}</time>
              <span>${a.ref ? html`<a href=${activityLink(base, a)}>${a.text}</a>` : a.text}</span>
            </li>`,
          )}
        </ol>`
      : html`<p class="muted">Nothing has happened yet.</p>`}
  <//>`;
}
