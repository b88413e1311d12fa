// The console's frame: the sidebar with the store switcher and what the role may open, the top bar, main.
import { html, useState } from "../vendor/preact-htm.js";
import { api } from "../lib/api.js";
import { href, navigate } from "../lib/router.js";
import { session } from "../lib/session.js";
import { StoreContext, storeApi } from "../lib/store.js";
import { Button, Empty, ErrorNotice, Loading, PageHeader, useAsync } from "../lib/ui.js";
import { LiveStatus } from "./live-status.js";
import { Bell } from "./notifications/bell.js";
import { storeRoutes } from "./registry.js";

function focusMain() {
  document.getElementById("main")?.focus();
}

function UserMenu() {
  const me = useAsync(() => api("GET", "/me"), []);
  const [busy, setBusy] = useState(false);
  return html`<div class="user-menu">
    ${me.data ? html`<span class="user-email" title="Signed in">${me.data.email}</span>` : null}
    <${Button} kind="ghost" busy=${busy} onClick=${async () => {
      setBusy(true);
      await session.logout();
    }}>Log out<//>
  </div>`;
}

export function AccountLayout({ children }) {
  return html`<div class="frame frame-account">
    <button class="skip-link" onClick=${focusMain}>Skip to content</button>
    <header class="topbar">
      <a class="brand" href="#/">Nozzly</a>
      <${UserMenu} />
    </header>
    <main id="main" tabindex="-1" class="content narrow">${children}</main>
  </div>`;
}

function StoreSwitcher({ current }) {
  const mine = useAsync(() => api("GET", "/admin/stores"), []);
  const items = mine.data ? mine.data.items : [{ id: current.id, name: current.name }];
  return html`<div class="switcher">
    <label for="store-switcher">Store</label>
    <select id="store-switcher" value=${current.id} onChange=${(e) => {
      const value = e.currentTarget.value;
      if (value === "__all") navigate("/");
      else navigate(`/s/${encodeURIComponent(value)}`);
    }}>
      ${items.map((s) => html`<option value=${s.id} selected=${s.id === current.id}>${s.name}</option>`)}
      <option value="__all">All stores…</option>
    </select>
  </div>`;
}

function Sidebar({ store, can, route, open }) {
  const base = `/s/${encodeURIComponent(store.id)}`;
  const entries = storeRoutes.filter((r) => r.nav && (!r.permission || can(r.permission)));
  const active = route.section || route.path;
  return html`<nav class=${`sidebar${open ? " open" : ""}`} aria-label="Console">
    <a class="brand" href=${href(base)}>Nozzly</a>
    <${StoreSwitcher} current=${store} />
    <ul class="nav">
      ${entries.map((r) => {
        const path = r.path.replace(":store", encodeURIComponent(store.id));
        const current = (r.section || r.path) === active;
        return html`<li><a href=${href(path)} aria-current=${current ? "page" : undefined}>${r.nav}</a></li>`;
      })}
    </ul>
    <div class="sidebar-foot">
      ${store.role === "owner" ? html`<a href="#/billing">Plan and billing</a>` : null}
      <a href=${`/shop/${encodeURIComponent(store.id)}/`} target="_blank" rel="noopener">View shop ↗</a>
    </div>
  </nav>`;
}

// children: (storeContext) => view. The store is read once per store switch; views read it with useStore().
export function StoreLayout({ storeId, route, children }) {
  const loaded = useAsync(() => api("GET", storeApi(storeId)), [storeId]);
  const [menuOpen, setMenuOpen] = useState(false);
  if (loaded.loading && !loaded.data) return html`<main id="main" class="center"><${Loading} /></main>`;
  if (loaded.error) {
    return html`<${AccountLayout}>
      <${PageHeader} title="This store cannot be opened" />
      <${ErrorNotice} error=${loaded.error} />
      <p><a href="#/">Back to your stores</a></p>
    <//>`;
  }
  const store = loaded.data;
  const permissions = new Set(store.permissions || []);
  const context = {
    store,
    can: (permission) => permissions.has(permission),
    base: `/s/${encodeURIComponent(store.id)}`,
    reload: loaded.reload,
  };
  document.title = `${route.title} · ${store.name} · Nozzly`;
  return html`<${StoreContext.Provider} value=${context}>
    <div class="frame">
      <button class="skip-link" onClick=${focusMain}>Skip to content</button>
      <${Sidebar} store=${store} can=${context.can} route=${route} open=${menuOpen} />
      <div class="column">
        <header class="topbar">
          <button class="menu-toggle button button-ghost" aria-expanded=${menuOpen ? "true" : "false"} onClick=${() => setMenuOpen(!menuOpen)}>Menu</button>
          <span class="topbar-store">${store.name} <span class="role">${store.role}</span></span>
          <${LiveStatus} storeId=${store.id} />
          <${Bell} storeId=${store.id} />
          <${UserMenu} />
        </header>
        <main id="main" tabindex="-1" class="content" onClick=${() => menuOpen && setMenuOpen(false)}>${children(context)}</main>
      </div>
    </div>
  <//>`;
}

export function NotAllowed() {
  return html`<${PageHeader} title="Not available to your role" />
    <${Empty} title="Your role in this store does not include this page.">
      <p>Ask the store's owner or an admin if you need it.</p>
    <//>`;
}

export function NotFound() {
  return html`<${PageHeader} title="Page not found" />
    <${Empty} title="There is nothing at this address."><p><a href="#/">Go to your stores</a></p><//>`;
}
