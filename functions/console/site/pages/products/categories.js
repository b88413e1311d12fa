// The category tree: create, rename, move (drag onto a new parent, or "Move to…"), delete and restore.
import { html, useRef, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { href, setQuery } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Button, Card, Confirm, Empty, ErrorNotice, Field, Loading, PageHeader, toast, useAsync, useForm } from "../../lib/ui.js";
import { categoryOptions, categoryTree } from "./catalog.js";
import { OwnerImage } from "./owner-image.js";

// A category and everything under it: none of them can become its parent.
function subtree(categories, slug) {
  const found = new Set([slug]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of categories) if (c.parent && found.has(c.parent) && !found.has(c.slug)) {
      found.add(c.slug);
      grew = true;
    }
  }
  return found;
}

function NewCategory({ storeId, categories, onCreated }) {
  const form = useForm({ name: "", parent: "", description: "" });
  const created = form.submit(async (values) => {
    const body = { name: values.name.trim(), description: values.description, parent: values.parent || null };
    const category = await api("POST", `${storeApi(storeId)}/categories`, { body });
    form.setValues({ name: "", parent: values.parent, description: "" });
    toast(`${category.name} created`);
    onCreated();
  });
  return html`<${Card} title="New category">
    <form onSubmit=${created} novalidate>
      <${ErrorNotice} error=${form.error} />
      <${Field} label="Name" required maxlength="120" ...${form.bind("name")} />
      <${Field} label="Parent" as="select" options=${categoryOptions(categories, { blank: "None (top level)" })} ...${form.bind("parent")} />
      <${Field} label="Description" as="textarea" rows="3" maxlength="2000" ...${form.bind("description")} />
      <${Button} type="submit" busy=${form.busy}>Create category<//>
    </form>
  <//>`;
}

// One category's banner at a time: picked from a list, so the tree stays one line per category.
function Banners({ storeId, categories, onChanged }) {
  const [chosen, setChosen] = useState("");
  const slug = chosen || (categories[0] && categories[0].slug) || "";
  const category = categories.find((c) => c.slug === slug);
  if (!category) return null;
  return html`<${Card} title="Banners">
    <${Field} label="Banner of" as="select" options=${categoryOptions(categories)} value=${slug}
      onChange=${(e) => setChosen(e.currentTarget.value)} hint="Shown at the top of the category's page in the shop." />
    <${OwnerImage} key=${slug} what="banner" path=${`${storeApi(storeId)}/categories/${encodeURIComponent(slug)}/image`}
      name=${category.name} image=${category.image} alt=${category.name} canWrite=${true} onChanged=${onChanged} />
  <//>`;
}

