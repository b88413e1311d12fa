// Every view of the console, by area. Each area's routes file owns its paths; this file only lists them.
// Route fields: path ("/s/:store/..."), view (component), title, permission (hidden and refused without it),
// nav (label in the sidebar, optional), icon (optional).
import { routes as auth } from "./auth.js";
import { routes as stores } from "./stores.js";
import { routes as dashboard } from "./dashboard/routes.js";
import { routes as orders } from "./orders/routes.js";
import { routes as products } from "./products/routes.js";
import { routes as imports } from "./imports/routes.js";
import { routes as store } from "./store/routes.js";
import { routes as notifications } from "./notifications/routes.js";
import { routes as billing } from "./billing/billing.js";

export const publicRoutes = auth;
export const accountRoutes = [...stores, ...billing];
// Inside a store, in sidebar order.
export const storeRoutes = [...dashboard, ...orders, ...products, ...imports, ...store, ...notifications];
