"""Traffic: per-IP limits on the public (unauthenticated) routes, counted in DynamoDB windows."""
