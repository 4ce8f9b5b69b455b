"""Built-in networks: the Zhoushan archipelago, shipped as an exchange document."""

from islandroute.datasets.zhoushan import zhoushan

__all__ = ["zhoushan"]
