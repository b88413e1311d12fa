"""The SEO overview: what hurts a store's pages in search results, computed nightly into one report per store."""
