// The store's own details (PATCH /admin/stores/{store}): name, niche, description.
import { html } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Button, Card, ErrorNotice, Field, toast, useForm } from "../../lib/ui.js";

export function StoreDetails() {
  const { store, reload } = useStore();
  const form = useForm({ name: store.name, niche: store.niche || "", description: store.description || "" });
  const save = form.submit(async (values) => {
    await api("PATCH", storeApi(store.id), { body: { name: values.name.trim(), niche: values.niche.trim(), description: values.description } });
    toast("Store details saved");
    reload();
  });
  return html`<${Card} title="Store details">
    <p class="muted">The store's address stays <strong>/shop/${store.id}</strong>; its currency (${store.currency}) cannot change.</p>
    <form onSubmit=${save} novalidate class="form-grid st-form">
      <${ErrorNotice} error=${form.error} />
      <${Field} label="Store name" required ...${form.bind("name")} />
      <${Field} label="Niche" hint="e.g. fashion, books, home." ...${form.bind("niche")} />
      <${Field} label="Description" as="textarea" rows="3" ...${form.bind("description")} />
      <div class="st-form-actions"><${Button} type="submit" busy=${form.busy}>Save store details<//></div>
    </form>
  <//>`;
}
