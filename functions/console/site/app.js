// The operator console: a static app on nothing but the documented public API.
import { html, render, useEffect, useRef, useState } from "./vendor/preact-htm.js";
import { api } from "./lib/api.js";
import { currentLocation, match, navigate, useLocation } from "./lib/router.js";
import { session } from "./lib/session.js";
import { Loading, Toasts } from "./lib/ui.js";
import { accountRoutes, publicRoutes, storeRoutes } from "./pages/registry.js";
import { AccountLayout, NotAllowed, NotFound, StoreLayout } from "./pages/layout.js";

// After any navigation, move focus to the new page's heading so keyboard and screen reader users follow.
function useFocusOnNavigate(key) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => document.getElementById("page-title")?.focus(), 50);
    return () => clearTimeout(timer);
  }, [key]);
}

function loginPath(reason) {
  const { raw, path } = currentLocation();
  if (path === "/login") return raw; // already on the way there, with the page to come back to
  return `/login?${new URLSearchParams({ next: raw, ...(reason ? { reason } : {}) })}`;
}

function App() {
  const location = useLocation();
  const [phase, setPhase] = useState("starting");
  useFocusOnNavigate(location.raw);

  useEffect(() => {
    // A reload keeps the operator signed in: the refresh cookie gets a new access token.
    session.refresh().then((ok) => setPhase(ok ? "in" : "out"));
    return session.subscribe((reason) => {
      setPhase(session.signedIn ? "in" : "out");
      if (reason === "expired") navigate(loginPath("expired"));
      if (reason === "logout") navigate("/login");
    });
  }, []);

  if (phase === "starting") return html`<main id="main" class="center"><${Loading} text="Opening the console…" /></main>`;

  const open = match(publicRoutes, location.path);
  if (open) {
    const View = open.route.view;
    document.title = `${open.route.title} · Nozzly`;
    return html`<${View} params=${open.params} query=${location.query} signedIn=${phase === "in"} />`;
  }
  if (phase !== "in") {
    navigate(loginPath(), { replace: true });
    return null;
  }
  const account = match(accountRoutes, location.path);
  if (account) {
    const View = account.route.view;
    document.title = `${account.route.title} · Nozzly`;
    return html`<${AccountLayout}><${View} params=${account.params} query=${location.query} /><//>`;
  }
  const inStore = match(storeRoutes, location.path);
  if (inStore) {
    return html`<${StoreLayout} storeId=${inStore.params.store} route=${inStore.route}>
      ${(store) =>
        inStore.route.permission && !store.can(inStore.route.permission)
          ? html`<${NotAllowed} />`
          : html`<${inStore.route.view} params=${inStore.params} query=${location.query} />`}
    <//>`;
  }
  return html`<${AccountLayout}><${NotFound} /><//>`;
}

function Root() {
  return html`<${App} /><${Toasts} />`;
}

render(html`<${Root} />`, document.getElementById("app"));

