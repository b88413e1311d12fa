// One product: its fields, variants, images and stock; soft delete and restore.
import { html, useEffect, useRef, useState } from "../../vendor/preact-htm.js";
import { ApiError, api } from "../../lib/api.js";
import { dateTime, money } from "../../lib/format.js";
import { href } from "../../lib/router.js";
import { useStore } from "../../lib/store.js";
import { Alert, Badge, Button, Card, Confirm, ErrorNotice, Loading, PageHeader, toast, useAsync, useForm } from "../../lib/ui.js";
import { loadTaxonomy, priceRange, productApi } from "./catalog.js";
import { ImagesCard } from "./images.js";
import { ProductFields, localError, patchBody, productValues } from "./product-form.js";
import { StockCard } from "./stock.js";
import { VariantsCard } from "./variants.js";

function sameValues(a, b) {
  return Object.keys(b).every((k) => a[k] === b[k]);
}

// Stock, images and variants move the product's version too, sometimes a moment before this page hears of it.
// A version conflict is retried once on the newest version when nobody changed the fields this save changes;
// otherwise the conflict is the operator's to resolve.
async function saveOver(storeId, product, values, body, problems) {
  try {
    return await api("PATCH", productApi(storeId, product.slug), { body });
  } catch (problem) {
    if (!(problem instanceof ApiError) || problem.status !== 409) throw problem;
    const fresh = await api("GET", productApi(storeId, product.slug));
    const before = productValues(product);
    const now = productValues(fresh);
    const mine = Object.keys(body).filter((k) => k !== "version");
    if (mine.some((k) => now[k] !== before[k])) throw problem;
    return api("PATCH", productApi(storeId, product.slug), { body: patchBody(values, fresh, fresh.price.currency, problems) });
  }
}

function DetailsForm({ product, taxonomy, onSaved, canWrite }) {
  const { store } = useStore();
  const form = useForm(productValues(product));
  // Variants and images change the product (and its version) too: the form follows them only while nothing
  // is typed in it; typed text stays, and saving sends it against the newest version.
  const baseline = useRef(productValues(product));
  useEffect(() => {
    const fresh = productValues(product);
    if (!form.busy && sameValues(form.values, baseline.current)) form.setValues(fresh);
    baseline.current = fresh;
  }, [product]);
  const saved = form.submit(async (values) => {
    const problems = [];
    const body = patchBody(values, product, store.currency, problems);
    if (problems.length) throw localError(problems);
    if (Object.keys(body).length === 1) {
      toast("Nothing changed");
      return;
    }
    const changed = await saveOver(store.id, product, values, body, problems);
    form.setValues(productValues(changed));
    baseline.current = productValues(changed);
    onSaved(changed);
    toast("Product saved");
  });
  return html`<form onSubmit=${saved} novalidate class="product-form">
    <${ErrorNotice} error=${form.error} />
    ${form.error && form.error.status === 409
      ? html`<${Alert} kind="warning">Someone else changed this product meanwhile. Your text is kept: open the product in another tab to compare, then save again.<//>`
      : null}
    <fieldset class="bare" disabled=${!canWrite}>
      <${ProductFields} form=${form} taxonomy=${taxonomy} currency=${store.currency} slug=${product.slug} />
    </fieldset>
    ${canWrite ? html`<div class="form-actions"><${Button} type="submit" busy=${form.busy}>Save product<//></div>` : null}
  </form>`;
}

function Summary({ product, storeId, canWrite, onChanged }) {
  const { base } = useStore();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const range = priceRange(product);
  const act = async (what) => {
    setBusy(true);
    setError(null);
    try {
      if (what === "delete") {
        await api("DELETE", productApi(storeId, product.slug));
        toast(`${product.title} deleted; you can restore it from the deleted products.`);
        onChanged(await api("GET", productApi(storeId, product.slug)).catch(() => ({ ...product, deleted: true })));
      } else {
        onChanged(await api("POST", `${productApi(storeId, product.slug)}/restore`));
        toast(`${product.title} restored`);
      }
      setAsking(false);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Card} title="Overview" class="product-summary">
    <dl class="facts">
      <dt>Status</dt><dd>${product.deleted ? html`<${Badge} value="deleted" />` : html`<${Badge} value=${product.status} />`}</dd>
      <dt>Price</dt><dd>${range.low === range.high ? money(range.low, range.currency) : `${money(range.low, range.currency)} – ${money(range.high, range.currency)}`}</dd>
      <dt>Available</dt><dd>${product.variants.reduce((s, v) => s + v.available, 0)} units</dd>
      <dt>Slug</dt><dd><code>${product.slug}</code></dd>
      ${product.created_at ? html`<dt>Created</dt><dd>${dateTime(product.created_at * 1000)}</dd>` : null}
    </dl>
    ${product.status === "published" && !product.deleted
      ? html`<p><a href=${`/shop/${encodeURIComponent(storeId)}/products/${encodeURIComponent(product.slug)}`} target="_blank" rel="noopener">View in shop ↗</a></p>`
      : null}
    <${ErrorNotice} error=${error} />
    ${canWrite && !product.deleted ? html`<${Button} kind="danger" onClick=${() => setAsking(true)}>Delete product<//>` : null}
    ${canWrite && product.deleted ? html`<${Button} kind="primary" busy=${busy} onClick=${() => act("restore")}>Restore product<//>` : null}
    <p class="hint"><a href=${href(`${base}/products`)}>Back to products</a></p>
    <${Confirm} open=${asking} title=${`Delete ${product.title}?`} confirmLabel="Delete product" busy=${busy}
      onConfirm=${() => act("delete")} onCancel=${() => setAsking(false)}>
      <p>It leaves the shop and the products list at once. You can restore it later from “Show deleted only”.</p>
    <//>
  <//>`;
}

