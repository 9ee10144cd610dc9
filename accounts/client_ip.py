"""The client's address lives in ``newsroom.client_ip``, beside the throttles that use it."""

from newsroom.client_ip import client_ip

__all__ = ["client_ip"]
