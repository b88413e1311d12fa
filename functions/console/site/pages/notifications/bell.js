// The top bar's bell: the unread count of the operator's own inbox in this store, a link to the inbox. It asks
// again every 30 s and on each page change; the live push (realtime) will make the wait shorter once merged.
import { html, useEffect } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { href } from "../../lib/router.js";
import { storeApi } from "../../lib/store.js";
import { useAsync } from "../../lib/ui.js";

const EVERY_MS = 30_000;

export function Bell({ storeId }) {
  const inbox = useAsync(() => api("GET", `${storeApi(storeId)}/notifications`, { query: { limit: 1 } }), [storeId]);
  useEffect(() => {
    const timer = setInterval(inbox.reload, EVERY_MS);
    window.addEventListener("hashchange", inbox.reload);
    return () => {
      clearInterval(timer);
      window.removeEventListener("hashchange", inbox.reload);
    };
  }, [inbox.reload]);
  const unread = inbox.data ? inbox.data.unread : 0;
  const text = unread ? `Notifications, ${unread} unread` : "Notifications";
  return html`<a class="nf-bell" href=${href(`/s/${encodeURIComponent(storeId)}/notifications`)} aria-label=${text} title=${text}>
    <span aria-hidden="true">🔔</span>
    ${unread ? html`<span class="nf-count" aria-hidden="true">${unread > 99 ? "99+" : unread}</span>` : null}
  </a>`;
}
