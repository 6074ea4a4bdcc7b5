"""Writes a demo plan: organisations through the directory's services, each listing published
once (with its revision, as a provider's would be), fictional DBS checks, the demo accounts linked
to their organisations, then the kitemark and brokerage demos. Nothing is emailed."""

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from core.dates import add_months, today
from core.indexing import index_pages, index_updates_deferred
from directory import services
from directory.choices import DBSReview
from directory.models import (
    AccessFeature,
    DBSCheck,
    FundingRoute,
    Language,
    ListingStatus,
    Need,
    Organisation,
    ProviderPage,
    ServiceType,
    Skill,
    StaffMember,
    Weekday,
)
from gazetteer.models import LocalAuthority

from .accounts import ensure_accounts
from .brokerage import seed_brokerage_demo
from .demand import seed_unmet_demand
from .kitemark import seed_kitemark_demo
from .plans import OrgPlan, StaffPlan
from .statement import seed_statement_demo
from .states import seed_listing_states


def dbs_check_for(
    staff: StaffPlan, person: StaffMember, rng, submitter, verifier
) -> DBSCheck | None:
    """A fictional check whose dates give the planned badge today."""
    if staff.dbs == "none":
        return None
    now = today()
    grace = settings.DBS_LAPSE_GRACE_DAYS
    update = staff.update_service
    last_check = None
    if staff.dbs in ("verified", "self_declared"):
        issue = now - datetime.timedelta(
            days=rng.randint(5, 60) if staff.dbs == "self_declared" else rng.randint(30, 900)
        )
        if update:
            last_check = max(issue, now - datetime.timedelta(days=rng.randint(0, 300)))
        next_due = DBSCheck.default_next_due(issue, update, last_check)
    else:
        if staff.dbs == "due_soon":
            next_due = now + datetime.timedelta(
                days=rng.randint(3, max(3, settings.DBS_REMINDER_DAYS - 2))
            )
        elif staff.dbs == "lapsed_grace":
            next_due = now - datetime.timedelta(days=rng.randint(1, max(1, grace - 3)))
        else:  # lapsed_hidden
            next_due = now - datetime.timedelta(days=rng.randint(grace + 5, grace + 120))
        months = settings.DBS_UPDATE_SERVICE_CHECK_MONTHS if update else settings.DBS_RECHECK_MONTHS
        base = add_months(next_due, -months)
        if update:
            last_check = base
            issue = add_months(base, -rng.randint(12, 30))
        else:
            issue = base
    submitted = timezone.make_aware(
        datetime.datetime.combine(
            issue + datetime.timedelta(days=rng.randint(1, 4)), datetime.time(9, 30)
        )
    )
    submitted = min(submitted, timezone.now())
    verified = None
    if staff.dbs != "self_declared":
        verified = min(submitted + datetime.timedelta(days=rng.randint(1, 6)), timezone.now())
    return DBSCheck(
        person=person,
        level=staff.level,
        certificate_number=f"99{rng.randrange(10**10):010d}",
        issue_date=issue,
        update_service=update,
        last_status_check=last_check,
        next_due_date=next_due,
        submitted_by=submitter,
        submitted_at=submitted,
        verified_by=verifier if verified else None,
        verified_at=verified,
        review=DBSReview.VERIFIED if verified else DBSReview.SUBMITTED,
    )


DEMO_QUERIES = (
    "The issue date you gave is not the one printed on the certificate. Please check it and "
    "send the date from the certificate.",
    "The level you chose does not say whether the children's barred list was checked. Which "
    "level does the certificate show?",
    "The name on the certificate is spelt differently from the name you gave us. Please send "
    "the name as it appears on the certificate.",
)


def query_some(checks: list[DBSCheck]) -> None:
    """One in four checks waiting for the council has been queried instead (at least one, so
    the demo shows a provider what the council asked for). No randomness: the seeded stream
    the rest of the demo draws from stays as it was."""
    waiting = [c for c in checks if c.review == DBSReview.SUBMITTED]
    for n, check in enumerate(waiting[::4]):
        check.review = DBSReview.QUERIED
        check.review_note = DEMO_QUERIES[n % len(DEMO_QUERIES)]


