"""Writes of the morning custody review, one module per job: uploads, imports, review
decisions, custody events entered by hand, and the retention purge. Keyword-only,
atomic, each with its audit row in the same transaction."""

from .bulk import (
    ALREADY_KNOWN as BULK_ALREADY_KNOWN,
)
from .bulk import (
    NOT_AT_RISK as BULK_NOT_AT_RISK,
)
from .bulk import (
    SamePersonOutcome,
    custody_row_already_known_same_person,
    custody_row_not_at_risk_same_person,
    custody_row_safeguard_same_person,
    custody_rows_decide_bulk,
)
from .common import DecisionError
from .decisions import (
    DECIDABLE,
    custody_row_already_known,
    custody_row_not_at_risk,
    custody_row_safeguard,
    person_data_from_row,
)
from .escalation import custody_escalate_undecided
from .events import EVENT_FIELDS, custody_event_create, custody_event_update
from .feed import FEED_FIELDS, MAX_FEED_ITEMS, FeedOutcome, FeedReceipt, custody_feed_receive
from .imports import CHUNK_ROWS, custody_import_process
from .retention import custody_purge_personal_data
from .times import TIME_FIELDS, custody_row_time_settle, row_ambiguous_times
from .uploads import custody_import_columns_set, custody_import_create, saved_mapping

__all__ = [
    "BULK_ALREADY_KNOWN",
    "BULK_NOT_AT_RISK",
    "SamePersonOutcome",
    "custody_row_already_known_same_person",
    "custody_row_not_at_risk_same_person",
    "custody_row_safeguard_same_person",
    "custody_rows_decide_bulk",
    "CHUNK_ROWS",
    "DECIDABLE",
    "EVENT_FIELDS",
    "FEED_FIELDS",
    "MAX_FEED_ITEMS",
    "TIME_FIELDS",
    "DecisionError",
    "FeedOutcome",
    "FeedReceipt",
    "custody_escalate_undecided",
    "custody_event_create",
    "custody_event_update",
    "custody_feed_receive",
    "custody_import_columns_set",
    "custody_import_create",
    "custody_import_process",
    "custody_purge_personal_data",
    "custody_row_already_known",
    "custody_row_not_at_risk",
    "custody_row_safeguard",
    "custody_row_time_settle",
    "person_data_from_row",
    "row_ambiguous_times",
    "saved_mapping",
]
