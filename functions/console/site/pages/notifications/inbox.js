// The operator's own inbox in this store: newest first, unread ones marked, mark one or all read.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { dateTime } from "../../lib/format.js";
import { href } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Button, Empty, ErrorNotice, Loading, PageHeader, Pager, toast, useAsync } from "../../lib/ui.js";

function Item({ item, onRead }) {
  const [busy, setBusy] = useState(false);
  const unread = item.read_at === null;
  return html`<li class=${`nf-item${unread ? " nf-unread" : ""}`}>
    <div class="nf-text">
      <a class="nf-title" href=${item.link} onClick=${() => unread && onRead(item, () => {})}>${item.title}</a>
      ${item.body ? html`<p class="nf-body">${item.body}</p>` : null}
      <span class="nf-when">${dateTime(item.created_at * 1000)}${unread ? " · Unread" : ""}</span>
    </div>
    ${unread
      ? html`<${Button} kind="secondary" class="button button-secondary button-small" busy=${busy}
          aria-label=${`Mark read: ${item.title}`} onClick=${() => { setBusy(true); onRead(item, () => setBusy(false)); }}>Mark read<//>`
      : null}
  </li>`;
}

export function Inbox({ query }) {
  const { store, base } = useStore();
  const unreadOnly = query.unread === "true";
  const [cursors, setCursors] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const cursor = cursors[cursors.length - 1];
  const path = `${storeApi(store.id)}/notifications`;
  const page = useAsync(() => api("GET", path, { query: { cursor, unread: unreadOnly || undefined } }), [store.id, cursor, unreadOnly]);
  const changed = () => {
    page.reload();
    window.dispatchEvent(new HashChangeEvent("hashchange")); // the bell counts again
  };
  const read = async (item, done) => {
    setError(null);
    try {
      await api("POST", `${path}/${encodeURIComponent(item.id)}/read`);
      changed();
    } catch (problem) {
      setError(problem);
    } finally {
      done();
    }
  };
  const readAll = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api("POST", `${path}/read-all`);
      toast(result.marked === 1 ? "1 notification marked read" : `${result.marked} notifications marked read`);
      changed();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  const items = page.data ? page.data.items : [];
  const unread = page.data ? page.data.unread : 0;
  return html`<${PageHeader} title="Notifications" subtitle=${unread ? `${unread} unread` : "All read"}>
      <a class="button button-ghost" href=${href(`${base}/notifications/preferences`)}>Preferences</a>
      <${Button} kind="secondary" busy=${busy} disabled=${!unread} onClick=${readAll}>Mark all read<//>
    <//>
    <div class="filters nf-filters">
      <a href=${href(`${base}/notifications`)} aria-current=${unreadOnly ? undefined : "page"}>All</a>
      <a href=${href(`${base}/notifications?unread=true`)} aria-current=${unreadOnly ? "page" : undefined}>Unread</a>
    </div>
    <${ErrorNotice} error=${error || page.error} />
    ${page.loading && !page.data ? html`<${Loading} />` : null}
    ${page.data && !items.length
      ? html`<${Empty} title=${unreadOnly ? "Nothing unread." : "No notifications yet."}>
          <p>New orders, payments, refunds and stock alerts of this store show here.</p><//>`
      : null}
    ${items.length ? html`<ul class="nf-list">${items.map((i) => html`<${Item} key=${i.id} item=${i} onRead=${read} />`)}</ul>` : null}
    ${page.data && (page.data.next_cursor || cursors.length)
      ? html`<${Pager} next=${page.data.next_cursor} atFirst=${!cursors.length}
          onNext=${() => setCursors([...cursors, page.data.next_cursor])} onFirst=${() => setCursors([])} />`
      : null}`;
}
