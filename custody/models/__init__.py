"""Custody models, one module per sub-app so that each stays readable:

- ``review``: the morning custody list import, screening, review decisions and CustodyEvent;
- ``clock``: the 48-hour post-custody checklist, its templates, outbox and compliance;
- ``return_interview``: the return home interview clock after a missing episode (the same sweep).
"""

from .clock import *  # noqa: F403
from .deadlines import *  # noqa: F403
from .return_interview import *  # noqa: F403
from .review import *  # noqa: F403
from .screening import *  # noqa: F403
