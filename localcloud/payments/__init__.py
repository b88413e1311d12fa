"""Local peers of the payment providers: localstripe (extended) and a Square sandbox, on loopback ports.

Development only, never deployed. The real `stripe` and `squareup` SDKs talk to them, and they post webhooks
signed exactly as the providers sign them to the local gateway's /webhooks/stripe and /webhooks/square.
"""
