// This area's views; see pages/registry.js for the route fields.
export const routes = [];
