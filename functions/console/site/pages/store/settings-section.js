// One settings section over GET/PUT .../settings/{section}: a form on the version read, then its history.
// A PUT replaces the whole section, so each form sends every field (the ones it does not show, as read).
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { dateTime, label } from "../../lib/format.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Button, Card, ErrorNotice, Loading, Pager, toast, useAsync, useForm } from "../../lib/ui.js";

export function sectionApi(storeId, name) {
  return `${storeApi(storeId)}/settings/${name}`;
}

const META = ["version", "updated_by", "updated_at"];
// History names fields as the forms label them, where the API's name reads differently.
const FIELD_NAMES = { timezone: "time zone", storefront_url: "storefront address", default_language: "language", brand_colour: "brand colour", reply_to: "reply-to address", daily_summary: "daily sales email", zones: "zones", category_classes: "category tax classes" };

function fieldName(key) {
  return FIELD_NAMES[key] || label(key).toLowerCase();
}

// Which fields a version changed against the one before it (both as saved).
function changedFields(newer, older) {
  if (!older) return null;
  const keys = new Set([...Object.keys(newer), ...Object.keys(older)]);
  return [...keys].filter((k) => JSON.stringify(newer[k] ?? null) !== JSON.stringify(older[k] ?? null));
}

function useTeamNames(storeId, can) {
  // Who saved a version is an account id; the team list (staff.manage) turns it into an email when allowed.
  const team = useAsync(() => (can("staff.manage") ? api("GET", `${storeApi(storeId)}/staff`) : null), [storeId]);
  const names = new Map((team.data ? team.data.members : []).map((m) => [m.id, m.email]));
  // "nozzly" saved the defaults when the store was set up.
  return (sub) => names.get(sub) || (sub === "nozzly" ? "Nozzly, when the store was set up" : sub);
}

export function History({ storeId, name, refreshKey }) {
  const { can } = useStore();
  const nameOf = useTeamNames(storeId, can);
  const [cursors, setCursors] = useState([]);
  const cursor = cursors[cursors.length - 1];
  const page = useAsync(
    () => api("GET", `${sectionApi(storeId, name)}/history`, { query: { cursor, limit: 10 } }),
    [storeId, name, cursor, refreshKey],
  );
  const items = page.data ? page.data.items : [];
  return html`<${Card} title="History">
    <${ErrorNotice} error=${page.error} />
    ${page.loading && !page.data ? html`<${Loading} />` : null}
    ${page.data && !items.length ? html`<p class="muted">Never changed: the store's defaults apply.</p>` : null}
    ${items.length
      ? html`<ol class="st-history" aria-label=${`${label(name)} settings history`}>
          ${items.map((item, i) => {
            const changed = changedFields(item.settings, items[i + 1] && items[i + 1].settings);
            return html`<li key=${item.version}>
              <strong>Version ${item.version}</strong> · ${dateTime(item.updated_at)}
              <div class="muted">by ${nameOf(item.updated_by)}</div>
              <div>${changed === null
                ? item.version === 1 ? "First saved" : "Changed"
                : changed.length ? `Changed: ${changed.map(fieldName).join(", ")}` : "Saved without changes"}</div>
            </li>`;
          })}
        </ol>
        ${page.data.next_cursor || cursors.length
          ? html`<${Pager} next=${page.data.next_cursor} atFirst=${!cursors.length}
              onNext=${() => setCursors([...cursors, page.data.next_cursor])} onFirst=${() => setCursors([])} />`
          : null}`
      : null}
  <//>`;
}

// fromSection(answer) -> form values; toBody(values, answer) -> [fields, problems{}] (problems: typed but wrong).
function SectionForm({ storeId, name, section, fromSection, toBody, render, onSaved }) {
  const form = useForm(fromSection(section));
  const [problems, setProblems] = useState({});
  const field = (key) => {
    const bound = form.bind(key);
    // Typing again clears what was said about the field before sending.
    const onInput = (event) => {
      if (problems[key]) setProblems(({ [key]: _, ...rest }) => rest);
      bound.onInput(event);
    };
    return { ...bound, onInput, error: problems[key] || bound.error };
  };
  const save = form.submit(async (values) => {
    const [fields, found] = toBody(values, section);
    setProblems(found);
    if (Object.keys(found).length) return;
    const saved = await api("PUT", sectionApi(storeId, name), { body: { ...fields, version: section.version } });
    toast(`${label(name)} settings saved`);
    onSaved(saved);
  });
  return html`<form onSubmit=${save} novalidate class="form-grid st-form">
    <${ErrorNotice} error=${form.error} />
    ${form.error && form.error.status === 409
      ? html`<p class="hint">Someone saved this section meanwhile. Your typing is kept: reload the page to see theirs first.</p>`
      : null}
    ${Object.keys(problems).length ? html`<p class="field-error" role="alert">Check the fields marked below.</p>` : null}
    ${render({ field, form, problems })}
    <div class="st-form-actions"><${Button} type="submit" busy=${form.busy}>Save ${label(name).toLowerCase()} settings<//></div>
  </form>`;
}

export function SectionEditor({ storeId, name, title, intro, fromSection, toBody, render }) {
  const found = useAsync(() => api("GET", sectionApi(storeId, name)), [storeId, name]);
  const [saved, setSaved] = useState(null);
  const section = saved || found.data;
  return html`<div class="split st-split">
    <${Card} title=${title}>
      ${intro ? html`<p class="muted">${intro}</p>` : null}
      <${ErrorNotice} error=${found.error} />
      ${found.loading && !section ? html`<${Loading} />` : null}
      ${section
        ? html`<${SectionForm} key=${section.version} storeId=${storeId} name=${name} section=${section}
            fromSection=${fromSection} toBody=${toBody} render=${render} onSaved=${setSaved} />`
        : null}
      ${section && section.updated_at
        ? html`<p class="hint">Version ${section.version}, saved ${dateTime(section.updated_at)}.</p>`
        : null}
    <//>
    <${History} storeId=${storeId} name=${name} refreshKey=${section ? section.version : 0} />
  </div>`;
}

export function withoutMeta(section) {
  return Object.fromEntries(Object.entries(section).filter(([k]) => !META.includes(k)));
}

export function orNull(text) {
  const trimmed = String(text ?? "").trim();
  return trimmed === "" ? null : trimmed;
}
