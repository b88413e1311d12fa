// lib/ui.js's Confirm with its own heading id: the editor has several dialogs, and ids must stay unique.
// (Worth moving into lib/ui.js: Confirm could make its id the way Field does.)
import { html, useEffect, useRef } from "../../vendor/preact-htm.js";
import { Button } from "../../lib/ui.js";

let dialogs = 0;

export function Confirm({ open, title, children, confirmLabel = "Confirm", kind = "danger", busy, onConfirm, onCancel }) {
  const ref = useRef(null);
  const id = useRef(null);
  if (id.current === null) id.current = `products-dialog-${++dialogs}`;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return html`<dialog ref=${ref} class="dialog" aria-labelledby=${id.current} onClose=${onCancel}>
    <h2 id=${id.current}>${title}</h2>
    <div class="dialog-body">${children}</div>
    <div class="dialog-actions">
      <${Button} kind="secondary" onClick=${onCancel}>Cancel<//>
      <${Button} kind=${kind} busy=${busy} onClick=${onConfirm}>${confirmLabel}<//>
    </div>
  </dialog>`;
}
