// The operator's stores: pick one, open a new one and follow its provisioning to READY.
import { html, useEffect, useState } from "../vendor/preact-htm.js";
import { api } from "../lib/api.js";
import { label } from "../lib/format.js";
import { href, navigate } from "../lib/router.js";
import { Badge, Button, Card, Empty, ErrorNotice, Field, Loading, PageHeader, Progress, useAsync, useForm } from "../lib/ui.js";

function StoresView() {
  const mine = useAsync(() => api("GET", "/admin/stores"), []);
  return html`<${PageHeader} title="Your stores" subtitle="Choose a store to run, or open a new one.">
      <a class="button button-secondary" href="#/billing">Plan and billing</a>
      <a class="button button-primary" href="#/stores/new">Open a store</a>
    <//>
    <${ErrorNotice} error=${mine.error} />
    ${mine.loading && !mine.data ? html`<${Loading} />` : null}
    ${mine.data && !mine.data.items.length
      ? html`<${Empty} title="You have no store yet."><p><a href="#/stores/new">Open your first store</a> in a minute.</p><//>`
      : null}
    ${mine.data && mine.data.items.length
      ? html`<ul class="store-list">
          ${mine.data.items.map(
            (s) => html`<li>
              <a class="store-card" href=${href(`/s/${encodeURIComponent(s.id)}`)}>
                <span class="store-name">${s.name}</span>
                <span class="store-meta">${s.id} · ${label(s.role)}</span>
              </a>
            </li>`,
          )}
        </ul>`
      : null}`;
}

const CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "DKK", "PLN", "CAD", "AUD", "JPY"].map((c) => ({ value: c, label: c }));

function OpenStoreView() {
  const form = useForm({ name: "", niche: "", description: "", currency: "EUR", country: "DE" });
  const opened = form.submit(async (values) => {
    const answer = await api("POST", "/admin/stores", {
      body: { ...values, country: values.country.trim().toUpperCase() },
    });
    navigate(`/stores/${encodeURIComponent(answer.id)}/provisioning`);
  });
  return html`<${PageHeader} title="Open a store" subtitle="Nozzly sets up its catalog, taxes and storefront; it takes a few seconds." />
    <${Card}>
      <${ErrorNotice} error=${form.error} />
      <form onSubmit=${opened} novalidate class="form-grid">
        <${Field} label="Store name" required hint="Its address is made from it, like /shop/lantern-loom." ...${form.bind("name")} />
        <${Field} label="Niche" hint="Picks starter categories, e.g. fashion, books, home." ...${form.bind("niche")} />
        <${Field} label="Description" as="textarea" rows="3" ...${form.bind("description")} />
        <div class="row">
          <${Field} label="Currency" as="select" options=${CURRENCIES} hint="Cannot change later." ...${form.bind("currency")} />
          <${Field} label="Country" hint="Two letters, e.g. DE; sets the starting tax rate." maxlength="2" ...${form.bind("country")} />
        </div>
        <${Button} type="submit" busy=${form.busy}>Open store<//>
      </form>
    <//>`;
}

function ProvisioningView({ params }) {
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let stopped = false;
    let timer = null;
    const poll = async () => {
      try {
        const now = await api("GET", `/admin/stores/${encodeURIComponent(params.store)}/provisioning`);
        if (stopped) return;
        setState(now);
        if (now.status !== "READY" && now.status !== "FAILED") timer = setTimeout(poll, 1000);
      } catch (problem) {
        if (!stopped) setError(problem);
      }
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [params.store]);
  const status = state ? state.status : "PENDING";
  return html`<${PageHeader} title="Opening your store" subtitle=${params.store} />
    <${Card}>
      <${ErrorNotice} error=${error} />
      ${state ? html`<p>Status: <${Badge} value=${status === "READY" ? "ready" : status.toLowerCase()} /></p>` : html`<${Loading} />`}
      <${Progress} value=${state ? state.progress : 0} text=${`${state ? state.progress : 0}%`} />
      ${status === "READY"
        ? html`<p class="lead">Your store is ready.</p>
            <${Button} onClick=${() => navigate(`/s/${encodeURIComponent(params.store)}`)}>Go to the store<//>`
        : null}
      ${status === "FAILED" ? html`<p class="field-error">Provisioning failed: ${state.error}</p>` : null}
    <//>`;
}

export const routes = [
  { path: "/", view: StoresView, title: "Your stores" },
  { path: "/stores/new", view: OpenStoreView, title: "Open a store" },
  { path: "/stores/:store/provisioning", view: ProvisioningView, title: "Opening your store" },
];
