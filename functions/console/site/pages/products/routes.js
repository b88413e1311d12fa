// Products, categories and brands; see pages/registry.js for the route fields.
import { BrandsView } from "./brands.js";
import { CategoriesView } from "./categories.js";
import { ProductEditorView } from "./product-editor.js";
import { ProductsView } from "./product-list.js";
import { NewProductView } from "./product-new.js";

const PRODUCTS = "/s/:store/products";

export const routes = [
  { path: PRODUCTS, view: ProductsView, title: "Products", permission: "catalog.read", nav: "Products" },
  { path: `${PRODUCTS}/new`, view: NewProductView, title: "New product", permission: "catalog.write", section: PRODUCTS },
  { path: `${PRODUCTS}/:product`, view: ProductEditorView, title: "Product", permission: "catalog.read", section: PRODUCTS },
  { path: "/s/:store/categories", view: CategoriesView, title: "Categories", permission: "catalog.read", nav: "Categories" },
  { path: "/s/:store/brands", view: BrandsView, title: "Brands", permission: "catalog.read", nav: "Brands" },
];
