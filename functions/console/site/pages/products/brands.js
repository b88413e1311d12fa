// Brands: list, create, edit, delete and restore.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { setQuery } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Button, Card, Confirm, Empty, ErrorNotice, Field, Loading, PageHeader, toast, useAsync, useForm } from "../../lib/ui.js";
import { OwnerImage } from "./owner-image.js";

function BrandForm({ storeId, brand, onDone, onCancel }) {
  const form = useForm({ name: brand ? brand.name : "", description: brand ? brand.description : "" });
  const base = `${storeApi(storeId)}/brands`;
  const saved = form.submit(async (values) => {
    const body = { name: values.name.trim(), description: values.description };
    const answer = brand
      ? await api("PATCH", `${base}/${encodeURIComponent(brand.slug)}`, { body: { ...body, version: brand.version } })
      : await api("POST", base, { body });
    toast(brand ? `${answer.name} saved` : `${answer.name} created`);
    if (!brand) form.setValues({ name: "", description: "" });
    onDone();
  });
  return html`<form onSubmit=${saved} novalidate aria-label=${brand ? `Edit ${brand.name}` : "New brand"}>
    <${ErrorNotice} error=${form.error} />
    <${Field} label="Name" required maxlength="120" ...${form.bind("name")} hint=${brand ? `Slug ${brand.slug} stays as it is.` : "Its slug is made from it and never changes."} />
    <${Field} label="Description" as="textarea" rows="3" maxlength="2000" ...${form.bind("description")} />
    <div class="form-actions">
      <${Button} type="submit" busy=${form.busy}>${brand ? "Save brand" : "Create brand"}<//>
      ${onCancel ? html`<${Button} kind="ghost" onClick=${onCancel}>Cancel<//>` : null}
    </div>
  </form>`;
}

function BrandsView({ query }) {
  const { store, can } = useStore();
  const canWrite = can("catalog.write");
  const deleted = query.deleted === "1";
  const base = `${storeApi(store.id)}/brands`;
  const list = useAsync(() => api("GET", base, { query: { deleted: deleted ? "true" : "" } }), [store.id, deleted]);
  const [editing, setEditing] = useState(null);
  const [removing, setRemoving] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const act = async (brand, what) => {
    setBusy(true);
    setError(null);
    try {
      if (what === "delete") await api("DELETE", `${base}/${encodeURIComponent(brand.slug)}`);
      else await api("POST", `${base}/${encodeURIComponent(brand.slug)}/restore`);
      toast(`${brand.name} ${what === "delete" ? "deleted" : "restored"}`);
      list.reload();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  };
  const items = list.data ? list.data.items : [];
  return html`<${PageHeader} title="Brands" subtitle="Makers you sell; shoppers can filter by them." />
    <div class="split taxonomy">
      <div>
        <div class="filters">
          <${Field} label="Show deleted only" type="checkbox" value=${deleted} onChange=${(e) => setQuery({ deleted: e.currentTarget.checked ? "1" : "" })} />
        </div>
        <${ErrorNotice} error=${error || list.error} />
        ${list.loading && !list.data ? html`<${Loading} />` : null}
        ${list.data && !items.length ? html`<${Empty} title=${deleted ? "No deleted brands." : "No brands yet."}>${canWrite && !deleted ? html`<p>Create one with the form.</p>` : null}<//>` : null}
        ${items.length
          ? html`<div class="table-wrap">
              <table>
                <caption class="visually-hidden">Brands</caption>
                <thead><tr><th scope="col">Brand</th><th scope="col">Description</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>
                  ${items.map(
                    (b) => html`<tr key=${b.slug}>
                      <td><span class="brand-cell">
                        ${b.logo ? html`<img class="brand-logo" src=${b.logo.url} alt="" loading="lazy" width="40" height="40" />` : null}
                        <span><strong>${b.name}</strong><span class="product-skus">${b.slug}</span></span>
                      </span></td>
                      <td>${b.description || html`<span class="muted">–</span>`}</td>
                      <td class="row-actions">
                        ${canWrite && !deleted ? html`<${Button} kind="ghost" aria-label=${`Edit ${b.name}`} onClick=${() => setEditing(b.slug)}>Edit<//>
                          <${Button} kind="ghost" aria-label=${`Delete ${b.name}`} onClick=${() => setRemoving(b)}>Delete<//>` : null}
                        ${canWrite && deleted ? html`<${Button} kind="secondary" busy=${busy} aria-label=${`Restore ${b.name}`} onClick=${() => act(b, "restore")}>Restore<//>` : null}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : null}
      </div>
      ${canWrite && !deleted
        ? html`<${Card} title=${editing ? "Edit brand" : "New brand"}>
            ${editing
              ? html`<${BrandForm} key=${editing} storeId=${store.id} brand=${items.find((b) => b.slug === editing)}
                  onDone=${() => { setEditing(null); list.reload(); }} onCancel=${() => setEditing(null)} />`
              : html`<${BrandForm} key="new" storeId=${store.id} onDone=${list.reload} />`}
            ${editing && items.find((b) => b.slug === editing)
              ? html`<h3 class="owner-image-title">Logo</h3>
                  <${OwnerImage} what="logo" path=${`${base}/${encodeURIComponent(editing)}/logo`} name=${items.find((b) => b.slug === editing).name}
                    image=${items.find((b) => b.slug === editing).logo} alt=${items.find((b) => b.slug === editing).name} canWrite=${canWrite} onChanged=${list.reload} />`
              : html`<p class="hint">Create the brand, then choose Edit to upload its logo.</p>`}
          <//>`
        : html`<div></div>`}
    </div>
    <${Confirm} open=${!!removing} title=${removing ? `Delete ${removing.name}?` : "Delete brand?"} confirmLabel="Delete brand" busy=${busy}
      onConfirm=${() => act(removing, "delete")} onCancel=${() => setRemoving(null)}>
      <p>Its products keep their other details. You can restore it from “Show deleted only”.</p>
    <//>`;
}

export { BrandsView };
