// Reviews moderation: the queue (pending first), approved and rejected ones; approve or reject each.
// Reading needs catalog.read, deciding catalog.write (functions/reviews/app.py).
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { dateTime } from "../../lib/format.js";
import { href, setQuery } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Badge, Button, Confirm, Empty, ErrorNotice, Field, Loading, PageHeader, Pager, toast, useAsync } from "../../lib/ui.js";

const STATUSES = [
  { value: "pending", label: "Waiting for a decision" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
];

function Stars({ rating }) {
  return html`<span class="st-stars" aria-label=${`${rating} of 5 stars`}>${"★".repeat(rating)}${"☆".repeat(5 - rating)}</span>`;
}

function Decide({ storeId, review, onDone, canWrite }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const decide = async (to) => {
    setBusy(to);
    setError(null);
    try {
      const body = to === "reject" && reason.trim() ? { reason: reason.trim() } : undefined;
      await api("POST", `${storeApi(storeId)}/reviews/${encodeURIComponent(review.id)}/${to}`, { body });
      setRejecting(false);
      toast(to === "approve" ? "Review approved: it shows in the shop" : "Review rejected");
      onDone();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(null);
    }
  };
  if (!canWrite) return null;
  const who = `the review by ${review.author_email}`;
  return html`<div class="st-actions">
      ${review.status !== "approved"
        ? html`<${Button} class="button button-primary button-small" busy=${busy === "approve"} aria-label=${`Approve ${who}`} onClick=${() => decide("approve")}>Approve<//>`
        : null}
      ${review.status !== "rejected"
        ? html`<${Button} kind="secondary" class="button button-secondary button-small" aria-label=${`Reject ${who}`} onClick=${() => setRejecting(true)}>Reject<//>`
        : null}
    </div>
    ${!rejecting ? html`<${ErrorNotice} error=${error} />` : null}
    <${Confirm} open=${rejecting} title="Reject this review?" confirmLabel="Reject review" busy=${busy === "reject"}
      onConfirm=${() => decide("reject")} onCancel=${() => setRejecting(false)}>
      <p>It will not show in the shop. You can approve it later.</p>
      <${Field} label="Reason (for your team)" as="textarea" rows="2" maxlength="500" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)} />
      <${ErrorNotice} error=${error} />
    <//>`;
}

export function Reviews({ query }) {
  const { store, base, can } = useStore();
  const status = query.status || "pending";
  const [cursors, setCursors] = useState([]);
  const cursor = cursors[cursors.length - 1];
  const page = useAsync(
    () => api("GET", `${storeApi(store.id)}/reviews`, { query: { status, cursor } }),
    [store.id, status, cursor],
  );
  const items = page.data ? page.data.items : [];
  return html`<${PageHeader} title="Reviews" subtitle="Shoppers' reviews show in the shop once approved." />
    <div class="filters">
      <${Field} label="Show" as="select" options=${STATUSES} value=${status}
        onChange=${(e) => { setCursors([]); setQuery({ status: e.currentTarget.value }); }} />
    </div>
    <${ErrorNotice} error=${page.error} />
    ${page.loading && !page.data ? html`<${Loading} />` : null}
    ${page.data && !items.length
      ? html`<${Empty} title=${status === "pending" ? "No reviews are waiting." : `No ${status} reviews.`}><p>New reviews arrive here for a decision.</p><//>`
      : null}
    ${items.length
      ? html`<div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Product</th><th scope="col">Review</th><th scope="col">By</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              ${items.map(
                (r) => html`<tr key=${r.id}>
                  <td><a href=${href(`${base}/products/${encodeURIComponent(r.product)}`)}>${r.product}</a></td>
                  <td>
                    <${Stars} rating=${r.rating} /> ${r.title ? html`<strong>${r.title}</strong>` : null}
                    <p class="st-review-text">${r.text}</p>
                    ${r.reason ? html`<p class="muted">Rejected because: ${r.reason}</p>` : null}
                  </td>
                  <td>${r.author_email}<br /><span class="muted">${dateTime(r.submitted_at)}</span></td>
                  <td><${Badge} value=${r.status} /></td>
                  <td><${Decide} storeId=${store.id} review=${r} onDone=${page.reload} canWrite=${can("catalog.write")} /></td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
        ${page.data.next_cursor || cursors.length
          ? html`<${Pager} next=${page.data.next_cursor} atFirst=${!cursors.length}
              onNext=${() => setCursors([...cursors, page.data.next_cursor])} onFirst=${() => setCursors([])} />`
          : null}`
      : null}`;
}
