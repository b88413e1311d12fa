// This area's views; see pages/registry.js for the route fields.
import { OrderDetail } from "./order-detail.js";
import { OrderList } from "./order-list.js";
import { NewOrder } from "./new-order.js";

const section = "/s/:store/orders";

export const routes = [
  { path: "/s/:store/orders", view: OrderList, title: "Orders", permission: "orders.read", nav: "Orders" },
  // Before the detail: routes match in order and "new" would otherwise be read as an order id.
  { path: "/s/:store/orders/new", view: NewOrder, title: "New order", permission: "orders.manage", section },
  { path: "/s/:store/orders/:order", view: OrderDetail, title: "Order", permission: "orders.read", section },
];
