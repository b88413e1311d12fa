// Tax and shipping sections: zones of countries with their rates or shipping methods. Regions, postal
// prefixes, category tax classes and weight/subtotal bands are kept as read (not edited here yet).
import { html } from "../../vendor/preact-htm.js";
import { ApiError } from "../../lib/api.js";
import { moneyInput, parseMoney } from "../../lib/format.js";
import { Button, Field } from "../../lib/ui.js";
import { parsePercent } from "./coupon-form.js";
import { SectionEditor } from "./settings-section.js";

function countries(text) {
  return String(text).split(/[\s,]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
}

// The API's message for a nested field ("zones.0.standard_bp"), or the problem found before sending.
function nestedError(form, problems, path) {
  if (problems[path]) return problems[path];
  return form.error instanceof ApiError ? form.error.fieldMessage(path) : null;
}

function nested(form, problems, path, value, onValue) {
  return { value, error: nestedError(form, problems, path), onInput: (e) => onValue(e.currentTarget.value) };
}

function rate(bp) {
  return bp === null || bp === undefined ? "" : String(bp / 100);
}

// Zero is a rate too: parsePercent takes 0.01 to 100.
function parseRate(text) {
  return String(text).trim() === "0" ? 0 : parsePercent(text);
}

function TaxZones({ form, problems }) {
  const zones = form.values.zones;
  const change = (i, key, value) => form.set("zones", zones.map((z, j) => (j === i ? { ...z, [key]: value } : z)));
  return html`${zones.map(
      (z, i) => html`<fieldset class="st-zone" key=${i}>
        <legend>${z.name || `Zone ${i + 1}`}</legend>
        <div class="row">
          <${Field} label="Zone name" ...${nested(form, problems, `zones.${i}.name`, z.name, (v) => change(i, "name", v))} />
          <${Field} label="Countries" hint="Two-letter codes, e.g. DE, AT." ...${nested(form, problems, `zones.${i}.countries`, z.countries, (v) => change(i, "countries", v))} />
        </div>
        <div class="row">
          <${Field} label="Standard rate (%)" inputmode="decimal" ...${nested(form, problems, `zones.${i}.standard_bp`, z.standard, (v) => change(i, "standard", v))} />
          <${Field} label="Reduced rate (%)" inputmode="decimal" ...${nested(form, problems, `zones.${i}.reduced_bp`, z.reduced, (v) => change(i, "reduced", v))} />
        </div>
        <${Button} kind="secondary" class="button button-secondary button-small" aria-label=${`Remove tax zone ${z.name || i + 1}`}
          onClick=${() => form.set("zones", zones.filter((_, j) => j !== i))}>Remove zone<//>
      </fieldset>`,
    )}
    <${Button} kind="secondary" onClick=${() => form.set("zones", [...zones, { name: "", countries: "", standard: "", reduced: "0", regions: [], postal_prefixes: [] }])}>Add a tax zone<//>`;
}

export function TaxSettings({ storeId }) {
  return html`<${SectionEditor} storeId=${storeId} name="tax" title="Tax"
    intro="Tax per destination. A destination in no zone pays no tax."
    fromSection=${(s) => ({
      prices_include_tax: s.prices_include_tax, tax_shipping: s.tax_shipping, rounding: s.rounding, rounding_mode: s.rounding_mode,
      category_classes: s.category_classes,
      zones: s.zones.map((z) => ({ ...z, countries: z.countries.join(", "), standard: rate(z.standard_bp), reduced: rate(z.reduced_bp) })),
    })}
    toBody=${(v) => {
      const problems = {};
      const zones = v.zones.map((z, i) => {
        const standard = parseRate(z.standard);
        const reduced = z.reduced === "" ? 0 : parseRate(z.reduced);
        if (standard === null) problems[`zones.${i}.standard_bp`] = "A percent from 0 to 100, like 19.";
        if (reduced === null) problems[`zones.${i}.reduced_bp`] = "A percent from 0 to 100, like 7.";
        return { name: z.name.trim(), countries: countries(z.countries), regions: z.regions, postal_prefixes: z.postal_prefixes, standard_bp: standard, reduced_bp: reduced };
      });
      return [{
        prices_include_tax: !!v.prices_include_tax, tax_shipping: !!v.tax_shipping, rounding: v.rounding,
        rounding_mode: v.rounding_mode, category_classes: v.category_classes, zones,
      }, problems];
    }}
    render=${({ field, form, problems }) => html`
      <${Field} label="Prices include tax" type="checkbox" hint="On: prices are gross (usual in the EU). Off: tax is added at checkout." ...${field("prices_include_tax")} />
      <${Field} label="Tax shipping" type="checkbox" hint="At the goods' rates, shared by value." ...${field("tax_shipping")} />
      <div class="row">
        <${Field} label="Rounding" as="select" options=${[{ value: "per_order", label: "Each rate on the whole order" }, { value: "per_line", label: "Each line" }]} ...${field("rounding")} />
        <${Field} label="Rounding mode" as="select" options=${[{ value: "half_even", label: "Half to even (banker's)" }, { value: "half_up", label: "Half up" }]} ...${field("rounding_mode")} />
      </div>
      <${TaxZones} form=${form} problems=${problems} />`} />`;
}

function ShippingMethods({ form, problems, zoneIndex, currency }) {
  const zones = form.values.zones;
  const methods = zones[zoneIndex].methods;
  const setMethods = (next) => form.set("zones", zones.map((z, j) => (j === zoneIndex ? { ...z, methods: next } : z)));
  const change = (i, key, value) => setMethods(methods.map((m, j) => (j === i ? { ...m, [key]: value } : m)));
  const at = (i, key) => `zones.${zoneIndex}.methods.${i}.${key}`;
  return html`${methods.map(
    (m, i) => html`<div class="st-method" key=${i}>
      <div class="row">
        <${Field} label="Method name" ...${nested(form, problems, at(i, "name"), m.name, (v) => change(i, "name", v))} />
        ${m.kind === "flat"
          ? html`<${Field} label=${`Price (${currency})`} inputmode="decimal" ...${nested(form, problems, at(i, "price"), m.price, (v) => change(i, "price", v))} />`
          : html`<p class="hint">Priced by ${m.kind} bands (kept as they are).</p>`}
        <${Field} label=${`Free from (${currency})`} inputmode="decimal" hint="Empty: never free." ...${nested(form, problems, at(i, "free_from"), m.free_from, (v) => change(i, "free_from", v))} />
      </div>
      <div class="row">
        <${Field} label="Days, at least" type="number" min="0" ...${nested(form, problems, at(i, "days_min"), m.days_min, (v) => change(i, "days_min", v))} />
        <${Field} label="Days, at most" type="number" min="0" ...${nested(form, problems, at(i, "days_max"), m.days_max, (v) => change(i, "days_max", v))} />
        <div class="field st-method-remove"><${Button} kind="ghost" class="button button-ghost button-small" aria-label=${`Remove shipping method ${m.name || i + 1}`} onClick=${() => setMethods(methods.filter((_, j) => j !== i))}>Remove method<//></div>
      </div>
    </div>`,
  )}
  <${Button} kind="secondary" class="button button-secondary button-small" onClick=${() => setMethods([...methods, { id: "", name: "", kind: "flat", price: "", free_from: "", days_min: "2", days_max: "5", bands: [] }])}>Add a method<//>`;
}

function slugOf(text, taken) {
  const base = String(text).toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 36) || "method";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export function ShippingSettings({ storeId, currency }) {
  return html`<${SectionEditor} storeId=${storeId} name="shipping" title="Shipping"
    intro="Where the store ships and what it costs. A destination in no zone cannot be shipped to."
    fromSection=${(s) => ({
      zones: s.zones.map((z) => ({
        ...z,
        countries: z.countries.join(", "),
        methods: z.methods.map((m) => ({ ...m, price: moneyInput(m.price, currency), free_from: moneyInput(m.free_from, currency), days_min: String(m.days_min), days_max: String(m.days_max) })),
      })),
    })}
    toBody=${(v) => {
      const problems = {};
      const zones = v.zones.map((z, zi) => {
        const taken = new Set(z.methods.map((m) => m.id).filter(Boolean));
        return {
          name: z.name.trim(), countries: countries(z.countries), regions: z.regions || [], postal_prefixes: z.postal_prefixes || [],
          methods: z.methods.map((m, mi) => {
            const at = (key) => `zones.${zi}.methods.${mi}.${key}`;
            const price = m.kind === "flat" ? parseMoney(m.price, currency) : 0;
            const free = String(m.free_from).trim() === "" ? null : parseMoney(m.free_from, currency);
            if (price === null) problems[at("price")] = `An amount in ${currency}, like 4.90.`;
            if (free === null && String(m.free_from).trim() !== "") problems[at("free_from")] = `An amount in ${currency}, or leave it empty.`;
            const id = m.id || slugOf(m.name, taken);
            taken.add(id);
            return { id, name: m.name.trim(), kind: m.kind, price, free_from: free, bands: m.bands, days_min: Number(m.days_min), days_max: Number(m.days_max) };
          }),
        };
      });
      return [{ zones }, problems];
    }}
    render=${({ form, problems }) => html`<${ShippingZones} form=${form} problems=${problems} currency=${currency} />`} />`;
}

function ShippingZones({ form, problems, currency }) {
  const zones = form.values.zones;
  const change = (i, key, value) => form.set("zones", zones.map((z, j) => (j === i ? { ...z, [key]: value } : z)));
  return html`${zones.map(
      (z, i) => html`<fieldset class="st-zone" key=${i}>
        <legend>${z.name || `Zone ${i + 1}`}</legend>
        <div class="row">
          <${Field} label="Zone name" ...${nested(form, problems, `zones.${i}.name`, z.name, (v) => change(i, "name", v))} />
          <${Field} label="Countries" hint="Two-letter codes, e.g. DE, AT." ...${nested(form, problems, `zones.${i}.countries`, z.countries, (v) => change(i, "countries", v))} />
        </div>
        <${ShippingMethods} form=${form} problems=${problems} zoneIndex=${i} currency=${currency} />
        <div class="st-form-actions">
          <${Button} kind="secondary" class="button button-secondary button-small" aria-label=${`Remove shipping zone ${z.name || i + 1}`}
            onClick=${() => form.set("zones", zones.filter((_, j) => j !== i))}>Remove zone<//>
        </div>
      </fieldset>`,
    )}
    <${Button} kind="secondary" onClick=${() => form.set("zones", [...zones, { name: "", countries: "", regions: [], postal_prefixes: [], methods: [{ id: "standard", name: "Standard shipping", kind: "flat", price: "", free_from: "", days_min: "2", days_max: "5", bands: [] }] }])}>Add a shipping zone<//>`;
}
