"""Writes for brokerage: keyword-only, atomic, permission-checked.

Every change of a request's or an offer's status goes through the product's one workflow
engine (`core.workflow`, with brokerage's tables in `brokerage/workflow.py`): it locks the
row, works out the person's role, refuses an illegal move, a move by the wrong role or one
based on a status that has changed since the person looked, writes the event row and notifies.

The writes live in modules by sub-domain; this package re-exports them, so callers keep
writing `from brokerage import services` and `services.<name>(...)`.
"""

from ._common import (
    B_,
    F_,
    S_,
    describe,
    event_note,
    own_request,
    require_broker,
    require_family,
    require_own,
)
from .agreements import (
    FELL_THROUGH_REASON_MAX,
    agreement_confirm,
    agreement_draft,
    agreement_fell_through,
    agreement_terms,
    capacity_take,
    default_review_date,
    review_record,
)
from .brokers import (
    affiliation_declare,
    anonymised_summary,
    broker_areas_grant,
    candidate_add,
    candidate_remove,
    code_of_conduct_accept,
    conflicting_organisations,
    first_contact_record,
    local_authority_label,
    refuse_affiliated,
    request_assign,
    request_release,
)
from .offers import (
    CONTACT_FIELDS,
    SHARE_PURPOSE,
    back_to_broker_if_none_left,
    offer_accept,
    offer_choose,
    offer_decline,
    offers_expire,
    offers_refuse_all,
    offers_send,
    require_answerable,
    withdraw_live_offers,
)
from .outcomes import KIND_FOR_SUPPORT, outcome_record, request_close_unmatched, unmet_demand_record
from .reminders import reminders_send
from .requests import (
    PROFILE_FIELDS,
    PROFILE_M2M,
    draft_create,
    draft_save,
    missing_answers,
    profile_update,
    request_submit,
    request_withdraw,
)

__all__ = [
    "B_",
    "CONTACT_FIELDS",
    "FELL_THROUGH_REASON_MAX",
    "F_",
    "KIND_FOR_SUPPORT",
    "PROFILE_FIELDS",
    "PROFILE_M2M",
    "SHARE_PURPOSE",
    "S_",
    "affiliation_declare",
    "agreement_confirm",
    "agreement_draft",
    "agreement_fell_through",
    "agreement_terms",
    "anonymised_summary",
    "back_to_broker_if_none_left",
    "broker_areas_grant",
    "candidate_add",
    "candidate_remove",
    "capacity_take",
    "code_of_conduct_accept",
    "conflicting_organisations",
    "default_review_date",
    "describe",
    "draft_create",
    "draft_save",
    "event_note",
    "first_contact_record",
    "local_authority_label",
    "missing_answers",
    "offer_accept",
    "offer_choose",
    "offer_decline",
    "offers_expire",
    "offers_refuse_all",
    "offers_send",
    "outcome_record",
    "own_request",
    "profile_update",
    "refuse_affiliated",
    "reminders_send",
    "request_assign",
    "request_close_unmatched",
    "request_release",
    "request_submit",
    "request_withdraw",
    "require_answerable",
    "require_broker",
    "require_family",
    "require_own",
    "review_record",
    "unmet_demand_record",
    "withdraw_live_offers",
]
