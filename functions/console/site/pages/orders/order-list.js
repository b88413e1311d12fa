// The store's orders, newest first: every filter GET .../orders has, kept in the address so a filtered
// list can be linked and survives a reload; cursor paging.
import { html } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { aboutOrders, useLiveReload } from "../../lib/live.js";
import { dateTime, label, number } from "../../lib/format.js";
import { href, setQuery } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Badge, Button, Empty, ErrorNotice, Field, Loading, PageHeader, Pager, useAsync, useForm } from "../../lib/ui.js";
import { CHANNELS, PAYMENT_STATES, STATUSES, amountOf, channelLabel } from "./order-format.js";

// The address's query keys -> the API's parameters. Dates are whole days in UTC, both ends included.
function apiQuery(query) {
  return {
    status: query.status,
    payment_state: query.payment,
    channel: query.channel,
    email: query.email,
    number: query.number,
    created_from: query.from ? `${query.from}T00:00:00Z` : undefined,
    created_to: query.to ? `${query.to}T23:59:59Z` : undefined,
    cursor: query.cursor,
    limit: 25,
  };
}

const FILTER_KEYS = ["number", "email", "status", "payment", "channel", "from", "to"];

function choices(values, anyLabel, show = label) {
  return [{ value: "", label: anyLabel }, ...values.map((v) => ({ value: v, label: show(v) }))];
}

// "LL-1001" or "1001" -> 1001: people type the number as they read it.
function orderNumber(text) {
  const digits = String(text || "").match(/(\d+)\s*$/);
  return digits ? digits[1] : "";
}

// The API names a bad filter by its parameter; show its message at the field that set it.
const PARAMETER_OF = { number: "number", email: "email", status: "status", payment: "payment_state", channel: "channel", from: "created_from", to: "created_to" };

function Filters({ query, error }) {
  const form = useForm(Object.fromEntries(FILTER_KEYS.map((k) => [k, query[k] || ""])));
  const apply = (event) => {
    event.preventDefault();
    const values = { ...form.values, number: orderNumber(form.values.number) || form.values.number };
    setQuery(Object.fromEntries(FILTER_KEYS.map((k) => [k, String(values[k] || "").trim()])), { replace: false });
  };
  const clear = () => {
    form.setValues(Object.fromEntries(FILTER_KEYS.map((k) => [k, ""])));
    setQuery({}, { replace: false });
  };
  const active = FILTER_KEYS.some((k) => query[k]);
  const bind = (name) => ({ ...form.bind(name), error: error && error.fieldMessage ? error.fieldMessage(PARAMETER_OF[name]) : null });
  return html`<form class="filters orders-filters" role="search" aria-label="Filter orders" onSubmit=${apply}>
    <${Field} label="Order number" inputmode="numeric" placeholder="e.g. 1001" ...${bind("number")} />
    <${Field} label="Customer email" type="search" placeholder="name@example.com" ...${bind("email")} />
    <${Field} label="Status" as="select" options=${choices(STATUSES, "Any status")} ...${bind("status")} />
    <${Field} label="Payment" as="select" options=${choices(PAYMENT_STATES, "Any payment")} ...${bind("payment")} />
    <${Field} label="Channel" as="select" options=${choices(CHANNELS, "Any channel", channelLabel)} ...${bind("channel")} />
    <${Field} label="Placed from" type="date" ...${bind("from")} />
    <${Field} label="Placed until" type="date" ...${bind("to")} />
    <div class="orders-filter-actions">
      <${Button} type="submit">Apply filters<//>
      ${active ? html`<${Button} kind="ghost" onClick=${clear}>Clear<//>` : null}
    </div>
  </form>`;
}

function OrderRow({ row, base }) {
  const link = href(`${base}/orders/${encodeURIComponent(row.id)}`);
  return html`<tr>
    <td><a class="order-link" href=${link}>#${row.display_number}</a></td>
    <td class="nowrap">${dateTime(row.created_at)}</td>
    <td>
      <span class="order-customer">${row.email}</span>
      <span class="order-sub">${channelLabel(row.channel)}${row.customer ? " · account" : " · guest"}</span>
    </td>
    <td class="num">${number(row.item_count)}</td>
    <td class="num">
      ${amountOf(row.total)}
      ${row.refunded && row.refunded.amount ? html`<span class="order-sub">−${amountOf(row.refunded)} refunded</span>` : null}
    </td>
    <td><${Badge} value=${row.payment_state} /></td>
    <td><${Badge} value=${row.status} /></td>
  </tr>`;
}

export function OrderList({ query }) {
  const { store, can, base } = useStore();
  const key = JSON.stringify(apiQuery(query));
  const page = useAsync(() => api("GET", `${storeApi(store.id)}/orders`, { query: apiQuery(query) }), [store.id, key]);
  useLiveReload(aboutOrders, page.reload);
  const filtered = FILTER_KEYS.some((k) => query[k]);
  const rows = page.data ? page.data.items : [];
  return html`<${PageHeader} title="Orders" subtitle="Newest first. Open an order to ship, refund or follow it.">
      ${can("orders.manage") ? html`<a class="button button-primary" href=${href(`${base}/orders/new`)}>New order</a>` : null}
    <//>
    <${Filters} query=${query} error=${page.error} key=${FILTER_KEYS.map((k) => query[k] || "").join("|")} />
    <${ErrorNotice} error=${page.error} />
    ${page.loading && !page.data ? html`<${Loading} text="Loading orders…" />` : null}
    ${page.data && !rows.length
      ? html`<${Empty} title=${filtered ? "No orders match these filters." : "No orders yet."}>
          <p>${filtered ? "Try fewer filters or another date range." : "Orders appear here as soon as shoppers check out."}</p>
        <//>`
      : null}
    ${rows.length
      ? html`<div class="table-wrap" aria-busy=${page.loading ? "true" : "false"}>
          <table class="orders-table">
            <caption class="visually-hidden">Orders${filtered ? " (filtered)" : ""}</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Customer</th>
                <th scope="col" class="num">Items</th>
                <th scope="col" class="num">Total</th>
                <th scope="col">Payment</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>${rows.map((row) => html`<${OrderRow} key=${row.id} row=${row} base=${base} />`)}</tbody>
          </table>
        </div>`
      : null}
    ${page.data && (query.cursor || page.data.next_cursor)
      ? html`<${Pager}
          next=${page.data.next_cursor}
          atFirst=${!query.cursor}
          onFirst=${() => setQuery({ ...query, cursor: "" }, { replace: false })}
          onNext=${() => setQuery({ ...query, cursor: page.data.next_cursor }, { replace: false })}
        />`
      : null}`;
}
