"""Product research: daily candidates from supplier feeds and trends, scored, analysed by AI, saved per store."""
