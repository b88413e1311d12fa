// What the products area asks of the API, in one place: paths, lookups shared by its views, small readers.
import { api } from "../../lib/api.js";
import { storeApi } from "../../lib/store.js";

export function productsApi(storeId) {
  return `${storeApi(storeId)}/products`;
}

export function productApi(storeId, slug) {
  return `${productsApi(storeId)}/${encodeURIComponent(slug)}`;
}

export function variantApi(storeId, slug, variant) {
  return `${productApi(storeId, slug)}/variants/${encodeURIComponent(variant)}`;
}

// Categories as a tree in reading order: [{category, depth}], parents before their children, by position.
export function categoryTree(categories) {
  const children = new Map();
  for (const c of categories) {
    const key = c.parent || "";
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(c);
  }
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  const known = new Set(categories.map((c) => c.slug));
  const out = [];
  const walk = (parent, depth) => {
    for (const c of children.get(parent) || []) {
      out.push({ category: c, depth });
      walk(c.slug, depth + 1);
    }
  };
  walk("", 0);
  // A category whose parent is deleted (and so not listed) still shows, at the top level.
  for (const c of categories) if (c.parent && !known.has(c.parent)) {
    out.push({ category: c, depth: 0 });
    walk(c.slug, 1);
  }
  return out;
}

export function categoryOptions(categories, { blank } = {}) {
  const options = categoryTree(categories).map(({ category, depth }) => ({
    value: category.slug,
    label: `${"\u2014 ".repeat(depth)}${category.name}`,
  }));
  return blank ? [{ value: "", label: blank }, ...options] : options;
}

export async function loadTaxonomy(storeId) {
  const [categories, brands] = await Promise.all([
    api("GET", `${storeApi(storeId)}/categories`),
    api("GET", `${storeApi(storeId)}/brands`),
  ]);
  return { categories: categories.items, brands: brands.items };
}

// The id the image routes use. Images the catalog import adopted have no id in the product answer; the API
// derives a stable one from the key ("i" + the first 16 hex digits of its SHA-256), done here the same way.
export async function imageRef(image) {
  if (image.id) return image.id;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(image.key));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return `i${hex.slice(0, 16)}`;
}

// The narrowest copy that still fills a list thumbnail; the original until the renditions exist.
export function thumbnailUrl(image) {
  const fit = (image.renditions || []).find((r) => r.width >= 88);
  return fit ? fit.url : image.url;
}

// "Size: M, Colour: Red" <-> {size: "M", colour: "Red"}; null when a part has no name or no value.
export function parseOptions(text) {
  const options = {};
  for (const part of String(text).split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf(":");
    if (at < 1) return null;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (!name || !value) return null;
    options[name] = value;
  }
  return options;
}

export function optionsText(options) {
  return Object.entries(options || {}).map(([k, v]) => `${k}: ${v}`).join(", ");
}

// The lowest and highest price a shopper can pay, variants' own prices included.
export function priceRange(product) {
  const amounts = product.variants.map((v) => (v.price ? v.price.amount : product.price.amount));
  if (!amounts.length) amounts.push(product.price.amount);
  return { low: Math.min(...amounts), high: Math.max(...amounts), currency: product.price.currency };
}
