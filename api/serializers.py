"""The shapes the API reads and answers, which the OpenAPI schema documents. No writes
here: views call the services of the app that owns the record."""

from __future__ import annotations

from django.core.validators import RegexValidator
from rest_framework import serializers

from custody.review import parsing
from custody.review.services import MAX_FEED_ITEMS
from referrals.models import Referral

# --- Problems ------------------------------------------------------------------------------


class ProblemItemSerializer(serializers.Serializer):
    pointer = serializers.CharField(
        allow_blank=True, help_text="JSON pointer (RFC 6901) to the field in the request ('' for the whole body)."
    )
    detail = serializers.CharField()


# Text the API stores: no NUL (PostgreSQL text cannot hold it), and where a value is
# needed, at least one character that is not white space. The same patterns are in the
# schema, so a client can check before it sends. (Python's \s is what str.strip() removes.)
NO_NUL = r"^[^\u0000]*$"
NOT_BLANK = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
no_nul = RegexValidator(NO_NUL, "Null characters are not allowed.")
not_blank = RegexValidator(NOT_BLANK, "Write some text: it is blank (or holds a null character).")


class StrictSerializer(serializers.Serializer):
    """A request body: a field it does not know is refused (the schema says additionalProperties: false)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Not a field of this request."] for name in unknown})
        return super().to_internal_value(data)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemItemSerializer(many=True, required=False)


# --- Custody feed ---------------------------------------------------------------------------

_FIELD_HELP = {
    "custody_number": "Required. Spaces are ignored; with the arrest time it identifies the detention.",
    "surname": "Surname or forenames required.",
    "date_of_birth": "ISO 8601 (2010-03-14) or dd/mm/yyyy. Unreadable or missing: the row goes to review.",
    "arrest_datetime": "Required. ISO 8601 with or without a zone, or dd/mm/yyyy hh:mm; no zone means UK time.",
    "release_datetime": "As arrest_datetime. Sent later for the same detention, it records the release.",
    "outcome": "As the custody system words it (charged, bailed, RUI, NFA, remanded, caution...).",
    "home_force_or_local_authority": "The young person's home police force or local authority.",
}


class TextOnlyField(serializers.CharField):
    """Text as the custody list has it: a number or a list is refused, not turned into text."""

    default_error_messages = {"not_text": "Send this field as text (a JSON string)."}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # DRF's own null-character check says nothing in the schema; ours is a pattern.
        kept = [v for v in self.validators if type(v).__name__ != "ProhibitNullCharactersValidator"]  # type: ignore[has-type]  # DRF's property has no annotation
        self.validators = kept

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class StrictTextField(TextOnlyField):
    """Required text: a JSON string with something in it (0 or true is refused, not stored as "0")."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, validators=[not_blank], **kwargs)


def _text(name: str, *, required: bool = False) -> serializers.CharField:
    return TextOnlyField(
        required=required,
        allow_blank=not required,
        allow_null=not required,
        trim_whitespace=False,
        max_length=parsing.MAX_CELL_CHARS,
        validators=[not_blank if required else no_nul],
        help_text=_FIELD_HELP.get(name, parsing.LABELS.get(name, name)),
    )


class DetentionSerializer(StrictSerializer):
    """One detention, with the columns of the morning custody list as fields (all text).
    ``custody_number`` and ``arrest_datetime`` are required and not blank; any other field
    may be left out, null or empty. A value the import cannot read (an arrest time that is
    not a time) is still answered item by item and kept for the custody team."""

    custody_number = _text("custody_number", required=True)
    surname = _text("surname")
    forenames = _text("forenames")
    date_of_birth = _text("date_of_birth")
    gender = _text("gender")
    home_address = _text("home_address")
    home_postcode = _text("home_postcode")
    home_force_or_local_authority = _text("home_force_or_local_authority")
    arrest_datetime = _text("arrest_datetime", required=True)
    custody_suite = _text("custody_suite")
    offences = _text("offences")
    offence_code = _text("offence_code")
    arrest_location = _text("arrest_location")
    arresting_officer = _text("arresting_officer")
    release_datetime = _text("release_datetime")
    outcome = _text("outcome")


class DetentionBatchSerializer(StrictSerializer):
    """One to 500 detentions in one call: each is a detention as sent alone."""

    detentions = DetentionSerializer(many=True, min_length=1, max_length=MAX_FEED_ITEMS)


class ItemProblemSerializer(serializers.Serializer):
    pointer = serializers.CharField(help_text="JSON pointer to the field in the request ('' for the whole item).")
    kind = serializers.ChoiceField(
        choices=["invalid", "error", "warning", "check"],
        help_text="invalid: not stored; error: kept as not imported for the custody team; "
        "warning: a value was left out; check: an officer checks it by hand.",
    )
    detail = serializers.CharField()


class DetentionResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in the request (0 for a single detention).")
    result = serializers.ChoiceField(
        choices=["new", "updated", "unchanged", "duplicate", "invalid"],
        help_text="What was stored: new (a row), updated (its release time or outcome), unchanged (the row as it "
        "was), duplicate (repeats an earlier item of this call: its row), invalid (nothing stored).",
    )
    state = serializers.CharField(allow_blank=True, help_text="Review state of a new row (to_review, not_flagged...).")
    row = serializers.IntegerField(allow_null=True, help_text="The stored row (read it back by custody number).")
    problems = ItemProblemSerializer(many=True)


class FeedCountsSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    new = serializers.IntegerField()
    flagged = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    invalid = serializers.IntegerField()


