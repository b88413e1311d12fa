// The order's money: how it was paid, what was refunded, and the two money actions: a refund (whole or
// part, refunds.create) and marking a cash-on-delivery or offline order paid (orders.manage).
import { html, useRef, useState } from "../../vendor/preact-htm.js";
import { api, idempotencyKey } from "../../lib/api.js";
import { dateTime, moneyInput, parseMoney } from "../../lib/format.js";
import { useStore } from "../../lib/store.js";
import { Badge, Button, Card, Confirm, ErrorNotice, Field, toast, useForm } from "../../lib/ui.js";
import { actorLabel, amountOf, paymentMethodLabel, useFocusFirst } from "./order-format.js";

const COLLECTED_BY_HAND = ["cash_on_delivery", "offline"];

// Confirm (lib/ui.js) titles its dialog with a fixed id: only the open one is rendered, so ids stay unique.
function RefundForm({ order, path, reload, onDone }) {
  const currency = order.refundable.currency;
  // One key for the form's lifetime: a double click or a retry after a lost answer is the same refund.
  const key = useRef(idempotencyKey());
  const focusRef = useFocusFirst();
  const form = useForm({ amount: moneyInput(order.refundable.amount, currency), reason: "" });
  const [asking, setAsking] = useState(false);
  // Checked here before the confirmation; the API's own messages still show at the fields if it refuses.
  const [problems, setProblems] = useState({});
  const amount = parseMoney(form.values.amount, currency);
  const check = (event) => {
    event.preventDefault();
    const found = {};
    if (amount === null || amount <= 0) found.amount = "Enter an amount such as 12.50.";
    else if (amount > order.refundable.amount) found.amount = `At most ${amountOf(order.refundable)} can be refunded.`;
    if (!form.values.reason.trim()) found.reason = "Say why you refund; it is kept in the order's history.";
    setProblems(found);
    if (!Object.keys(found).length) setAsking(true);
  };
  const refund = form.submit(async (values) => {
    try {
      const answer = await api("POST", `${path}/refunds`, {
        body: { amount: { amount, currency }, reason: values.reason.trim() },
        headers: { "Idempotency-Key": key.current },
      });
      key.current = idempotencyKey();
      toast(`Refund of ${amountOf(answer.refund.amount)} ${answer.refund.state === "failed" ? "failed" : "sent"}`, answer.refund.state === "failed" ? "error" : "success");
      onDone();
      reload();
    } finally {
      setAsking(false);
    }
  });
  const amountField = form.bind("amount");
  const reasonField = form.bind("reason");
  return html`<form ref=${focusRef} class="order-form" onSubmit=${check} novalidate aria-label="Refund">
    <h3 class="order-h3">Refund</h3>
    <${ErrorNotice} error=${form.error} />
    <${Field} label=${`Amount (${currency})`} inputmode="decimal" required
      hint=${`Up to ${amountOf(order.refundable)}. Lower it for a partial refund.`}
      ...${amountField} error=${problems.amount || amountField.error} />
    <${Field} label="Reason" required hint="Kept in the order's history." maxlength="500" ...${reasonField}
      error=${problems.reason || reasonField.error} />
    <div class="order-form-actions">
      <${Button} type="submit" kind="danger" busy=${form.busy}>Refund…<//>
      <${Button} kind="ghost" onClick=${onDone} disabled=${form.busy}>Cancel<//>
    </div>
    ${asking ? html`<${Confirm}
      open=${asking}
      title="Refund this order?"
      confirmLabel=${`Refund ${amount !== null ? amountOf({ amount, currency }) : ""}`}
      busy=${form.busy}
      onConfirm=${refund}
      onCancel=${() => !form.busy && setAsking(false)}
    >
      <p>${amount !== null ? amountOf({ amount, currency }) : ""} goes back to the customer through ${paymentMethodLabel(order.payment_method)}. This cannot be undone.</p>
    <//>` : null}
  </form>`;
}

function MarkPaid({ order, path, reload }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const mark = async () => {
    setBusy(true);
    setError(null);
    try {
      await api("POST", `${path}/mark-paid`);
      toast("Marked as paid");
      setAsking(false);
      reload();
    } catch (problem) {
      setError(problem);
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };
  return html`<${ErrorNotice} error=${error} />
    <${Button} kind="primary" onClick=${() => setAsking(true)}>Mark as paid<//>
    ${asking
      ? html`<${Confirm} open=${asking} title="Mark this order as paid?" confirmLabel="Mark as paid" kind="primary" busy=${busy}
          onConfirm=${mark} onCancel=${() => !busy && setAsking(false)}>
          <p>Confirm that ${amountOf(order.totals.total)} was collected from the customer.</p>
        <//>`
      : null}`;
}

function Refunds({ refunds }) {
  if (!refunds.length) return null;
  return html`<h3 class="order-h3">Refunds</h3>
    <ul class="order-refunds" aria-label="Refunds">
      ${refunds.map(
        (r, i) => html`<li key=${i}>
          <div class="order-refund-head"><strong>${amountOf(r.amount)}</strong> <${Badge} value=${r.state} /></div>
          <span class="order-sub">${r.reason} · ${dateTime(r.created_at)} · ${actorLabel(r.by)}</span>
        </li>`,
      )}
    </ul>`;
}

export function PaymentCard({ order, path, reload }) {
  const { can } = useStore();
  const [refunding, setRefunding] = useState(false);
  const canRefund = can("refunds.create") && order.payment_state !== "awaiting_payment" && order.refundable.amount > 0;
  const canMarkPaid =
    can("orders.manage") && order.payment_state === "awaiting_payment" && order.status !== "cancelled" && COLLECTED_BY_HAND.includes(order.payment_method);
  return html`<${Card} title="Payment" actions=${html`<${Badge} value=${order.payment_state} />`}>
    <dl class="order-facts">
      <dt>Method</dt><dd>${paymentMethodLabel(order.payment_method)}</dd>
      ${order.payment_provider ? html`<dt>Provider</dt><dd>${order.payment_provider}</dd>` : null}
      ${order.payment_id ? html`<dt>Payment id</dt><dd class="order-mono">${order.payment_id}</dd>` : null}
      ${order.paid_at ? html`<dt>Paid</dt><dd>${dateTime(order.paid_at)}</dd>` : null}
      <dt>Total</dt><dd>${amountOf(order.totals.total)}</dd>
      <dt>Refunded</dt><dd>${amountOf(order.refunded)}</dd>
      ${order.payment_state !== "awaiting_payment" ? html`<dt>Refundable</dt><dd>${amountOf(order.refundable)}</dd>` : null}
    </dl>
    <${Refunds} refunds=${order.refunds} />
    ${canMarkPaid ? html`<${MarkPaid} order=${order} path=${path} reload=${reload} />` : null}
    ${canRefund && !refunding ? html`<${Button} kind="secondary" onClick=${() => setRefunding(true)}>Refund<//>` : null}
    ${refunding ? html`<${RefundForm} order=${order} path=${path} reload=${reload} onDone=${() => setRefunding(false)} />` : null}
  <//>`;
}
