"""The organisation's clock: today's date in its time zone (``settings.TIME_ZONE``, America/New_York).

At 23:30 in Boston the UTC date is already tomorrow; ``dt.date.today()`` follows the machine's zone and
UTC's date follows neither, so the shell asks here. The rules core never reads a clock: dates go to it
as arguments.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in the organisation's time zone."""
    return timezone.localdate()
