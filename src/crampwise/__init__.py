"""crampwise: stop, understand and prevent muscle cramps.

Nothing here does work at import time: `crampwise now` must start in a blink.
"""

__version__ = "0.1.0"
