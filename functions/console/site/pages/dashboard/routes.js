// This area's views; see pages/registry.js for the route fields.
import { html } from "../../vendor/preact-htm.js";
import { useStore } from "../../lib/store.js";
import { PageHeader } from "../../lib/ui.js";

function Overview() {
  const { store } = useStore();
  return html`<${PageHeader} title=${store.name} subtitle=${`${store.id} · ${store.currency} · ${store.country}`} />`;
}

export const routes = [{ path: "/s/:store", view: Overview, title: "Dashboard", nav: "Dashboard" }];
