// Revenue today / this week / this month against the previous equal stretch, in words as well as colour.
import { html } from "../../vendor/preact-htm.js";
import { money, number } from "../../lib/format.js";

const PERIODS = [
  { key: "today", title: "Today", against: "yesterday" },
  { key: "week", title: "This week", against: "the same days last week" },
  { key: "month", title: "This month", against: "the same days last month" },
];

function Change({ percent, against }) {
  if (percent === null || percent === undefined) {
    return html`<p class="dash-change dash-change-none">No sales ${against} to compare with</p>`;
  }
  if (percent === 0) return html`<p class="dash-change">Unchanged on ${against}</p>`;
  const up = percent > 0;
  return html`<p class=${`dash-change ${up ? "change-up" : "change-down"}`}>
    <span aria-hidden="true">${up ? "▲" : "▼"} </span>${up ? "Up" : "Down"} ${Math.abs(percent).toLocaleString()} % on ${against}
  </p>`;
}

export function Revenue({ revenue }) {
  return html`<div class="grid dash-revenue">
    ${PERIODS.map(({ key, title, against }) => {
      const period = revenue[key];
      const net = period.current.net_sales;
      return html`<section class="card stat dash-stat" aria-labelledby=${`revenue-${key}`}>
        <h2 class="stat-label" id=${`revenue-${key}`}>${title}</h2>
        <p class="stat-value">${money(net.amount, net.currency)}</p>
        <p class="muted dash-stat-sub">
          ${number(period.current.orders)} ${period.current.orders === 1 ? "order" : "orders"} · net sales
        </p>
        <${Change} percent=${period.change_percent} against=${against} />
      </section>`;
    })}
  </div>`;
}
