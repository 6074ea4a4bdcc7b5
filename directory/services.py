"""Writes for the directory: keyword-only, atomic, permission-checked.

Views, forms, admin hooks and commands call these; nothing else changes directory state.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from wagtail.models import GroupPagePermission

from core.audit import audit
from core.dates import today
from core.reminders import send_once
from core.roles import provider_group_name
from gazetteer.lookup import PostcodeError, lookup

from . import notifications, permissions, reminders
from .choices import ApplicationStatus, DBSReview, DBSStatus, OrganisationKind
from .models import (
    DBSCheck,
    DirectoryIndexPage,
    ListingPage,
    ListingStatus,
    Organisation,
    ProviderApplication,
    ProviderPage,
    StaffMember,
    worst_status,
)
from .notifications import Message
from .signals import listing_status_changed
from .workflow import APPLICATIONS

CONFIRM_SALT = "directory.listing-still-accurate"
APPLICATION_SALT = "directory.provider-application-email"


# --- Safeguarding ---------------------------------------------------------------------------


def latest_check(person: StaffMember) -> DBSCheck | None:
    """The person's latest check that counts: a rejected check is as if never submitted, so
    an earlier check (verified, or lapsed) still decides their badge."""
    checks = getattr(person, "_prefetched_objects_cache", {}).get("dbs_checks")
    if checks is not None:
        ordered = sorted(checks, key=lambda c: (c.issue_date, c.pk), reverse=True)
        return next((c for c in ordered if c.counts), None)
    return (
        person.dbs_checks.exclude(review=DBSReview.REJECTED).order_by("-issue_date", "-pk").first()
    )


def people_for(listing: ListingPage, staff: list[StaffMember]) -> list[StaffMember]:
    """Whose checks count for this listing's badge: the named PA, or the provider's staff
    who work with children."""
    pa_id = getattr(listing, "staff_member_id", None)
    if pa_id:
        return [p for p in staff if p.pk == pa_id]
    return [p for p in staff if p.works_with_children]


def safeguarding_summary(people: list[StaffMember], on: datetime.date) -> dict:
    """The badge for a set of people: the worst of their latest checks."""
    entries = []
    for person in people:
        check = latest_check(person)
        entries.append((check.status(on) if check else DBSStatus.NONE, check))
    status = worst_status(s for s, _ in entries)
    deciding = [c for s, c in entries if s == status and c is not None]
    deciding.sort(key=lambda c: c.next_due_date)
    check = deciding[0] if deciding else None
    lapsed = [c.next_due_date for s, c in entries if s == DBSStatus.LAPSED and c]
    return {
        "dbs_status": status,
        "dbs_level": check.level if check else "",
        "dbs_verified_on": timezone.localtime(check.verified_at).date()
        if check and check.verified_at
        else None,
        "dbs_next_due": check.next_due_date if check else None,
        "dbs_lapsed_on": min(lapsed) if lapsed else None,
    }


def organisation_refresh_safeguarding(
    *, organisation: Organisation, on: datetime.date | None = None
) -> int:
    """Recompute the DBS badge of every listing of an organisation. Returns rows changed."""
    on = on or today()
    staff = list(organisation.staff.prefetch_related("dbs_checks"))
    listings = ListingPage.objects.filter(organisation=organisation).select_related(
        "personalassistantpage"
    )
    # Listings with the same people share a summary: one update for each group, so an
    # organisation with thousands of listings (an import) costs a few queries, not thousands.
    groups: dict[tuple, list[int]] = {}
    summaries: dict[tuple, dict] = {}
    for listing in listings:
        specific = getattr(listing, "personalassistantpage", listing)
        summary = safeguarding_summary(people_for(specific, staff), on)
        key = tuple(sorted(summary.items()))
        summaries[key] = summary
        groups.setdefault(key, []).append(listing.pk)
    changed = []
    for key, ids in groups.items():
        summary = summaries[key]
        stale = ListingStatus.objects.filter(listing_id__in=ids).exclude(**summary)
        stale_ids = list(stale.values_list("listing_id", flat=True))
        if stale_ids:
            ListingStatus.objects.filter(listing_id__in=stale_ids).update(**summary)
            changed.extend(stale_ids)
        have = set(
            ListingStatus.objects.filter(listing_id__in=ids).values_list("listing_id", flat=True)
        )
        ListingStatus.objects.bulk_create(
            [ListingStatus(listing_id=pk, **summary) for pk in ids if pk not in have]
        )
    if changed:
        listing_status_changed.send(sender=ListingStatus, listing_ids=changed)
    return len(changed)


def staff_member_add(
    *, user, organisation: Organisation, full_name: str, role: str = "", works_with_children=True
) -> StaffMember:
    """A provider names someone who works with children, so their DBS check can be recorded."""
    if not permissions.can_edit_organisation(user, organisation):
        raise PermissionDenied("You cannot add people to this organisation")
    with transaction.atomic():
        person = StaffMember.objects.create(
            organisation=organisation,
            full_name=full_name,
            role=role,
            works_with_children=works_with_children,
        )
        audit(actor=user, action="staff_added", obj=person, summary="Person added")
        organisation_refresh_safeguarding(organisation=organisation)
    return person


def dbs_check_submit(
    *,
    user,
    person: StaffMember,
    level: str,
    certificate_number: str,
    issue_date: datetime.date,
    update_service: bool = False,
    last_status_check: datetime.date | None = None,
) -> DBSCheck:
    """A provider (or council staff) records a check. It shows as self-declared until
    council staff verify it."""
    if not permissions.can_submit_dbs(user, person):
        raise PermissionDenied("You cannot add checks for this person")
    check = DBSCheck(
        person=person,
        level=level,
        certificate_number=(certificate_number or "").replace(" ", ""),
        issue_date=issue_date,
        update_service=update_service,
        last_status_check=last_status_check,
        submitted_by=user,
    )
    if issue_date:
        check.next_due_date = DBSCheck.default_next_due(
            issue_date, update_service, last_status_check
        )
    with transaction.atomic():
        check.full_clean()
        check.save()
        audit(actor=user, action="dbs_submitted", obj=check, summary="DBS check details submitted")
        organisation_refresh_safeguarding(organisation=person.organisation)
        notifications.dbs_submitted(check, actor=user)
    return check


# --- Freshness ------------------------------------------------------------------------------


def confirmation_token(listing: ListingPage) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"listing": listing.pk})


def listing_from_confirmation_token(token: str) -> ListingPage:
    """Raises signing.BadSignature (or SignatureExpired) for a bad or old link."""
    max_age = datetime.timedelta(days=settings.FRESHNESS_LINK_MAX_AGE_DAYS)
    data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(token, max_age=max_age)
    return ListingPage.objects.get(pk=data["listing"])


def listing_confirm_accuracy(*, listing: ListingPage, user=None, via_token: bool = False):
    """The provider says the listing is still accurate: its assured date becomes today.

    Allowed to the provider's editors and council staff, or to anyone holding a valid signed
    link from the reminder email (`via_token`)."""
    if not via_token and not permissions.can_confirm_listing(user, listing):
        raise PermissionDenied("You cannot confirm this listing")
    with transaction.atomic():
        status, _ = ListingStatus.objects.select_for_update().get_or_create(listing_id=listing.pk)
        status.assured_date = today()
        status.save(update_fields=["assured_date"])
        audit(
            actor=user,
            action="listing_confirmed",
            obj=listing,
            summary="Listing confirmed as still accurate",
        )
    return status


# --- Organisations and applications ---------------------------------------------------------


def unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "provider"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def organisation_create(
    *, name: str, kind: str, directory: DirectoryIndexPage | None = None, about: str = "", **fields
) -> Organisation:
    """Create a provider with its editors' group and its page, where its listings will live.

    The group may add and edit pages below the provider page but never publish them: every
    change goes to a council moderator."""
    directory = directory or DirectoryIndexPage.objects.first()
    if directory is None:
        raise ValidationError("The site is not set up yet: run manage.py setup_site")
    with transaction.atomic():
        organisation = Organisation(name=name, kind=kind, **fields)
        # A person's web address carries only their public name, never their surname.
        organisation.slug = unique_slug(organisation.public_name)
        organisation.full_clean()
        organisation.save()
        group = Group.objects.create(name=provider_group_name(organisation.slug))
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        organisation.editors = group
        organisation.save(update_fields=["editors"])
        page = ProviderPage(
            title=organisation.public_name,
            slug=organisation.slug,
            organisation=organisation,
            about=about,
        )
        directory.add_child(instance=page)
        page.save_revision().publish()
        for permission_type in ("add", "change"):
            GroupPagePermission.objects.create(
                group=group, page=page, permission_type=permission_type
            )
    return organisation


def organisation_add_editor(*, organisation: Organisation, user) -> None:
    user.groups.add(organisation.editors)


def application_token(application: ProviderApplication) -> str:
    return signing.TimestampSigner(salt=APPLICATION_SALT).sign_object({"a": application.pk})


def provider_application_submit(**data) -> ProviderApplication:
    application = ProviderApplication(**data)
    try:
        application.postcode = lookup(application.postcode).postcode
    except PostcodeError as error:
        raise ValidationError({"postcode": str(error)}) from error
    with transaction.atomic():
        application.full_clean()
        application.save()
        notifications.application_confirm_email(application)
    return application


# Links in emails, made when the email is sent (core/outbox.py): never stored.


def application_confirm_link(application: ProviderApplication) -> str | None:
    if application.status != ApplicationStatus.AWAITING_EMAIL:
        return None
    return reverse("directory:application_confirm", args=[application_token(application)])


def set_password_link(account) -> str | None:
    if not account.is_active:
        return None
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    return reverse("wagtailadmin_password_reset_confirm", args=[uid, token])


def freshness_confirm_link(listing: ListingPage) -> str:
    return reverse("directory:confirm_listing", args=[confirmation_token(listing)])


def provider_application_for_token(*, token: str) -> ProviderApplication:
    """The application a confirmation link is for, changing nothing. Raises
    signing.BadSignature (or SignatureExpired) and ProviderApplication.DoesNotExist."""
    max_age = datetime.timedelta(days=settings.PROVIDER_APPLICATION_LINK_MAX_AGE_DAYS)
    data = signing.TimestampSigner(salt=APPLICATION_SALT).unsign_object(token, max_age=max_age)
    return ProviderApplication.objects.get(pk=data["a"])


def provider_application_confirm_email(*, token: str) -> ProviderApplication:
    """The applicant pressed "Confirm" (a POST): the application goes before the council."""
    found = provider_application_for_token(token=token)
    with transaction.atomic():
        application = ProviderApplication.objects.select_for_update().get(pk=found.pk)
        if application.status == ApplicationStatus.AWAITING_EMAIL:
            application = APPLICATIONS.move(application, ApplicationStatus.CONFIRMED, system=True)
            notifications.application_received(application)
    return application


def provider_application_admit(*, user, application: ProviderApplication) -> Organisation:
    """Council staff admit an applicant: their organisation, page and account are created,
    and they get a link to set their password. Nobody gets admin access any other way."""
    if not permissions.is_council_staff(user):
        raise PermissionDenied("Only council staff can admit providers")
    with transaction.atomic():
        application = ProviderApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.CONFIRMED:
            raise ValidationError("Only applications with a confirmed email can be admitted")
        organisation = organisation_create(
            name=application.organisation_name,
            kind=application.kind,
            email=application.email,
            phone=application.phone,
            postcode=application.postcode,
            ofsted_urn=application.ofsted_urn,
            cqc_location_id=application.cqc_location_id,
            charity_number=application.charity_number,
            company_number=application.company_number,
        )
        User = get_user_model()
        account = User.objects.filter(email__iexact=application.email).first()
        if account is None:
            first, _, last = application.contact_name.partition(" ")
            account = User.objects.create_user(
                username=application.email.lower(),
                email=application.email,
                first_name=first,
                last_name=last,
            )
            account.set_unusable_password()
            account.save()
        organisation_add_editor(organisation=organisation, user=account)
        if application.kind == OrganisationKind.SELF_EMPLOYED_PA:
            StaffMember.objects.create(
                organisation=organisation,
                full_name=application.contact_name,
                user=account,
                role="Personal assistant",
            )
        application = APPLICATIONS.move(
            application,
            ApplicationStatus.ADMITTED,
            user=user,
            changes={"organisation": organisation},
        )
        notifications.application_admitted(
            application, account=account, organisation=organisation, actor=user
        )
    return organisation


def provider_application_decline(*, user, application: ProviderApplication, note: str):
    if not permissions.is_council_staff(user):
        raise PermissionDenied("Only council staff can decline applications")
    if not note.strip():
        raise ValidationError({"decision_note": "Say why, so the applicant knows what to do"})
    with transaction.atomic():
        application = ProviderApplication.objects.select_for_update().get(pk=application.pk)
        if application.status in (ApplicationStatus.ADMITTED, ApplicationStatus.DECLINED):
            raise ValidationError("This application has already been decided")
        application = APPLICATIONS.move(
            application,
            ApplicationStatus.DECLINED,
            user=user,
            changes={"decision_note": note},
        )
        notifications.application_declined(application, actor=user)
    return application


# --- Reminders (run daily by `send_reminders`; idempotent) ---------------------------------


def reminders_send(*, on: datetime.date | None = None) -> dict[str, int]:
    """Refresh every badge (dates pass without anyone acting) and send what is due, once."""
    on = on or today()
    counts = {"badges_changed": 0, "dbs_due_soon": 0, "dbs_lapsed": 0, "freshness": 0}
    for organisation in Organisation.objects.exclude(editors=None):
        counts["badges_changed"] += organisation_refresh_safeguarding(
            organisation=organisation, on=on
        )
        for person in organisation.staff.prefetch_related("dbs_checks"):
            check = latest_check(person)
            if check is None:
                continue
            status = check.status(on)
            if status == DBSStatus.DUE_SOON:
                kind = Message.DBS_DUE_SOON
            elif status == DBSStatus.LAPSED:
                kind = Message.DBS_LAPSED
            else:
                continue
            if not send_once(kind.value, f"{check.pk}:{check.next_due_date}"):
                continue
            notifications.dbs_reminder(kind, check, person=person, organisation=organisation)
            counts[kind.value] += 1
    counts["freshness"] = freshness_reminders_send(on=on)
    counts.update(reminders.freshness_steps_send(on=on))
    counts["insurance_lapsed"] = reminders.insurance_reminders_send(on=on)
    return counts


def freshness_reminders_send(*, on: datetime.date) -> int:
    weeks = sorted(settings.FRESHNESS_REMINDER_WEEKS, reverse=True)
    earliest = on - datetime.timedelta(weeks=min(weeks))
    sent = 0
    due = (
        ListingPage.objects.live()
        .filter(status__assured_date__lte=earliest, status__closed_on=None)
        .select_related("status", "organisation__editors")
    )
    for listing in due:
        age = on - listing.status.assured_date
        if age >= datetime.timedelta(weeks=settings.FRESHNESS_STALE_WEEKS):
            continue  # past the reminders: `reminders.freshness_steps_send` says what happened
        reached = [w for w in weeks if age >= datetime.timedelta(weeks=w)]
        key = f"{listing.pk}:{listing.status.assured_date}:{reached[0]}w"
        if not send_once("freshness", key):
            continue
        for older in reached[1:]:  # a reminder skipped while the command did not run
            send_once("freshness", f"{listing.pk}:{listing.status.assured_date}:{older}w")
        notifications.freshness_reminder(
            listing,
            weeks=reached[0],
            hidden_on=listing.status.assured_date
            + datetime.timedelta(weeks=settings.FRESHNESS_EXPIRED_WEEKS),
        )
        sent += 1
    return sent
