"""Payment providers behind one interface (gateway.PaymentGateway). Each provider's SDK is imported on first use.

Import the provider module you need (stripe_gateway, square_gateway); this package imports neither.
"""
