"""Who hears about each step of a request. Everything goes through `home.messenger.send`."""

import threading
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.urls import reverse

from directory.roles import BROKERS
from home import messenger
from home.messenger import MessageKind

from .choices import Status

FAMILY_NEWS = {
    Status.SUBMITTED: "We have your request. A broker will contact you within {days} working days.",
    Status.ASSIGNED: "A broker is now looking for support for {who}.",
    Status.CHOOSING: "A provider has said they can help. Compare the offers and choose.",
    Status.AGREEING: "Please check and confirm the agreement for {who}.",
    Status.MATCHED: "The support for {who} is agreed.",
    Status.UNMATCHED: "We could not find a suitable provider this time.",
    Status.WITHDRAWN: "Your request has been withdrawn.",
}

_muted = threading.local()


@contextmanager
def notifications_muted():
    """Demo data: take requests through the services without telling anyone."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def send(kind: MessageKind, **kwargs) -> int:
    """Every brokerage message goes through the product's one messenger."""
    if getattr(_muted, "on", False):
        return 0
    return messenger.send(kind, **kwargs)


def family_url(request) -> str:
    return reverse("brokerage:detail", args=[request.pk])


def broker_url(request) -> str:
    return reverse("brokerage_admin:request", args=[request.pk])


def offer_url(offer) -> str:
    return reverse("brokerage_admin:offer", args=[offer.pk])


def provider_users(organisation):
    if organisation.editors_id is None:
        return [], [organisation.email] if organisation.email else []
    users = list(get_user_model().objects.filter(groups=organisation.editors, is_active=True))
    emails = [organisation.email] if organisation.email and not users else []
    return users, emails


def brokers_for_area(local_authority_code: str):
    users = get_user_model().objects.filter(groups__name=BROKERS, is_active=True)
    return list(users.filter(broker_profile__areas__code=local_authority_code).distinct())


def after_transition(request, old: str, new: str, actor, note: str = "") -> None:
    from django.conf import settings

    if new in FAMILY_NEWS and not (new == Status.WITHDRAWN and actor == request.family):
        news = FAMILY_NEWS[new].format(
            days=settings.BROKERAGE_FIRST_CONTACT_WORKING_DAYS, who=request.who_for
        )
        send(
            MessageKind.BROKERAGE_FAMILY_UPDATE,
            users=[request.family],
            context={"news": news, "reference": request.reference},
            url=family_url(request),
            actor=actor,
            related=request,
        )
    if new == Status.SUBMITTED and old == Status.DRAFT:
        brokers = brokers_for_area(request.local_authority_code)
        send(
            MessageKind.BROKERAGE_NEW_REQUEST,
            users=brokers,
            context={"reference": request.reference, "area": request.outcode},
            url=reverse("brokerage_admin:queue"),
            actor=actor,
            related=request,
        )
    broker = request.broker
    if broker is not None and actor != broker and new != Status.SUBMITTED:
        send(
            MessageKind.BROKERAGE_BROKER_UPDATE,
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
    users, emails = provider_users(offer.organisation)
    send(
        MessageKind.BROKERAGE_OFFER_SENT,
        users=users,
        emails=emails,
        context={"offer": offer, "listing": offer.listing.title, "expires_at": offer.expires_at},
        url=offer_url(offer),
        actor=actor,
        related=offer,
    )


def offer_outcome(offer, actor, news: str) -> None:
    users, emails = provider_users(offer.organisation)
    send(
        MessageKind.BROKERAGE_OFFER_OUTCOME,
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
    send(
        MessageKind.BROKERAGE_BROKER_UPDATE,
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
    users, emails = provider_users(agreement.offer.organisation)
    send(
        MessageKind.BROKERAGE_AGREEMENT_TO_CONFIRM,
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


def reminder(kind: MessageKind, *, users, context: dict, url: str, related) -> None:
    send(kind, users=users, context=context, url=url, related=related)
