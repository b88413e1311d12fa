// The console's building blocks. Text from the API is always rendered as text (Preact escapes it); nothing
// is ever set as HTML.
import { html, useCallback, useEffect, useRef, useState } from "../vendor/preact-htm.js";
import { ApiError, SessionExpired } from "./api.js";
import { label as labelOf } from "./format.js";

let fieldIds = 0;
function useId(prefix) {
  const ref = useRef(null);
  if (ref.current === null) ref.current = `${prefix}-${++fieldIds}`;
  return ref.current;
}

// Loads data for a view; `reload()` loads again. Errors are kept for <ErrorNotice>.
export function useAsync(load, deps) {
  const [state, setState] = useState({ loading: true, data: null, error: null });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve()
      .then(load)
      .then(
        (data) => mine === generation.current && setState({ loading: false, data, error: null }),
        (error) => mine === generation.current && setState({ loading: false, data: null, error }),
      );
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run };
}

// A form's values, busy state and the API's errors. A failed submit keeps every value the operator typed.
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  // The API's message for a field by its path in the request body ("shipping_address.city", "variants.1.sku").
  const fieldError = (path) => (error instanceof ApiError ? error.fieldMessage(path) : null);
  // `path`: where the API puts the value, when the form keeps it under another name.
  const bind = (name, path = name) => ({
    name,
    value: values[name] ?? "",
    onInput: (event) => set(name, event.currentTarget.type === "checkbox" ? event.currentTarget.checked : event.currentTarget.value),
    error: fieldError(path),
  });
  const submit = (action) => async (event) => {
    if (event) event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action(values);
    } catch (problem) {
      if (problem instanceof SessionExpired) return;
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return { values, setValues, set, bind, fieldError, submit, error, setError, busy };
}

export function Field({ label, hint, error, type = "text", as = "input", options, children, ...input }) {
  const id = useId("field");
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const common = { id, "aria-describedby": described, "aria-invalid": error ? "true" : undefined, ...input };
  let control;
  if (as === "select") {
    control = html`<select ...${common}>
      ${(options || []).map((o) => html`<option value=${o.value} selected=${String(o.value) === String(input.value)}>${o.label}</option>`)}
    </select>`;
  } else if (as === "textarea") {
    control = html`<textarea ...${common}></textarea>`;
  } else if (type === "checkbox") {
    return html`<div class="field field-check">
      <input type="checkbox" ...${common} checked=${!!input.value} value="on" />
      <label for=${id}>${label}</label>
      ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
      ${error && html`<p class="field-error" id=${`${id}-error`}>${error}</p>`}
    </div>`;
  } else {
    control = html`<input type=${type} ...${common} />`;
  }
  return html`<div class=${`field${error ? " has-error" : ""}`}>
    <label for=${id}>${label}${input.required ? html` <span class="required" aria-hidden="true">*</span>` : null}</label>
    ${control}${children}
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${error && html`<p class="field-error" id=${`${id}-error`}>${error}</p>`}
  </div>`;
}

export function Button({ kind = "primary", busy = false, children, type = "button", ...rest }) {
  return html`<button type=${type} class=${`button button-${kind}`} disabled=${busy || rest.disabled} aria-busy=${busy ? "true" : undefined} ...${rest}>
    ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : null}${children}
  </button>`;
}

export function Alert({ kind = "info", children }) {
  return html`<div class=${`alert alert-${kind}`} role=${kind === "error" ? "alert" : "status"}>${children}</div>`;
}

// The API's own message, with the request id support can look up. Field errors also show at their fields.
export function ErrorNotice({ error }) {
  if (!error || error instanceof SessionExpired) return null;
  const fields = error instanceof ApiError ? error.fields : [];
  return html`<${Alert} kind="error">
    <strong>${error.message}</strong>
    ${fields.length ? html`<ul class="error-fields">${fields.map((f) => html`<li>${f.field}: ${f.message}</li>`)}</ul>` : null}
    ${error.requestId ? html`<span class="request-id">Request ${error.requestId}</span>` : null}
  <//>`;
}

export function Loading({ text = "Loading…" }) {
  return html`<p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>${text}</p>`;
}

