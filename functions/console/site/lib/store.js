// The store the operator is working in, with what their role allows (GET /admin/stores/{store}).
import { createContext, useContext } from "../vendor/preact-htm.js";

export const StoreContext = createContext(null);

// { store: {id, name, currency, role, permissions, ...}, can(permission), base: "/s/{id}", reload() }
export function useStore() {
  return useContext(StoreContext);
}

export function storeApi(storeId) {
  return `/admin/stores/${encodeURIComponent(storeId)}`;
}