class Seeder:
    """Writes a plan: organisations through the services, pages published once each."""

    def __init__(self, *, directory, users, seed: int, total: int, write: Callable[[str], None]):
        self.write = write
        self.directory = directory
        self.users = users
        self.rng = random.Random(f"{seed}:dbs")  # noqa: S311 (demo data, not secrets)
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.created_orgs: list[Organisation] = []
        self.skipped_orgs = 0
        self.checks: list[DBSCheck] = []
        self.assured: dict[int, list[int]] = defaultdict(list)  # days ago -> listing ids
        self.pages: dict[type, list[int]] = defaultdict(list)
        self.relations = {
            "service_types": {t.slug: t for t in ServiceType.objects.all()},
            "needs": {t.slug: t for t in Need.objects.all()},
            "skills": {t.slug: t for t in Skill.objects.all()},
            "access_features": {t.slug: t for t in AccessFeature.objects.all()},
            "languages": {t.slug: t for t in Language.objects.all()},
            "funding_accepted": {t.slug: t for t in FundingRoute.objects.all()},
            "days": {d.id: d for d in Weekday.objects.all()},
            "served_local_authorities": {la.code: la for la in LocalAuthority.objects.all()},
        }

    def apply(self, plans: list[OrgPlan]) -> None:
        # By name: a personal assistant's web address holds only their public name ("amy-n").
        existing = set(
            Organisation.objects.filter(name__in=[p.name for p in plans]).values_list(
                "name", flat=True
            )
        )
        for plan in plans:
            if plan.name in existing:
                self.skipped_orgs += 1
                continue
            self.create(plan)
        self.link_demo_accounts(plans)
        query_some(self.checks)
        DBSCheck.objects.bulk_create(self.checks, batch_size=500)
        for organisation in self.created_orgs:
            services.organisation_refresh_safeguarding(organisation=organisation)
        self.set_assured_dates()
        self.index()

    def create(self, plan: OrgPlan) -> None:
        organisation = services.organisation_create(
            name=plan.name,
            kind=plan.kind,
            directory=self.directory,
            about=plan.about,
            **plan.fields,
        )
        self.created_orgs.append(organisation)
        parent = ProviderPage.objects.get(organisation=organisation)
        self.pages[ProviderPage].append(parent.pk)
        commissioner = self.users["demo-commissioner"]
        submitter = self.users.get(plan.demo_account, commissioner)
        staff = []
        for person_plan in plan.staff:
            person = StaffMember.objects.create(
                organisation=organisation,
                full_name=person_plan.full_name,
                role=person_plan.role,
                works_with_children=person_plan.works_with_children,
            )
            staff.append(person)
            check = dbs_check_for(person_plan, person, self.rng, submitter, commissioner)
            if check is not None:
                self.checks.append(check)
        for listing in plan.listings:
            relations = {
                name: [self.relations[name][key] for key in keys if key in self.relations[name]]
                for name, keys in listing.taxonomy.items()
            }
            fields = dict(listing.fields)
            if listing.staff_index is not None:
                fields["staff_member"] = staff[listing.staff_index]
            page = listing.model(live=False, organisation=organisation, **fields)
            parent.add_child(instance=page)  # full_clean: the gazetteer sets the coordinates
            # Relations go into the revision and are written once, when it is published.
            for name, values in relations.items():
                setattr(page, name, values)
            page.save_revision(clean=False).publish()
            self.pages[listing.model].append(page.pk)
            self.assured[listing.assured_days_ago].append(page.pk)
            self.progress()

    def progress(self) -> None:
        self.done += 1
        step = max(10, self.total // 10)
        if self.done % step == 0 or self.done == self.total:
            self.write(
                f"  {self.done:,}/{self.total:,} listings ({time.monotonic() - self.started:.0f}s)"
            )

    def link_demo_accounts(self, plans: list[OrgPlan]) -> None:
        """The provider account edits its organisation's listings; the PA account is the PA."""
        for plan in plans:
            if not plan.demo_account:
                continue
            user = self.users[plan.demo_account]
            organisation = Organisation.objects.filter(name=plan.name).first()
            if organisation is None or organisation.editors is None:
                continue
            services.organisation_add_editor(organisation=organisation, user=user)
            person = organisation.staff.filter(full_name=plan.staff[0].full_name).first()
            if person and person.user_id is None:
                person.user = user
                person.save(update_fields=["user"])

    def set_assured_dates(self) -> None:
        """As if each listing was last confirmed some days ago (a few weeks or months)."""
        now = timezone.now()
        for days_ago, ids in self.assured.items():
            when = now - datetime.timedelta(days=days_ago)
            ListingStatus.objects.filter(listing_id__in=ids).update(
                assured_date=today() - datetime.timedelta(days=days_ago)
            )
            Page.objects.filter(pk__in=ids).update(
                first_published_at=when, last_published_at=when, latest_revision_created_at=when
            )

    def index(self) -> None:
        """Add the new pages to the search index and the reference index, once each."""
        index_pages(self.pages)


def write_demo(
    plans: list[OrgPlan], *, directory, seed: int, total: int, write: Callable[[str], None]
) -> tuple["Seeder", int]:
    """Write `plans` in one transaction; returns the seeder (what it made) and how many demo
    accounts were created."""
    pa_plan = next((p for p in plans if p.demo_account == "demo-pa"), None)
    with transaction.atomic(), index_updates_deferred():
        users, accounts_created = ensure_accounts(pa_plan.staff[0].full_name if pa_plan else "")
        seeder = Seeder(directory=directory, users=users, seed=seed, total=total, write=write)
        seeder.apply(plans)
        seed_kitemark_demo(users=users)  # audits in several states, two or more awarded
        seed_brokerage_demo(users=users)  # requests queued and with offers; a broker ready
        seed_statement_demo()  # the council's Short Breaks Services Statement, published
        seed_unmet_demand(seed)  # six months of what families could not find
        seed_listing_states(users=users)  # paused, closed; freshness emails on record
    return seeder, accounts_created
