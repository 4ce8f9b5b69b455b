"""islandroute."""
