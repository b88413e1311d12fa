// Coupons (promotions.manage): the list, a new coupon, one coupon's changes, and deleting it.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { dateTime, money, number } from "../../lib/format.js";
import { href, navigate } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Badge, Button, Card, Confirm, Empty, ErrorNotice, Loading, PageHeader, toast, useAsync } from "../../lib/ui.js";
import { CouponForm } from "./coupon-form.js";

function couponsApi(storeId) {
  return `${storeApi(storeId)}/coupons`;
}

export function discountOf(c) {
  return c.kind === "percent" ? `${(c.value / 100).toLocaleString()} % off` : `${money(c.amount_off.amount, c.amount_off.currency)} off`;
}

function validity(c) {
  if (!c.valid_from && !c.valid_until) return "Always";
  if (!c.valid_until) return `From ${dateTime(c.valid_from)}`;
  if (!c.valid_from) return `Until ${dateTime(c.valid_until)}`;
  return `${dateTime(c.valid_from)} – ${dateTime(c.valid_until)}`;
}

function DeleteCoupon({ storeId, code, onDeleted }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api("DELETE", `${couponsApi(storeId)}/${encodeURIComponent(code)}`);
      setOpen(false);
      toast(`Coupon ${code} deleted`);
      onDeleted();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Button} kind="secondary" class="button button-secondary button-small" aria-label=${`Delete ${code}`} onClick=${() => setOpen(true)}>Delete<//>
    <${Confirm} open=${open} title=${`Delete coupon ${code}?`} confirmLabel="Delete coupon" busy=${busy} onConfirm=${remove} onCancel=${() => setOpen(false)}>
      <p>Shoppers can no longer use it. Orders already placed with it keep their discount.</p>
      <${ErrorNotice} error=${error} />
    <//>`;
}

export function Coupons() {
  const { store, base } = useStore();
  const list = useAsync(() => api("GET", couponsApi(store.id)), [store.id]);
  const items = list.data ? list.data.items : [];
  return html`<${PageHeader} title="Coupons" subtitle="Codes shoppers type at checkout for a discount.">
      <a class="button button-primary" href=${href(`${base}/coupons/new`)}>New coupon</a>
    <//>
    <${ErrorNotice} error=${list.error} />
    ${list.loading && !list.data ? html`<${Loading} />` : null}
    ${list.data && !items.length
      ? html`<${Empty} title="No coupons yet."><p><a href=${href(`${base}/coupons/new`)}>Make the first one</a>, e.g. 10 % off for newsletter readers.</p><//>`
      : null}
    ${items.length
      ? html`<div class="table-wrap">
          <table>
            <thead><tr>
              <th scope="col">Code</th><th scope="col">Discount</th><th scope="col">Minimum order</th>
              <th scope="col">Valid</th><th scope="col" class="num">Used</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr></thead>
            <tbody>
              ${items.map(
                (c) => html`<tr key=${c.code}>
                  <td><a class="st-code" href=${href(`${base}/coupons/${encodeURIComponent(c.code)}`)}>${c.code}</a></td>
                  <td>${discountOf(c)}</td>
                  <td>${c.min_subtotal.amount ? money(c.min_subtotal.amount, c.min_subtotal.currency) : "None"}</td>
                  <td>${validity(c)}</td>
                  <td class="num">${number(c.uses)}${c.max_uses ? ` of ${number(c.max_uses)}` : ""}</td>
                  <td><${Badge} value=${c.active ? "active" : "inactive"} /></td>
                  <td><div class="st-actions">
                    <a class="button button-secondary button-small" href=${href(`${base}/coupons/${encodeURIComponent(c.code)}`)} aria-label=${`Edit ${c.code}`}>Edit</a>
                    <${DeleteCoupon} storeId=${store.id} code=${c.code} onDeleted=${list.reload} />
                  </div></td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`
      : null}`;
}

export function CouponNew() {
  const { store, base } = useStore();
  return html`<${PageHeader} title="New coupon" subtitle=${html`<a href=${href(`${base}/coupons`)}>Back to coupons</a>`} />
    <${Card}>
      <${CouponForm} currency=${store.currency} submitLabel="Create coupon" onSave=${async (body) => {
        const made = await api("POST", couponsApi(store.id), { body });
        toast(`Coupon ${made.code} created`);
        navigate(`${base}/coupons`);
      }} />
    <//>`;
}

export function CouponEdit({ params }) {
  const { store, base } = useStore();
  const found = useAsync(() => api("GET", `${couponsApi(store.id)}/${encodeURIComponent(params.code)}`), [store.id, params.code]);
  const c = found.data;
  return html`<${PageHeader} title=${c ? `Coupon ${c.code}` : "Coupon"} subtitle=${html`<a href=${href(`${base}/coupons`)}>Back to coupons</a>`}>
      ${c ? html`<${DeleteCoupon} storeId=${store.id} code=${c.code} onDeleted=${() => navigate(`${base}/coupons`)} />` : null}
    <//>
    <${ErrorNotice} error=${found.error} />
    ${found.loading && !c ? html`<${Loading} />` : null}
    ${c
      ? html`<${Card}>
          <p class="muted">Used ${number(c.uses)} ${c.uses === 1 ? "time" : "times"} so far.</p>
          <${CouponForm} key=${c.code} coupon=${c} currency=${store.currency} submitLabel="Save changes" onSave=${async (body) => {
            await api("PATCH", `${couponsApi(store.id)}/${encodeURIComponent(c.code)}`, { body });
            toast(`Coupon ${c.code} saved`);
            navigate(`${base}/coupons`);
          }} />
        <//>`
      : null}`;
}
