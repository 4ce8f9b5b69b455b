"""``python -m islandroute``: the same command as ``islandroute``."""

import sys

from islandroute.cli import main

sys.exit(main())
