"""What this capability's emails show, rendered from messaging's templates."""

__all__ = [
    "carts",
]
