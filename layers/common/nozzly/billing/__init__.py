"""SaaS plans and billing: what Nozzly charges its merchants, the account's billing state, plan limits."""
