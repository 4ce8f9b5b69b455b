"""Travel on the network: road matrices, zones, timetabled ferries, reachability checks."""

from islandroute.network.reach import Reach, check_network
from islandroute.network.travel import Hop, Journey, Travel

__all__ = ["Hop", "Journey", "Reach", "Travel", "check_network"]
