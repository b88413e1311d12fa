"""A store's blog: posts written by operators (or drafted weekly by the AI), read by shoppers and crawlers."""
