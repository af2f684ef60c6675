"""Custody models, one module per area so that each stays readable:

- ``events``: the morning custody list import, screening, review decisions and CustodyEvent;
- ``checklists``: the 48-hour post-custody checklist, its templates, outbox and compliance.
"""

from .checklists import *  # noqa: F403
from .events import *  # noqa: F403