function CategoryItem({ category, depth, categories, canWrite, deleted, onPatch, onDelete, onRestore, drag }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(category.name);
  const [target, setTarget] = useState(category.parent || "");
  const [over, setOver] = useState(false);
  const blocked = subtree(categories, category.slug);
  const moveOptions = [{ value: "", label: "Top level" }, ...categoryOptions(categories).filter((o) => !blocked.has(o.value))];
  const rename = async (event) => {
    event.preventDefault();
    if (await onPatch(category, { name: name.trim() }, `Renamed to ${name.trim()}`)) setRenaming(false);
  };
  return html`<li class=${`tree-item depth-${Math.min(depth, 4)}${over ? " over" : ""}${deleted ? " deleted" : ""}`}
      draggable=${canWrite && !deleted ? "true" : "false"}
      onDragStart=${(e) => {
        drag.current = category.slug;
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", category.slug);
      }}
      onDragEnd=${() => (drag.current = null)}
      onDragOver=${(e) => {
        // Never onto itself or one of its own subcategories.
        if (!canWrite || deleted || drag.current === null || subtree(categories, drag.current).has(category.slug)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave=${() => setOver(false)}
      onDrop=${(e) => {
        e.preventDefault();
        setOver(false);
        const moving = categories.find((c) => c.slug === drag.current);
        drag.current = null;
        if (moving && moving.parent !== category.slug) onPatch(moving, { parent: category.slug }, `${moving.name} moved under ${category.name}`);
      }}>
    ${renaming
      ? html`<form class="inline-edit" onSubmit=${rename}>
          <label class="visually-hidden" for=${`rename-${category.slug}`}>New name of ${category.name}</label>
          <input id=${`rename-${category.slug}`} value=${name} maxlength="120" onInput=${(e) => setName(e.currentTarget.value)} />
          <${Button} type="submit">Save<//>
          <${Button} kind="ghost" onClick=${() => setRenaming(false)}>Cancel<//>
        </form>`
      : html`<span class="tree-name">
          ${canWrite && !deleted ? html`<span class="tree-handle" aria-hidden="true" title="Drag onto another category">⠿</span>` : null}
          <span><strong>${category.name}</strong><span class="product-skus">${category.product_count} published ${category.product_count === 1 ? "product" : "products"}</span></span>
        </span>`}
    ${canWrite && !deleted && !renaming
      ? html`<span class="tree-actions">
          <${Button} kind="ghost" onClick=${() => setRenaming(true)} aria-label=${`Rename ${category.name}`}>Rename<//>
          <label class="visually-hidden" for=${`move-${category.slug}`}>Move ${category.name} to</label>
          <select id=${`move-${category.slug}`} value=${target} onChange=${(e) => setTarget(e.currentTarget.value)}>
            ${moveOptions.map((o) => html`<option value=${o.value} selected=${o.value === target}>${o.value ? o.label : "Top level"}</option>`)}
          </select>
          <${Button} kind="secondary" disabled=${target === (category.parent || "")} aria-label=${`Move ${category.name}`}
            onClick=${() => onPatch(category, { parent: target || null }, `${category.name} moved`)}>Move<//>
          <${Button} kind="ghost" aria-label=${`Delete ${category.name}`} onClick=${() => onDelete(category)}>Delete<//>
        </span>`
      : null}
    ${canWrite && deleted ? html`<${Button} kind="secondary" aria-label=${`Restore ${category.name}`} onClick=${() => onRestore(category)}>Restore<//>` : null}
  </li>`;
}

function CategoriesView({ query }) {
  const { store, can } = useStore();
  const canWrite = can("catalog.write");
  const deleted = query.deleted === "1";
  const base = `${storeApi(store.id)}/categories`;
  const live = useAsync(() => api("GET", base), [store.id]);
  const gone = useAsync(() => (deleted ? api("GET", base, { query: { deleted: "true" } }) : null), [store.id, deleted]);
  const [error, setError] = useState(null);
  const [removing, setRemoving] = useState(null);
  const [busy, setBusy] = useState(false);
  const [rootOver, setRootOver] = useState(false);
  const drag = useRef(null);
  const categories = live.data ? live.data.items : [];

  const patch = async (category, changes, done) => {
    setError(null);
    try {
      await api("PATCH", `${base}/${encodeURIComponent(category.slug)}`, { body: { ...changes, version: category.version } });
      toast(done);
      live.reload();
      return true;
    } catch (problem) {
      setError(problem);
      return false;
    }
  };
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api("DELETE", `${base}/${encodeURIComponent(removing.slug)}`);
      toast(`${removing.name} deleted`);
      live.reload();
      gone.reload();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  };
  const restore = async (category) => {
    setError(null);
    try {
      await api("POST", `${base}/${encodeURIComponent(category.slug)}/restore`);
      toast(`${category.name} restored`);
      live.reload();
      gone.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  const shown = deleted ? (gone.data ? gone.data.items : []) : categories;
  const list = deleted ? shown.map((c) => ({ category: c, depth: 0 })) : categoryTree(categories);

  return html`<${PageHeader} title="Categories" subtitle="How shoppers browse your shop. Drag a category onto another to nest it." />
    <div class="split taxonomy">
      <div>
        <div class="filters">
          <${Field} label="Show deleted only" type="checkbox" value=${deleted} onChange=${(e) => setQuery({ deleted: e.currentTarget.checked ? "1" : "" })} />
        </div>
        <${ErrorNotice} error=${error || live.error || gone.error} />
        ${live.loading && !live.data ? html`<${Loading} />` : null}
        ${live.data && !list.length ? html`<${Empty} title=${deleted ? "No deleted categories." : "No categories yet."} />` : null}
        ${list.length
          ? html`<div class="card"><ul class="tree" aria-label=${deleted ? "Deleted categories" : "Category tree"}>
              ${list.map(({ category, depth }) => html`<${CategoryItem} key=${category.slug} category=${category} depth=${depth}
                categories=${categories} canWrite=${canWrite} deleted=${deleted} onPatch=${patch} onDelete=${setRemoving}
                onRestore=${restore} drag=${drag} />`)}
            </ul>
            ${canWrite && !deleted
              ? html`<div class=${`tree-root${rootOver ? " over" : ""}`}
                  onDragOver=${(e) => {
                    if (drag.current === null) return;
                    e.preventDefault();
                    setRootOver(true);
                  }}
                  onDragLeave=${() => setRootOver(false)}
                  onDrop=${(e) => {
                    e.preventDefault();
                    setRootOver(false);
                    const moving = categories.find((c) => c.slug === drag.current);
                    drag.current = null;
                    if (moving && moving.parent) patch(moving, { parent: null }, `${moving.name} moved to the top level`);
                  }}>Drop here to make a category top level</div>`
              : null}
            </div>`
          : null}
        <p class="hint"><a href=${href(`/s/${encodeURIComponent(store.id)}/products`)}>Products</a> are filed under one category each.</p>
      </div>
      ${canWrite && !deleted
        ? html`<div class="stack">
            <${NewCategory} storeId=${store.id} categories=${categories} onCreated=${live.reload} />
            <${Banners} storeId=${store.id} categories=${categories} onChanged=${live.reload} />
          </div>`
        : html`<div></div>`}
    </div>
    <${Confirm} open=${!!removing} title=${removing ? `Delete ${removing.name}?` : "Delete category?"} confirmLabel="Delete category" busy=${busy}
      onConfirm=${remove} onCancel=${() => setRemoving(null)}>
      <p>It leaves the shop's navigation. You can restore it from “Show deleted only”.</p>
    <//>`;
}

export { CategoriesView };
