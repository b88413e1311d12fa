// The top bar's word on live updates: shown only when the stack has a live URL, and said to screen readers
// only when it changes (a polite status region).
import { html } from "../vendor/preact-htm.js";
import { useLiveStore } from "../lib/live.js";

const WORDS = {
  live: ["Live", "Updates arrive as they happen"],
  connecting: ["Connecting…", "Opening live updates"],
  reconnecting: ["Reconnecting…", "Live updates paused; the page still works, reload to see the latest"],
};

export function LiveStatus({ storeId }) {
  const status = useLiveStore(storeId);
  const [word, title] = WORDS[status] || [null, null];
  return html`<span class=${`live-status live-${status}`} role="status" title=${title || undefined}>${word
    ? html`<span class="live-dot" aria-hidden="true"></span><span class="live-word">${word}</span>`
    : null}</span>`;
}
