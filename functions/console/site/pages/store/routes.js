// This area's views; see pages/registry.js for the route fields.
import { CouponEdit, CouponNew, Coupons } from "./coupons.js";
import { Reviews } from "./reviews.js";
import { Settings } from "./settings.js";
import { Staff } from "./staff.js";

const COUPONS = "/s/:store/coupons";

export const routes = [
  { path: COUPONS, view: Coupons, title: "Coupons", permission: "promotions.manage", nav: "Coupons" },
  { path: `${COUPONS}/new`, view: CouponNew, title: "New coupon", permission: "promotions.manage", section: COUPONS },
  { path: `${COUPONS}/:code`, view: CouponEdit, title: "Coupon", permission: "promotions.manage", section: COUPONS },
  // The queue needs catalog.read and each decision catalog.write (functions/reviews/app.py, services/reviews.py).
  { path: "/s/:store/reviews", view: Reviews, title: "Reviews", permission: "catalog.read", nav: "Reviews" },
  { path: "/s/:store/staff", view: Staff, title: "Staff", permission: "staff.manage", nav: "Staff" },
  { path: "/s/:store/settings", view: Settings, title: "Settings", permission: "settings.manage", nav: "Settings" },
];
