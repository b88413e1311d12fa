// The top bar's bell: the unread count of the operator's own inbox in this store, a link to the inbox. A live
// notification (lib/live.js) asks again at once; without the live channel it asks every 30 s and on each page change.
import { html, useEffect } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { useLiveReload } from "../../lib/live.js";
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
  useLiveReload((message) => message.type === "notification", inbox.reload);
  const unread = inbox.data ? inbox.data.unread : 0;
  const text = unread ? `Notifications, ${unread} unread` : "Notifications";
  return html`<a class="nf-bell" href=${href(`/s/${encodeURIComponent(storeId)}/notifications`)} aria-label=${text} title=${text}>
    <svg class="nf-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6v-5a6 6 0 0 0-5-5.9V4a1 1 0 1 0-2 0v1.1A6 6 0 0 0 6 11v5l-2 2v1h16v-1z" />
    </svg>
    ${unread ? html`<span class="nf-count" aria-hidden="true">${unread > 99 ? "99+" : unread}</span>` : null}
  </a>`;
}