export function Progress({ value, text }) {
  return html`<div class="progress">
    <progress max="100" value=${value} aria-label=${text || "Progress"}></progress>
    ${text ? html`<span class="progress-text">${text}</span>` : null}
  </div>`;
}

export function Badge({ value, tone }) {
  const known = tone || toneOf(value);
  return html`<span class=${`badge badge-${known}`}>${labelOf(value)}</span>`;
}

const TONES = {
  good: ["paid", "shipped", "delivered", "approved", "active", "ready", "succeeded", "published", "live", "completed", "trialing"],
  warn: ["pending", "payment_pending", "awaiting_payment", "processing", "draft", "provisioning", "partially_refunded", "partially_shipped", "requested", "running", "past_due"],
  bad: ["failed", "cancelled", "canceled", "rejected", "refunded", "deleted", "returned", "archived", "expired", "restricted"],
};

function toneOf(value) {
  const key = String(value || "").toLowerCase();
  for (const [tone, values] of Object.entries(TONES)) if (values.includes(key)) return tone;
  return "neutral";
}

export function PageHeader({ title, subtitle, children }) {
  return html`<header class="page-header">
    <div>
      <h1 tabindex="-1" id="page-title">${title}</h1>
      ${subtitle ? html`<p class="subtitle">${subtitle}</p>` : null}
    </div>
    ${children ? html`<div class="page-actions">${children}</div>` : null}
  </header>`;
}

export function Card({ title, children, actions, class: extra = "" }) {
  return html`<section class=${`card ${extra}`}>
    ${title || actions ? html`<div class="card-head">${title ? html`<h2>${title}</h2>` : html`<span></span>`}${actions}</div>` : null}
    ${children}
  </section>`;
}

export function Empty({ title, children }) {
  return html`<div class="empty"><p class="empty-title">${title}</p>${children}</div>`;
}

// Cursor paging as the API does it: `next` is the opaque cursor of the next page, or null.
export function Pager({ next, onNext, onFirst, atFirst }) {
  return html`<nav class="pager" aria-label="Pages">
    <${Button} kind="secondary" disabled=${atFirst} onClick=${onFirst}>First page<//>
    <${Button} kind="secondary" disabled=${!next} onClick=${onNext}>Next page<//>
  </nav>`;
}

// A confirmation inside the page (no window.confirm: it cannot be styled or tested well).
export function Confirm({ open, title, children, confirmLabel = "Confirm", kind = "danger", busy, onConfirm, onCancel }) {
  const ref = useRef(null);
  // close() fires its close event a task later; by then the dialog may be open again for a new question,
  // which that event must not cancel. Only a close the browser made itself (Escape) is the user's cancel.
  const closedByUs = useRef(false);
  const titleId = useId("confirm-title");
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) {
      closedByUs.current = true;
      dialog.close();
    }
  }, [open]);
  const closed = () => {
    if (closedByUs.current) closedByUs.current = false;
    else onCancel?.();
  };
  return html`<dialog ref=${ref} class="dialog" aria-labelledby=${titleId} onClose=${closed}>
    <h2 id=${titleId}>${title}</h2>
    <div class="dialog-body">${children}</div>
    <div class="dialog-actions">
      <${Button} kind="secondary" onClick=${onCancel}>Cancel<//>
      <${Button} kind=${kind} busy=${busy} onClick=${onConfirm}>${confirmLabel}<//>
    </div>
  </dialog>`;
}

// A short-lived message after an action ("Product saved"), announced to screen readers.
let toastListener = null;
export function toast(text, kind = "success") {
  if (toastListener) toastListener({ text, kind, at: Date.now() });
}

export function Toasts() {
  const [items, setItems] = useState([]);
  useEffect(() => {
    toastListener = (item) => {
      setItems((list) => [...list.slice(-2), item]);
      setTimeout(() => setItems((list) => list.filter((i) => i !== item)), 5000);
    };
    return () => {
      toastListener = null;
    };
  }, []);
  return html`<div class="toasts" role="status" aria-live="polite">
    ${items.map((item) => html`<div class=${`toast toast-${item.kind}`} key=${item.at}>${item.text}</div>`)}
  </div>`;
}
