"""Who hears about what in the directory: safeguarding, freshness, reports, safeguarding
concerns, provider applications and the council's decision on a listing. The only module of
the directory that sends messages (`core.messenger`)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core import messenger
from core.recipients import provider_recipients
from core.roles import council_staff


class Message(models.TextChoices):
    LISTING_REPORTED = "listing_reported", "A family reported a problem with a listing"
    CONCERN_TO_SAFEGUARDING = "concern_to_safeguarding", "Safeguarding concern reported"
    CONCERN_TO_STAFF = "concern_to_staff", "A safeguarding concern is waiting"
    CONCERN_ACKNOWLEDGEMENT = "concern_acknowledgement", "We have your report about a child"
    FRESHNESS_REMINDER = "freshness_reminder", "Please confirm your listing is still accurate"
    LISTING_STALE = "listing_stale", "Families now see your listing as out of date"
    LISTING_HIDDEN = "listing_hidden", "Your listing is hidden from families"
    INSURANCE_LAPSED = "insurance_lapsed", "Your public liability insurance has run out"
    DBS_DUE_SOON = "dbs_due_soon", "A DBS check is due for renewal soon"
    DBS_LAPSED = "dbs_lapsed", "A DBS check has lapsed"
    DBS_SUBMITTED = "dbs_submitted", "DBS check details submitted for verification"
    DBS_QUERIED = "dbs_queried", "The council needs more about a DBS check"
    DBS_REJECTED = "dbs_rejected", "The council rejected a DBS check"
    DBS_ANSWERED = "dbs_answered", "A provider answered a query about a DBS check"
    APPLICATION_CONFIRM_EMAIL = "application_confirm_email", "Confirm your email address"
    APPLICATION_RECEIVED = "application_received", "New provider application to review"
    APPLICATION_ADMITTED = "application_admitted", "Your provider account is ready"
    APPLICATION_DECLINED = "application_declined", "Your provider application"
    LISTING_APPROVED = "listing_approved", "The council approved a listing"
    LISTING_CHANGES_ASKED = "listing_changes_asked", "The council asked for changes to a listing"


def dbs_submitted(check, *, actor) -> None:
    person = check.person
    messenger.send(
        Message.DBS_SUBMITTED,
        users=council_staff(),
        context={"person": person, "organisation": person.organisation},
        url=reverse("directory_admin:dbs_checks"),
        actor=actor,
        related=check,
    )


def dbs_queried(check, *, actor) -> None:
    """The provider hears what the council needs, in the council's words, and where to answer:
    never the certificate number, nor whose check it is (the link, behind sign-in, says)."""
    _dbs_to_provider(Message.DBS_QUERIED, check, actor=actor)


def dbs_rejected(check, *, actor) -> None:
    _dbs_to_provider(Message.DBS_REJECTED, check, actor=actor)


def _dbs_to_provider(kind: Message, check, *, actor) -> None:
    person = check.person
    users, emails = provider_recipients(person.organisation)
    url = (
        reverse("directory_admin:dbs_check_answer", args=[check.pk])
        if kind == Message.DBS_QUERIED
        else reverse("directory_admin:dbs_check_add", args=[person.pk])
    )
    messenger.send(
        kind,
        users=users,
        emails=emails,
        context={"person": person, "organisation": person.organisation, "check": check},
        url=url,
        actor=actor,
        related=check,
    )


def dbs_answered(check, *, actor) -> None:
    person = check.person
    messenger.send(
        Message.DBS_ANSWERED,
        users=council_staff(),
        context={"person": person, "organisation": person.organisation},
        url=reverse("directory_admin:dbs_check_verify", args=[check.pk]),
        actor=actor,
        related=check,
    )


def dbs_reminder(kind: Message, check, *, person, organisation) -> None:
    """A check due soon or lapsed: the provider's editors and council staff hear."""
    users, emails = provider_recipients(organisation)
    messenger.send(
        kind,
        users=users + list(council_staff()),
        emails=emails,
        context={"person": person, "organisation": organisation, "check": check},
        url=reverse("directory_admin:dbs_checks"),
        related=check,
    )


def freshness_reminder(listing, *, weeks: int, hidden_on) -> None:
    users, emails = provider_recipients(listing.organisation)
    messenger.send(
        Message.FRESHNESS_REMINDER,
        users=users,
        emails=emails,
        context={"listing": listing, "weeks": weeks, "hidden_on": hidden_on},
        link=("directory.services.freshness_confirm_link", [listing]),
        inbox_url=reverse("wagtailadmin_pages:edit", args=[listing.pk]),
        related=listing,
    )