function ProductEditorView({ params }) {
  const { store, can } = useStore();
  const canWrite = can("catalog.write");
  const loaded = useAsync(
    () => Promise.all([api("GET", productApi(store.id, params.product)), loadTaxonomy(store.id)]),
    [store.id, params.product],
  );
  const [product, setProduct] = useState(null);
  const [stockFor, setStockFor] = useState(null);
  useEffect(() => {
    if (loaded.data) setProduct(loaded.data[0]);
  }, [loaded.data]);
  if (loaded.error) {
    return html`<${PageHeader} title="Product" /><${ErrorNotice} error=${loaded.error} />
      <p><a href=${href(`/s/${encodeURIComponent(store.id)}/products`)}>Back to products</a></p>`;
  }
  if (!product) return html`<${PageHeader} title="Product" /><${Loading} text="Loading the product…" />`;
  const [, taxonomy] = loaded.data;
  const variant = product.variants.find((v) => v.id === stockFor) || null;
  return html`<${PageHeader} title=${product.title} subtitle=${product.deleted ? "Deleted – restore it to edit or sell it again." : "Edit the product; each part saves on its own."}>
      ${product.deleted ? html`<${Badge} value="deleted" />` : html`<${Badge} value=${product.status} />`}
    <//>
    <div class="split product-editor">
      <div class="editor-main">
        <${DetailsForm} product=${product} taxonomy=${taxonomy} onSaved=${setProduct} canWrite=${canWrite && !product.deleted} />
        <${VariantsCard} product=${product} storeId=${store.id} currency=${store.currency} canWrite=${canWrite && !product.deleted}
          onChanged=${setProduct} onStock=${(id) => {
            setStockFor(id);
            setTimeout(() => document.getElementById("stock-card")?.focus(), 50);
          }} />
        ${variant ? html`<${StockCard} product=${product} variant=${variant} storeId=${store.id} canWrite=${canWrite && !product.deleted}
          onChanged=${setProduct} onClose=${() => setStockFor(null)} />` : null}
      </div>
      <div class="editor-side">
        <${Summary} product=${product} storeId=${store.id} canWrite=${canWrite} onChanged=${setProduct} />
        ${product.deleted ? null : html`<${ImagesCard} product=${product} storeId=${store.id} canWrite=${canWrite} onChanged=${setProduct} />`}
      </div>
    </div>`;
}

export { ProductEditorView };