class FeedAnswerSerializer(serializers.Serializer):
    batch = serializers.IntegerField(allow_null=True)
    counts = FeedCountsSerializer()
    items = DetentionResultSerializer(many=True)


# A custody number is kept to 50 characters without its spaces; a query names one in at most 100.
MAX_LOOKUP_CHARS = 100


class CustodyNumberQuerySerializer(serializers.Serializer):
    custody_number = StrictTextField(max_length=MAX_LOOKUP_CHARS)


class StoredProblemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["error", "check"])
    detail = serializers.CharField(allow_blank=True)


class JoinedCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class StoredDetentionSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    custody_number = serializers.CharField(allow_blank=True, help_text="As stored: without spaces, upper case.")
    arrested_at = serializers.DateTimeField(allow_null=True)
    arrest_datetime_text = serializers.CharField(allow_blank=True, help_text="The arrest time as sent.")
    released_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True, help_text="The outcome as recognised ('' if not).")
    outcome_text = serializers.CharField(allow_blank=True, help_text="The outcome as sent.")
    state = serializers.CharField(help_text="Review state: to_review, not_flagged, safeguarded, already_known, ...")
    batch = serializers.IntegerField(help_text="The call that first stored it.")
    last_batch = serializers.IntegerField(help_text="The last call that sent it.")
    received_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    problems = StoredProblemSerializer(many=True)
    case = JoinedCaseSerializer(allow_null=True, help_text="The case it joined, once an officer has decided.")


class StoredDetentionsSerializer(serializers.Serializer):
    custody_number = serializers.CharField()
    detentions = StoredDetentionSerializer(many=True)


# --- Referrals ------------------------------------------------------------------------------


class ReferralSummarySerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "status",
            "referral_type",
            "urgency",
            "sent_at",
            "response_due_on",
            "acknowledged_at",
            "decided_at",
            "closed_at",
            "share_expires_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonSectionSerializer(serializers.Serializer):
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    age = serializers.CharField()
    gender = serializers.CharField(allow_blank=True)
    nationality = serializers.CharField(allow_blank=True)
    first_language = serializers.CharField(allow_blank=True)
    interpreter_needed = serializers.BooleanField(allow_null=True)
    home_local_authority = serializers.CharField(allow_blank=True)
    looked_after = serializers.CharField(allow_blank=True)
    education = serializers.CharField(allow_blank=True)
    education_setting = serializers.CharField(allow_blank=True)


class RiskSectionSerializer(serializers.Serializer):
    level = serializers.CharField(allow_blank=True)
    rationale = serializers.CharField(allow_blank=True)
    exploitation = serializers.ListField(child=serializers.CharField())


class CustodyEventSectionSerializer(serializers.Serializer):
    arrested_at = serializers.DateTimeField()
    released_at = serializers.DateTimeField(allow_null=True)
    offences = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(allow_blank=True)
    outcome_display = serializers.CharField(source="get_outcome_display", allow_blank=True)


class ChronologyEntrySerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    by = serializers.CharField(allow_blank=True)


class ContactsSectionSerializer(serializers.Serializer):
    officer = serializers.CharField()
    officer_email = serializers.CharField(allow_blank=True)
    team = serializers.CharField()
    team_email = serializers.CharField(allow_blank=True)
    social_worker = serializers.CharField(allow_blank=True)
    social_worker_phone = serializers.CharField(allow_blank=True)
    social_worker_email = serializers.CharField(allow_blank=True)


class EntrySectionSerializer(serializers.Serializer):
    entry_type = serializers.CharField()
    entry_type_display = serializers.CharField(source="get_entry_type_display")
    occurred_at = serializers.DateTimeField()
    text = serializers.CharField(allow_blank=True)


class SharedContentSerializer(serializers.Serializer):
    """Only the sections shared with the agency are present (referrals.content.shared_content)."""

    person = PersonSectionSerializer(required=False)
    risk = RiskSectionSerializer(required=False)
    custody = CustodyEventSectionSerializer(many=True, required=False)
    chronology = ChronologyEntrySerializer(many=True, required=False)
    contacts = ContactsSectionSerializer(required=False)
    safety_plan = EntrySectionSerializer(many=True, required=False)
    intelligence = EntrySectionSerializer(many=True, required=False)


class MessageSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    author = serializers.CharField(source="author.full_name")
    created_at = serializers.DateTimeField()


class ReferralDetailSerializer(ReferralSummarySerializer):
    referred_by = serializers.CharField(source="created_by.full_name", read_only=True)
    from_agency = serializers.CharField(source="case.team.agency.name", read_only=True)
    sections = serializers.ListField(child=serializers.CharField(), read_only=True)
    chronology_range = serializers.CharField(read_only=True)
    content = SharedContentSerializer(read_only=True)
    messages = MessageSerializer(many=True, read_only=True, source="messages_list")

    class Meta(ReferralSummarySerializer.Meta):
        fields = [
            *ReferralSummarySerializer.Meta.fields,
            "from_agency",
            "referred_by",
            "reason",
            "ask",
            "decline_reason",
            "sections",
            "chronology_range",
            "content",
            "messages",
        ]
        read_only_fields = fields


class DeclineSerializer(StrictSerializer):
    """Declining an acknowledged referral needs the reason."""

    reason = StrictTextField(max_length=5000, help_text="Why the agency declines the referral.")


class UpdateSerializer(StrictSerializer):
    """A message to the officer: an update (the default) or a question."""

    kind = serializers.ChoiceField(choices=["update", "question"], default="update")
    text = StrictTextField(max_length=10000)


class PostedMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()
