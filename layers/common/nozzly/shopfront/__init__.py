"""The storefront on the web: shop pages a shopper opens in a browser, rendered on the server.

`web` holds the pages (FastAPI routers, Jinja2 templates, static assets), each route calling the same services
the JSON API calls, handed in by the page functions from the composition root (`web.shop.Shop`); `domain` holds
what pages decide without any framework (SEO tags, the theme's colours, CSRF tokens, where links go).
"""
