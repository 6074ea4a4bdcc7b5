"""Who hears about each step of a request. The only module of brokerage that sends messages
(`core.messenger`)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core import messenger
from core.recipients import provider_recipients
from core.roles import BROKERS, members

from .choices import Status


class Message(models.TextChoices):
    BROKERAGE_FAMILY_UPDATE = "brokerage_family_update", "An update on your request for support"
    BROKERAGE_NEW_REQUEST = "brokerage_new_request", "A new request for support in your area"
    BROKERAGE_BROKER_UPDATE = "brokerage_broker_update", "An update on a request you broker"
    BROKERAGE_OFFER_SENT = "brokerage_offer_sent", "Can you help a family?"
    BROKERAGE_OFFER_OUTCOME = "brokerage_offer_outcome", "An update on an offer you made"
    BROKERAGE_AGREEMENT_TO_CONFIRM = "brokerage_agreement_to_confirm", "Please confirm an agreement"
    BROKERAGE_SLA_OVERDUE = "brokerage_sla_overdue", "A family is waiting for first contact"
    BROKERAGE_REVIEW_DUE = "brokerage_review_due", "A review of agreed support is due"
    BROKERAGE_OFFER_EXPIRING = "brokerage_offer_expiring", "An offer request is about to expire"
    BROKERAGE_FAMILY_LEFT = "brokerage_family_left", "A family has closed their account"


FAMILY_NEWS = {
    Status.SUBMITTED: "We have your request. A broker will contact you within {days} working days.",
    Status.ASSIGNED: "A broker is now looking for support for {who}.",
    Status.CHOOSING: "A provider has said they can help. Compare the offers and choose.",
    Status.AGREEING: "Please check and confirm the agreement for {who}.",
    Status.MATCHED: "The support for {who} is agreed.",
    Status.UNMATCHED: "We could not find a suitable provider this time.",
    Status.WITHDRAWN: "Your request has been withdrawn.",
}
# Each email to a family says in its subject what it is about, not only "an update".
FAMILY_SUBJECTS = {
    Status.SUBMITTED: "We have your request for support",
    Status.ASSIGNED: "A broker is looking for support",
    Status.CHOOSING: "A provider can help: please choose",
    Status.AGREEING: "Please confirm the agreed support",
    Status.MATCHED: "Your support is agreed",
    Status.UNMATCHED: "We could not find a provider this time",
    Status.WITHDRAWN: "Your request has been withdrawn",
}
FAMILY_UPDATE = "An update on your request for support"
AGREEMENT_TO_CONFIRM = FAMILY_SUBJECTS[Status.AGREEING]
AGREEMENT_FELL_THROUGH = "The agreed support will not go ahead"
REVIEW_DUE = "Your support is due for review"


def who_in_email(request) -> str:
    """Says "you" or "your child", never the child's name: an email can be read on its way, is
    forwarded, and waits in the outbox (core/outbox.py)."""
    return "you" if request.who_for == "you" else "your child"


def family_url(request) -> str:
    return reverse("brokerage:detail", args=[request.pk])


def broker_url(request) -> str:
    return reverse("brokerage_admin:request", args=[request.pk])


def offer_url(offer) -> str:
    return reverse("brokerage_admin:offer", args=[offer.pk])


def brokers_for_area(local_authority_code: str):
    return list(members(BROKERS).filter(broker_profile__areas__code=local_authority_code))


def family_news(request, news: str, *, subject: str = FAMILY_UPDATE, actor=None) -> None:
    """An email and update to the family, greeting them by their first name, with its own
    subject."""
    messenger.send(
        Message.BROKERAGE_FAMILY_UPDATE,
        users=[request.family],
        context={
            "news": news,
            "subject": subject,
            "reference": request.reference,
            "person": request.family,
        },
        url=family_url(request),
        actor=actor,
        related=request,
    )


def after_transition(request, old: str, new: str, actor, note: str = "") -> None:
    if new in FAMILY_NEWS and not (new == Status.WITHDRAWN and actor == request.family):
        news = FAMILY_NEWS[new].format(
            days=settings.BROKERAGE_FIRST_CONTACT_WORKING_DAYS, who=who_in_email(request)
        )
        family_news(request, news, subject=FAMILY_SUBJECTS[new], actor=actor)
    if new == Status.SUBMITTED and old == Status.DRAFT:
        brokers = brokers_for_area(request.local_authority_code)
        messenger.send(
            Message.BROKERAGE_NEW_REQUEST,
            users=brokers,
            context={"reference": request.reference, "area": request.outcode},
            url=reverse("brokerage_admin:queue"),
            actor=actor,
            related=request,
        )
    broker = request.broker
    if broker is not None and actor != broker and new != Status.SUBMITTED:
        messenger.send(
            Message.BROKERAGE_BROKER_UPDATE,
            users=[broker],
            context={
                "reference": request.reference,
                "status": Status(new).label,
                "note": note,
            },
            url=broker_url(request),
            actor=actor,
            related=request,
        )


def offer_sent(offer, actor) -> None:
    users, emails = provider_recipients(offer.organisation)
    messenger.send(
        Message.BROKERAGE_OFFER_SENT,
        users=users,
        emails=emails,
        context={"offer": offer, "listing": offer.listing.title, "expires_at": offer.expires_at},
        url=offer_url(offer),
        actor=actor,
        related=offer,
    )


def offer_outcome(offer, actor, news: str) -> None:
    users, emails = provider_recipients(offer.organisation)
    messenger.send(
        Message.BROKERAGE_OFFER_OUTCOME,
        users=users,
        emails=emails,
        context={
            "news": news,
            "listing": offer.listing.title,
            "reference": offer.request.reference,
        },
        url=offer_url(offer),
        actor=actor,
        related=offer,
    )


def offer_answered(offer, actor) -> None:
    broker = offer.request.broker
    if broker is None:
        return
    messenger.send(
        Message.BROKERAGE_BROKER_UPDATE,
        users=[broker],
        context={
            "reference": offer.request.reference,
            "status": f"{offer.organisation.name}: {offer.get_status_display()}",
            "note": offer.get_decline_reason_display() if offer.decline_reason else "",
        },
        url=broker_url(offer.request),
        actor=actor,
        related=offer.request,
    )


def agreement_to_confirm(agreement, actor) -> None:
    users, emails = provider_recipients(agreement.offer.organisation)
    messenger.send(
        Message.BROKERAGE_AGREEMENT_TO_CONFIRM,
        users=users,
        emails=emails,
        context={
            "reference": agreement.request.reference,
            "listing": agreement.offer.listing.title,
        },
        url=offer_url(agreement.offer),
        actor=actor,
        related=agreement.request,
    )


def family_left(agreement, *, reference: str, broker) -> None:
    """A family with a confirmed agreement closed their account: the provider (whose record of
    the agreement stays on their offer page) and the broker hear it. No family details go."""
    offer = agreement.offer
    users, emails = provider_recipients(offer.organisation)
    messenger.send(
        Message.BROKERAGE_FAMILY_LEFT,
        users=users,
        emails=emails,
        context={"reference": reference, "listing": offer.listing.title, "provider": True},
        url=offer_url(offer),
        related=agreement,
    )
    if broker is not None:
        messenger.send(
            Message.BROKERAGE_FAMILY_LEFT,
            users=[broker],
            context={"reference": reference, "listing": offer.listing.title, "provider": False},
            related=agreement,
        )


def reminder(kind: Message, *, users, context: dict, url: str, related) -> None:
    messenger.send(kind, users=users, context=context, url=url, related=related)


def offer_expiring(offer) -> None:
    users, emails = provider_recipients(offer.organisation)
    messenger.send(
        Message.BROKERAGE_OFFER_EXPIRING,
        users=users,
        emails=emails,
        context={"listing": offer.listing.title, "expires_at": offer.expires_at},
        url=offer_url(offer),
        related=offer,
    )