def listing_reported(report) -> None:
    messenger.send(
        Message.LISTING_REPORTED,
        users=council_staff(),
        emails=[settings.COUNCIL_EMAIL],
        context={"report": report, "listing": report.listing},
        url=reverse("directory_admin:reports"),
        related=report,
    )


def concern_received(report, *, acknowledge: bool = True) -> None:
    """A report about a child's safety, at once: what was reported to the designated
    safeguarding inbox and the LADO; to council staff only that one is waiting (their inboxes
    are not designated to hold it); to the person who reported, an acknowledgement that does
    not repeat what they wrote (not when staff, rather than they, said it is about safety)."""
    url = reverse("directory_admin:report", args=[report.pk])
    context = {"report": report, "listing_title": report.listing_title}
    messenger.send(
        Message.CONCERN_TO_SAFEGUARDING,
        emails=[settings.SAFEGUARDING_EMAIL, settings.LADO_EMAIL],
        context=context,
        url=url,
        related=report,
    )
    messenger.send(
        Message.CONCERN_TO_STAFF,
        users=council_staff(),
        context={"listing_title": report.listing_title},
        url=url,
        related=report,
    )
    if acknowledge and report.reply_email:
        messenger.send(
            Message.CONCERN_ACKNOWLEDGEMENT,
            emails=[report.reply_email],
            context={"received_at": report.created_at},
            related=report,
        )


def application_confirm_email(application) -> None:
    """Nothing typed on the form is in it: whoever applied may not own the address."""
    messenger.send(
        Message.APPLICATION_CONFIRM_EMAIL,
        emails=[application.email],
        link=("directory.services.application_confirm_link", [application]),
        related=application,
    )


def application_received(application) -> None:
    messenger.send(
        Message.APPLICATION_RECEIVED,
        users=council_staff(),
        context={"application": application},
        url=reverse("directory_admin:applications"),
        related=application,
    )


def application_admitted(application, *, account, organisation, actor) -> None:
    messenger.send(
        Message.APPLICATION_ADMITTED,
        users=[account],
        context={"application": application, "organisation": organisation},
        link=("directory.services.set_password_link", [account]),
        inbox_url=reverse("wagtailadmin_home"),
        actor=actor,
        related=application,
    )


def application_declined(application, *, actor) -> None:
    messenger.send(
        Message.APPLICATION_DECLINED,
        emails=[application.email],
        context={"application": application},
        actor=actor,
        related=application,
    )


def listing_approved(listing, *, comment: str, actor) -> None:
    """The council approved a new listing or a change: it is published."""
    _moderation_outcome(Message.LISTING_APPROVED, listing, comment=comment, actor=actor)


def listing_changes_asked(listing, *, comment: str, actor) -> None:
    """The council sent a listing back, in the moderator's words."""
    _moderation_outcome(Message.LISTING_CHANGES_ASKED, listing, comment=comment, actor=actor)


def _moderation_outcome(kind: Message, listing, *, comment: str, actor) -> None:
    """To the provider's editors (or the organisation's address when it has none), with the
    listing's address on the site and the way back to its editor, both from `BASE_URL`."""
    users, emails = provider_recipients(listing.organisation)
    _site, _root, path = listing.get_url_parts() or (None, "", "")
    messenger.send(
        kind,
        users=users,
        emails=emails,
        context={
            "listing": listing,
            "comment": (comment or "").strip(),
            "listing_path": path or "",
            "was_live": listing.live,
        },
        url=reverse("wagtailadmin_pages:edit", args=[listing.pk]),
        actor=actor,
        related=listing,
    )


def freshness_step(kind: Message, listing, *, hidden_on) -> None:
    """A listing not confirmed for 13 weeks (families see a warning) or 26 (hidden): its
    provider hears once at each step, with the one-click link that puts it right."""
    users, emails = provider_recipients(listing.organisation)
    messenger.send(
        kind,
        users=users,
        emails=emails,
        context={"listing": listing, "hidden_on": hidden_on},
        link=("directory.services.freshness_confirm_link", [listing]),
        inbox_url=reverse("wagtailadmin_home"),
        related=listing,
    )


def insurance_lapsed(organisation) -> None:
    """The provider's public liability insurance has run out: its editors hear, and council
    staff see it in their list of lapsed insurance."""
    users, emails = provider_recipients(organisation)
    messenger.send(
        Message.INSURANCE_LAPSED,
        users=users,
        emails=emails,
        context={
            "organisation": organisation,
            "expired_on": organisation.insurance_expiry,
            "council_email": settings.COUNCIL_EMAIL,
        },
        url=reverse("wagtailadmin_home"),
        related=organisation,
    )
