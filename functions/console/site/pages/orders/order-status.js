// Moving the order along (POST .../status): only the moves the API lists in `allowed_next`. Shipping goes
// through "Ship items" (it needs lines and tracking); cancelling and a return move money, so they are confirmed.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { useStore } from "../../lib/store.js";
import { Badge, Button, Card, Confirm, ErrorNotice, Field, toast, useForm } from "../../lib/ui.js";
import { amountOf } from "./order-format.js";

const MOVES = {
  processing: { label: "Start processing", done: "Order is processing", kind: "secondary" },
  delivered: { label: "Mark as delivered", done: "Order marked delivered", kind: "secondary" },
  cancelled: { label: "Cancel order", done: "Order cancelled", kind: "danger", confirm: true },
  refunded: { label: "Record a return", done: "Return recorded", kind: "danger", confirm: true },
};

function consequence(order, status) {
  const money = order.payment_state !== "awaiting_payment" && order.refundable.amount > 0;
  if (status === "cancelled") {
    return `The held stock goes back on sale${money ? ` and ${amountOf(order.refundable)} is refunded to the customer` : ""}. This cannot be undone.`;
  }
  return `The order becomes refunded${money ? ` and ${amountOf(order.refundable)} still paid is refunded to the customer` : ""}. This cannot be undone.`;
}

export function StatusCard({ order, path, reload }) {
  const { can } = useStore();
  const form = useForm({ note: "" });
  const [asking, setAsking] = useState(null);
  const moves = order.allowed_next.filter((s) => MOVES[s]);
  const move = (status) =>
    form.submit(async (values) => {
      try {
        await api("POST", `${path}/status`, { body: { status, ...(values.note.trim() ? { note: values.note.trim() } : {}) } });
        form.set("note", "");
        toast(MOVES[status].done);
        reload();
      } finally {
        setAsking(null);
      }
    });
  const manage = can("orders.manage") && moves.length > 0;
  return html`<${Card} title="Status" actions=${html`<${Badge} value=${order.status} />`}>
    ${order.allowed_next.includes("shipped") || (manage && ["pending", "processing"].includes(order.status))
      ? html`<p class="hint order-note">To ship, use “Ship items”: the order becomes shipped once everything is sent.</p>`
      : null}
    ${!order.allowed_next.length ? html`<p class="muted">This order is ${order.status}: it cannot change any more.</p>` : null}
    ${manage
      ? html`<${ErrorNotice} error=${form.error} />
          <${Field} label="Note (optional)" hint="Kept in the history; the reason of a cancellation or return." maxlength="500" ...${form.bind("note")} />
          <div class="order-status-actions">
            ${moves.map(
              (s) => html`<${Button} kind=${MOVES[s].kind} busy=${form.busy && asking === null} onClick=${MOVES[s].confirm ? () => setAsking(s) : move(s)}>${MOVES[s].label}<//>`,
            )}
          </div>
          ${asking !== null
            ? html`<${Confirm}
            open=${true}
            title=${asking === "cancelled" ? "Cancel this order?" : "Record a return?"}
            confirmLabel=${MOVES[asking].label}
            busy=${form.busy}
            onConfirm=${move(asking)}
            onCancel=${() => !form.busy && setAsking(null)}
          >
            <p>${consequence(order, asking)}</p>
          <//>`
            : null}`
      : null}
  <//>`;
}
