// Hash routes (#/s/{store}/orders?status=paid): static files need no server rewrites for deep links.
import { useEffect, useState } from "../vendor/preact-htm.js";

export function currentLocation() {
  const raw = decodeURI(window.location.hash.replace(/^#/, "")) || "/";
  const [path, search = ""] = raw.split("?");
  return { path: path || "/", query: Object.fromEntries(new URLSearchParams(search)), raw };
}

export function navigate(path, { replace = false } = {}) {
  const target = `#${path}`;
  if (replace) window.location.replace(target);
  else window.location.hash = path;
}

// A link's href for a route path and optional query.
export function href(path, query) {
  const kept = Object.entries(query || {}).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return `#${path}${kept.length ? `?${new URLSearchParams(kept)}` : ""}`;
}

// Replace the current query (filters, pages) without adding history entries for every keystroke.
export function setQuery(query, { replace = true } = {}) {
  const { path } = currentLocation();
  navigate(href(path, query).slice(1), { replace });
}

export function useLocation() {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return location;
}

// routes: [{ path: "/s/:store/orders/:order", view, ... }] -> { route, params } or null.
export function match(routes, path) {
  const parts = path.split("/").filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params = {};
    const fits = pattern.every((piece, i) => {
      if (piece.startsWith(":")) {
        params[piece.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return piece === parts[i];
    });
    if (fits) return { route, params };
  }
  return null;
}
