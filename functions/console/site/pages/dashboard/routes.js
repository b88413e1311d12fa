// This area's views; see pages/registry.js for the route fields.
import { Dashboard } from "./dashboard.js";

// No permission: every member reads the dashboard (orders.read); revenue parts are null without reports.read.
export const routes = [{ path: "/s/:store", view: Dashboard, title: "Dashboard", nav: "Dashboard" }];
