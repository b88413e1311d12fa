// Import a supplier's product as a draft (POST .../imports) and follow it to the draft (GET .../imports/{id}).
// The API lists no imports, so this page remembers the ones started in this tab; each has its own address.
import { html, useEffect, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { dateTime, label, number } from "../../lib/format.js";
import { href, navigate } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Alert, Badge, Button, Card, ErrorNotice, Field, Loading, PageHeader, Progress, useAsync, useForm } from "../../lib/ui.js";
import { categoryOptions } from "../products/catalog.js";

const LANGUAGES = [
  { value: "en", label: "English" },
  { value: "de", label: "German" },
  { value: "fr", label: "French" },
  { value: "es", label: "Spanish" },
  { value: "it", label: "Italian" },
  { value: "nl", label: "Dutch" },
];
const STEPS = { fetch: "Read the supplier's product", copy: "Write the copy", images: "Prepare the images", price: "Set the price", create: "Create the draft" };
const POLL_MS = 1500;
const started = []; // {store, id, source_url, at}: this tab's imports, newest first (kept in memory only)

function importsApi(storeId) {
  return `${storeApi(storeId)}/imports`;
}

export function ImportsView({ query }) {
  const { store, base } = useStore();
  const categories = useAsync(() => api("GET", `${storeApi(store.id)}/categories`), [store.id]);
  const form = useForm({ source_url: query.source || "", category: "", language: "en" });
  const start = form.submit(async (values) => {
    const run = await api("POST", importsApi(store.id), {
      body: { source_url: values.source_url.trim(), category: values.category, language: values.language },
    });
    started.unshift({ store: store.id, id: run.id, source_url: run.source_url, at: Date.now() });
    navigate(`${base}/imports/${encodeURIComponent(run.id)}`);
  });
  const options = categories.data ? categoryOptions(categories.data.items, { blank: "Choose a category" }) : [];
  const mine = started.filter((s) => s.store === store.id);
  return html`<${PageHeader} title="Import a product" subtitle="From a supplier's product link to a draft with copy, images and a price. You review it before it is published." />
    <div class="split">
      <${Card} title="Supplier product">
        <${ErrorNotice} error=${form.error || categories.error} />
        <form onSubmit=${start} novalidate class="form-grid">
          <${Field} label="Product link" type="url" required placeholder="https://supplier.example/products/EL-100.json"
            hint="The supplier's product document. Importing the same link again opens the same import." ...${form.bind("source_url")} />
          <div class="row">
            <${Field} label="Category" as="select" required options=${options} ...${form.bind("category")} />
            <${Field} label="Language of the copy" as="select" options=${LANGUAGES} ...${form.bind("language")} />
          </div>
          <${Button} type="submit" busy=${form.busy} disabled=${!categories.data}>Import as a draft<//>
        </form>
      <//>
      <${Card} title="Started here">
        ${mine.length
          ? html`<ul class="im-list">
              ${mine.map((s) => html`<li key=${s.id}>
                <a href=${href(`${base}/imports/${encodeURIComponent(s.id)}`)}>${s.source_url}</a>
                <span class="muted">${dateTime(new Date(s.at).toISOString())}</span>
              </li>`)}
            </ul>`
          : html`<p class="muted">Imports you start in this tab are listed here while it stays open.</p>`}
      <//>
    </div>`;
}

// The import's progress, asked again every 1.5 s while it runs.
function useImport(path) {
  const [state, setState] = useState({ run: null, error: null });
  useEffect(() => {
    let stopped = false;
    let timer = null;
    const poll = async () => {
      try {
        const run = await api("GET", path);
        if (stopped) return;
        setState({ run, error: null });
        if (run.status === "running") timer = setTimeout(poll, POLL_MS);
      } catch (error) {
        if (!stopped) setState((s) => ({ ...s, error }));
      }
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [path]);
  return state;
}

export function ImportView({ params }) {
  const { store, base } = useStore();
  const { run, error } = useImport(`${importsApi(store.id)}/${encodeURIComponent(params.import)}`);
  const back = html`<a class="button button-secondary" href=${href(`${base}/imports`)}>Import another</a>`;
  if (!run) {
    return html`<${PageHeader} title="Product import">${back}<//>
      <${ErrorNotice} error=${error} />
      ${error ? null : html`<${Loading} text="Loading the import…" />`}`;
  }
  const done = run.steps.filter((s) => s.state === "done").length;
  return html`<${PageHeader} title="Product import" subtitle=${`Started ${dateTime(new Date(run.created_at * 1000).toISOString())}`}>${back}<//>
    <${ErrorNotice} error=${error} />
    <${Card}>
      <p class="im-source">${run.source_url}</p>
      <p>Status <${Badge} value=${run.status} /></p>
      <${Progress} value=${Math.round((done / run.steps.length) * 100)} text=${`${done} of ${run.steps.length} steps`} />
      <ol class="im-steps">
        ${run.steps.map((s) => html`<li key=${s.step}><span>${STEPS[s.step] || label(s.step)}</span> <${Badge} value=${s.state === "done" ? "completed" : s.state} /></li>`)}
      </ol>
      ${run.status === "failed"
        ? html`<${Alert} kind="error"><strong>The import failed.</strong> ${run.error || ""} Nothing half-made was kept.<//>
            <a class="button button-primary" href=${href(`${base}/imports`, { source: run.source_url })}>Try again</a>`
        : null}
      ${run.status === "succeeded"
        ? html`<${Alert} kind="success">The draft is ready.${run.needs_copy ? " The AI wrote no copy, so the supplier's own words were kept: review them." : ""}<//>
            <a class="button button-primary" href=${href(`${base}/products/${encodeURIComponent(run.product)}`)}>Open the draft</a>`
        : null}
      <p class="hint">AI tokens spent: ${number(run.ai_tokens)}</p>
    <//>`;
}
