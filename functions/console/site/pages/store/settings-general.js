// The general and branding sections; the logo goes up through the presigned POST the API hands out.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { Button, ErrorNotice, Field, Progress } from "../../lib/ui.js";
import { SectionEditor, orNull, sectionApi } from "./settings-section.js";

// The API's list (default_language's enum in the OpenAPI document, stores/domain/general_settings.py).
const LANGUAGES = ["da", "de", "de-AT", "de-CH", "de-DE", "en", "en-AU", "en-GB", "en-IE", "en-US", "es", "es-ES", "fi", "fr",
  "fr-BE", "fr-CA", "fr-CH", "fr-FR", "it", "it-IT", "ja", "nb", "nl", "nl-BE", "nl-NL", "pl", "pt", "pt-BR", "pt-PT", "sv"];
const WEIGHTS = [{ value: "kg", label: "Kilograms (kg)" }, { value: "g", label: "Grams (g)" }, { value: "lb", label: "Pounds (lb)" }, { value: "oz", label: "Ounces (oz)" }];

export function GeneralSettings({ storeId }) {
  return html`<${SectionEditor} storeId=${storeId} name="general" title="General"
    intro="How the store introduces itself in emails and on receipts."
    fromSection=${(s) => ({
      display_name: s.display_name, contact_email: s.contact_email || "", support_phone: s.support_phone || "",
      storefront_url: s.storefront_url || "", default_language: s.default_language, timezone: s.timezone,
      weight_unit: s.weight_unit, order_number_prefix: s.order_number_prefix, daily_summary: s.daily_summary,
    })}
    toBody=${(v) => [{
      display_name: v.display_name.trim(), contact_email: orNull(v.contact_email), support_phone: orNull(v.support_phone),
      storefront_url: orNull(v.storefront_url), default_language: v.default_language, timezone: v.timezone.trim(),
      weight_unit: v.weight_unit, order_number_prefix: v.order_number_prefix.trim(), daily_summary: !!v.daily_summary,
    }, {}]}
    render=${({ field }) => html`
      <${Field} label="Display name" required ...${field("display_name")} />
      <div class="row">
        <${Field} label="Contact email" type="email" ...${field("contact_email")} />
        <${Field} label="Support phone" type="tel" hint="International format, e.g. +4930123456." ...${field("support_phone")} />
      </div>
      <${Field} label="Storefront address" type="url" hint="Every link in the store's emails starts with it." ...${field("storefront_url")} />
      <div class="row">
        <${Field} label="Language" as="select" options=${LANGUAGES.map((l) => ({ value: l, label: l }))} ...${field("default_language")} />
        <${Field} label="Time zone" hint="IANA name, e.g. Europe/Berlin: the store's days start at its midnight." ...${field("timezone")} />
      </div>
      <div class="row">
        <${Field} label="Weight unit" as="select" options=${WEIGHTS} ...${field("weight_unit")} />
        <${Field} label="Order number prefix" hint="Up to 8 of A–Z, 0–9 and -, e.g. MF-." ...${field("order_number_prefix")} />
      </div>
      <${Field} label="Email me yesterday's sales every morning" type="checkbox" ...${field("daily_summary")} />`} />`;
}

const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];

// POST .../branding/logo gives a presigned POST (url + fields); the file goes straight to storage, then its
// `logo` key is saved with the section.
function LogoUpload({ storeId, logoUrl, value, onUploaded }) {
  const [state, setState] = useState({ busy: false, error: null, progress: 0, preview: null });
  const upload = async (file) => {
    if (!file) return;
    if (!IMAGE_TYPES.includes(file.type)) {
      setState({ ...state, error: new Error("Choose a PNG, JPEG, WebP or GIF image.") });
      return;
    }
    setState({ busy: true, error: null, progress: 5, preview: URL.createObjectURL(file) });
    try {
      const link = await api("POST", `${sectionApi(storeId, "branding")}/logo`, { body: { content_type: file.type } });
      if (file.size > link.max_bytes) throw new Error(`The image is too large: at most ${Math.floor(link.max_bytes / 1048576)} MB.`);
      const body = new FormData();
      Object.entries(link.fields).forEach(([k, v]) => body.append(k, v));
      body.append("file", file);
      await sendWithProgress(link.url, body, (p) => setState((s) => ({ ...s, progress: p })));
      setState((s) => ({ ...s, busy: false, progress: 100 }));
      onUploaded(link.logo);
    } catch (problem) {
      setState((s) => ({ ...s, busy: false, error: problem }));
    }
  };
  const shown = state.preview || (value ? logoUrl : null);
  return html`<div class="field">
    <label for="logo-file">Logo</label>
    ${shown ? html`<img class="st-logo" src=${shown} alt="The store's logo" />` : html`<p class="hint">No logo yet.</p>`}
    <input id="logo-file" type="file" accept=${IMAGE_TYPES.join(",")} disabled=${state.busy} onChange=${(e) => upload(e.currentTarget.files[0])} />
    <p class="hint">PNG, JPEG, WebP or GIF. Save the section to use it.</p>
    ${state.busy ? html`<${Progress} value=${state.progress} text=${`Uploading… ${state.progress}%`} />` : null}
    ${value ? html`<${Button} kind="ghost" class="button button-ghost button-small" onClick=${() => { setState({ ...state, preview: null }); onUploaded(null); }}>Remove logo<//>` : null}
    <${ErrorNotice} error=${state.error} />
  </div>`;
}

// fetch() cannot report upload progress; XMLHttpRequest can.
function sendWithProgress(url, body, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.max(5, Math.round((e.loaded / e.total) * 95)));
    request.onload = () => (request.status < 300 ? resolve() : reject(new Error(`Storage refused the upload (${request.status}).`)));
    request.onerror = () => reject(new Error("The upload did not reach storage. Check the connection and try again."));
    request.send(body);
  });
}

export function BrandingSettings({ storeId }) {
  return html`<${SectionEditor} storeId=${storeId} name="branding" title="Branding"
    intro="The name and colours the store's emails carry."
    fromSection=${(s) => ({ sender_name: s.sender_name, reply_to: s.reply_to || "", brand_colour: s.brand_colour, logo: s.logo, logo_url: s.logo_url })}
    toBody=${(v) => {
      const colour = v.brand_colour.trim();
      const problems = /^#[0-9a-fA-F]{6}$/.test(colour) ? {} : { brand_colour: "A colour like #3730a3." };
      return [{ sender_name: v.sender_name.trim(), reply_to: orNull(v.reply_to), brand_colour: colour, logo: v.logo || null }, problems];
    }}
    render=${({ field, form }) => html`
      <div class="row">
        <${Field} label="Sender name" required hint="Emails come from this name." ...${field("sender_name")} />
        <${Field} label="Reply-to address" type="email" hint="Where shoppers' replies go." ...${field("reply_to")} />
      </div>
      <div class="st-colour">
        <input type="color" aria-label="Pick the brand colour" value=${/^#[0-9a-fA-F]{6}$/.test(form.values.brand_colour) ? form.values.brand_colour : "#000000"}
          onInput=${(e) => form.set("brand_colour", e.currentTarget.value)} />
        <${Field} label="Brand colour" hint="Buttons and headings in emails, as #rrggbb." ...${field("brand_colour")} />
      </div>
      <${LogoUpload} storeId=${storeId} logoUrl=${form.values.logo_url} value=${form.values.logo} onUploaded=${(key) => form.set("logo", key)} />`} />`;
}
