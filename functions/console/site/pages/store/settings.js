// Settings (settings.manage): one tab per section, chosen in the address (?section=tax) so it can be linked.
import { html } from "../../vendor/preact-htm.js";
import { href } from "../../lib/router.js";
import { useStore } from "../../lib/store.js";
import { PageHeader } from "../../lib/ui.js";
import { BrandingSettings, GeneralSettings } from "./settings-general.js";
import { PayoutsSettings } from "./settings-payouts.js";
import { ShippingSettings, TaxSettings } from "./settings-rules.js";
import { StoreDetails } from "./settings-store.js";

const SECTIONS = [
  { id: "general", label: "General", versioned: true },
  { id: "store", label: "Store details", permission: "store.update" },
  { id: "branding", label: "Branding", versioned: true },
  { id: "tax", label: "Tax", versioned: true },
  { id: "shipping", label: "Shipping", versioned: true },
  { id: "payouts", label: "Payouts" },
];

export function Settings({ query }) {
  const { store, base, can } = useStore();
  const shown = SECTIONS.filter((s) => !s.permission || can(s.permission));
  const current = shown.find((s) => s.id === query.section) || shown[0];
  const views = {
    general: () => html`<${GeneralSettings} storeId=${store.id} />`,
    store: () => html`<${StoreDetails} />`,
    branding: () => html`<${BrandingSettings} storeId=${store.id} />`,
    tax: () => html`<${TaxSettings} storeId=${store.id} />`,
    shipping: () => html`<${ShippingSettings} storeId=${store.id} currency=${store.currency} />`,
    payouts: () => html`<${PayoutsSettings} storeId=${store.id} />`,
  };
  return html`<${PageHeader} title="Settings" subtitle=${current.versioned ? `${current.label}: every change is kept in the history beside it.` : current.label} />
    <nav class="st-tabs" aria-label="Settings sections">
      ${shown.map(
        (s) => html`<a href=${href(`${base}/settings`, { section: s.id })} aria-current=${s.id === current.id ? "page" : undefined}>${s.label}</a>`,
      )}
    </nav>
    <div key=${current.id}>${views[current.id]()}</div>`;
}
