"""Live fan-out of domain events to connected operators, shoppers and guests (API Gateway WebSocket)."""
