// The products list: search, filters and paging kept in the URL; select rows to publish or unpublish at once.
import { html, useEffect, useRef, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { money, number } from "../../lib/format.js";
import { href, setQuery } from "../../lib/router.js";
import { useStore } from "../../lib/store.js";
import { Badge, Button, Empty, ErrorNotice, Field, Loading, PageHeader, Pager, toast, useAsync } from "../../lib/ui.js";
import { categoryOptions, loadTaxonomy, priceRange, productsApi, thumbnailUrl } from "./catalog.js";

const STATUSES = [
  { value: "", label: "Any status" },
  { value: "draft", label: "Draft" },
  { value: "published", label: "Published" },
  { value: "archived", label: "Archived" },
];

function Thumbnail({ image, title }) {
  if (!image) return html`<span class="product-thumb product-thumb-empty" aria-hidden="true">${title.charAt(0)}</span>`;
  return html`<img class="product-thumb" src=${thumbnailUrl(image)} alt="" loading="lazy" width="44" height="44" />`;
}

function PriceRange({ product }) {
  const { low, high, currency } = priceRange(product);
  return low === high ? money(low, currency) : `${money(low, currency)} – ${money(high, currency)}`;
}

function Stock({ product }) {
  const available = product.variants.reduce((sum, v) => sum + v.available, 0);
  const low = product.variants.some((v) => v.stock_status !== "in_stock");
  return html`<span class=${low ? "stock-low" : ""}>${number(available)}</span>
    <span class="product-skus">in ${product.variants.length} ${product.variants.length === 1 ? "variant" : "variants"}</span>`;
}

function SearchBox({ query }) {
  const [text, setText] = useState(query.q || "");
  // Follows the address (back button, "Clear filters") only when its q changes, never over fresh typing.
  const shown = useRef(query.q || "");
  useEffect(() => {
    const q = query.q || "";
    if (q !== shown.current) {
      shown.current = q;
      setText(q);
    }
  }, [query.q]);
  const search = (event) => {
    event.preventDefault();
    setQuery({ ...query, q: text.trim(), cursor: "" });
  };
  return html`<form class="product-search" role="search" onSubmit=${search}>
    <${Field} label="Search" type="search" maxlength="100" hint="Title words or a SKU" value=${text} onInput=${(e) => setText(e.currentTarget.value)} />
    <${Button} type="submit" kind="secondary">Search<//>
  </form>`;
}

function BulkBar({ selected, storeId, onDone }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const change = async (status) => {
    setBusy(status);
    setError(null);
    try {
      const answer = await api("POST", `${productsApi(storeId)}/bulk-status`, { body: { products: [...selected], status } });
      toast(`${answer.items.length} ${answer.items.length === 1 ? "product" : "products"} ${status === "published" ? "published" : "moved to draft"}`);
      onDone();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(null);
    }
  };
  return html`<div class="bulk-bar" role="region" aria-label="Selected products">
    <span><strong>${selected.size}</strong> selected</span>
    <${Button} kind="primary" small busy=${busy === "published"} disabled=${!!busy} onClick=${() => change("published")}>Publish selected<//>
    <${Button} kind="secondary" busy=${busy === "draft"} disabled=${!!busy} onClick=${() => change("draft")}>Unpublish selected<//>
    <${ErrorNotice} error=${error} />
  </div>`;
}

function ProductRows({ items, base, selected, toggle, canWrite }) {
  return items.map(
    (p) => html`<tr key=${p.slug} class=${selected.has(p.slug) ? "selected" : ""}>
      ${canWrite
        ? html`<td class="select-cell">
            <input type="checkbox" checked=${selected.has(p.slug)} onChange=${() => toggle(p.slug)} aria-label=${`Select ${p.title}`} />
          </td>`
        : null}
      <td class="thumb-cell"><${Thumbnail} image=${p.images[0]} title=${p.title} /></td>
      <td>
        <a class="product-title" href=${href(`${base}/products/${encodeURIComponent(p.slug)}`)}>${p.title}</a>
        <span class="product-skus">${p.variants.map((v) => v.sku).join(" · ")}</span>
      </td>
      <td>${p.deleted ? html`<${Badge} value="deleted" />` : html`<${Badge} value=${p.status} />`}</td>
      <td class="num"><${PriceRange} product=${p} /></td>
      <td class="num"><${Stock} product=${p} /></td>
    </tr>`,
  );
}

function ProductsView({ query }) {
  const { store, can, base } = useStore();
  const canWrite = can("catalog.write");
  const filters = { q: query.q || "", status: query.status || "", category: query.category || "", deleted: query.deleted || "" };
  const list = useAsync(
    () => api("GET", productsApi(store.id), { query: { ...filters, deleted: filters.deleted ? "true" : "", cursor: query.cursor, limit: 25 } }),
    [store.id, filters.q, filters.status, filters.category, filters.deleted, query.cursor],
  );
  const taxonomy = useAsync(() => loadTaxonomy(store.id), [store.id]);
  const [selected, setSelected] = useState(new Set());
  useEffect(() => setSelected(new Set()), [list.data]);
  const toggle = (slug) => {
    const next = new Set(selected);
    if (next.has(slug)) next.delete(slug);
    else next.add(slug);
    setSelected(next);
  };
  const items = list.data ? list.data.items : [];
  const allSelected = items.length > 0 && items.every((p) => selected.has(p.slug));
  const filtered = Object.values(filters).some(Boolean);
  const categories = taxonomy.data ? categoryOptions(taxonomy.data.categories, { blank: "All categories" }) : [{ value: "", label: "All categories" }];

  return html`<${PageHeader} title="Products" subtitle="Everything your shop sells, with its variants and stock.">
      ${canWrite ? html`<a class="button button-primary" href=${href(`${base}/products/new`)}>New product</a>` : null}
    <//>
    <div class="filters product-filters">
      <${SearchBox} query=${query} />
      <${Field} label="Status" as="select" options=${STATUSES} value=${filters.status}
        onChange=${(e) => setQuery({ ...query, status: e.currentTarget.value, cursor: "" })} />
      <${Field} label="Category" as="select" options=${categories} value=${filters.category}
        onChange=${(e) => setQuery({ ...query, category: e.currentTarget.value, cursor: "" })} />
      <${Field} label="Show deleted only" type="checkbox" value=${!!filters.deleted}
        onChange=${(e) => setQuery({ ...query, deleted: e.currentTarget.checked ? "1" : "", cursor: "" })} />
      ${filtered ? html`<a class="button button-ghost" href=${href(`${base}/products`)}>Clear filters</a>` : null}
    </div>
    ${canWrite && selected.size ? html`<${BulkBar} selected=${selected} storeId=${store.id} onDone=${list.reload} />` : null}
    <${ErrorNotice} error=${list.error} />
    ${list.loading && !list.data ? html`<${Loading} text="Loading products…" />` : null}
    ${list.data && !items.length
      ? html`<${Empty} title=${filtered ? "No product matches these filters." : "No products yet."}>
          ${canWrite && !filtered ? html`<p><a href=${href(`${base}/products/new`)}>Add your first product</a></p>` : null}
        <//>`
      : null}
    ${items.length
      ? html`<div class="table-wrap" aria-busy=${list.loading ? "true" : "false"}>
          <table class="product-table">
            <caption class="visually-hidden">Products</caption>
            <thead><tr>
              ${canWrite
                ? html`<th scope="col" class="select-cell"><input type="checkbox" checked=${allSelected} aria-label="Select all products on this page"
                    onChange=${() => setSelected(allSelected ? new Set() : new Set(items.map((p) => p.slug)))} /></th>`
                : null}
              <th scope="col" class="thumb-cell"><span class="visually-hidden">Image</span></th>
              <th scope="col">Product</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Price</th>
              <th scope="col" class="num">Available</th>
            </tr></thead>
            <tbody>
              <${ProductRows} items=${items} base=${base} selected=${selected} toggle=${toggle} canWrite=${canWrite} />
            </tbody>
          </table>
        </div>
        <${Pager} next=${list.data.next_cursor} atFirst=${!query.cursor}
          onNext=${() => setQuery({ ...query, cursor: list.data.next_cursor }, { replace: false })}
          onFirst=${() => setQuery({ ...query, cursor: "" }, { replace: false })} />`
      : null}`;
}

export { ProductsView };
