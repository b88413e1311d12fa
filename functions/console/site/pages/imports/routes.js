// Product import (issue 18's API); see pages/registry.js for the route fields.
import { ImportView, ImportsView } from "./imports.js";

const IMPORTS = "/s/:store/imports";

export const routes = [
  { path: IMPORTS, view: ImportsView, title: "Import a product", permission: "catalog.write", nav: "Import" },
  { path: `${IMPORTS}/:import`, view: ImportView, title: "Product import", permission: "catalog.read", section: IMPORTS },
];
