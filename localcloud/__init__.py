"""The local cloud: the template's resources in an embedded AWS emulator, its routes on loopback.

Development tooling only - never shipped to Lambda (it is outside the layer and function folders).
"""
