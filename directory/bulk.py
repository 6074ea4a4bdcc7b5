"""Many published listings, fast, for benchmarks: `create_listings(100_000)`.

Publishing through Wagtail costs about 40 ms a listing (a revision, signals, tree updates),
so 100,000 listings would take over an hour. This writes the same rows directly: the page
tree paths, each kind's tables, the taxonomy links and the listing's status side table, in
batches. Listings are spread over England's real postcodes, sampled from the gazetteer, so
their density follows where people live, as real providers' do.

For benchmarks only. The result is a live directory a family could search, but nothing here
goes through moderation, revisions or the search engine's signals: rebuild the engine index
afterwards (`manage.py rebuild_search_index`).
"""

import datetime
import random
import uuid
from collections.abc import Callable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from core.dates import today
from gazetteer.lookup import district_centres
from gazetteer.models import LocalAuthority, Postcode

from . import rules
from .choices import CapacityUnit, CostUnit, DBSLevel, DBSStatus, ListingKind, OrganisationKind
from .models import (
    LISTING_MODELS,
    AccessFeature,
    FundingRoute,
    Language,
    ListingPage,
    ListingStatus,
    Need,
    ProviderPage,
    ServiceType,
    Skill,
)
from .services import organisation_create

BATCH = 1000
LISTINGS_PER_PROVIDER = 2000
KIND_SHARE = {
    ListingKind.SHORT_BREAK: 0.45,
    ListingKind.PERSONAL_ASSISTANT: 0.35,
    ListingKind.INCLUSIVE_CLUB: 0.20,
}
WORDS = {
    ListingKind.SHORT_BREAK: ("Play scheme", "Holiday club", "Saturday club", "Short breaks"),
    ListingKind.PERSONAL_ASSISTANT: ("Personal assistant", "PA support", "Care and support"),
    ListingKind.INCLUSIVE_CLUB: ("Youth club", "Swimming club", "Drama group", "Football club"),
}
SUMMARIES = (
    "Fun activities for disabled children and young people, with trained staff.",
    "Support at home and out and about, at a pace that suits your child.",
    "An inclusive club where everyone joins in, with extra help when needed.",
    "Friendly short breaks so families get a rest and children have fun.",
)


def sample_postcodes(rng: random.Random, count: int) -> list[tuple]:
    """`count` live postcodes, uniformly at random from the gazetteer, with repeats allowed
    (several services can share a postcode, as they do in town centres)."""
    low = Postcode.objects.order_by("pk").values_list("pk", flat=True).first()
    high = Postcode.objects.order_by("-pk").values_list("pk", flat=True).first()
    if low is None:
        raise ValueError("The gazetteer is empty: run manage.py load_gazetteer first")
    found: list[tuple] = []
    fields = ("postcode", "outcode", "latitude", "longitude", "local_authority_code")
    while len(found) < count:
        wanted = [rng.randint(low, high) for _ in range(min(20_000, (count - len(found)) * 2))]
        rows = Postcode.objects.filter(pk__in=wanted).values_list(*fields)
        found.extend(rows[: count - len(found)])
    rng.shuffle(found)
    return found


def bench_providers(count: int) -> list[ProviderPage]:
    """Enough bench providers to hold `count` listings, creating those that are missing."""

    needed = max(1, -(-count // LISTINGS_PER_PROVIDER))
    providers = list(
        ProviderPage.objects.filter(organisation__name__startswith="Bench provider ").order_by(
            "path"
        )
    )
    for number in range(len(providers) + 1, needed + 1):
        organisation = organisation_create(
            name=f"Bench provider {number}", kind=OrganisationKind.CHARITY
        )
        providers.append(ProviderPage.objects.get(organisation=organisation))
    return providers


def create_listings(
    count: int, *, seed: int = 1, progress: Callable[[int, int], None] | None = None
) -> int:
    """Add `count` published, searchable listings. Returns how many were made."""
    rng = random.Random(seed)  # noqa: S311 (benchmark data, not secrets)
    providers = bench_providers(count)
    places = sample_postcodes(rng, count)
    taxonomies = {
        "service_types": list(ServiceType.objects.values_list("pk", flat=True)),
        "needs": list(Need.objects.values_list("pk", flat=True)),
        "skills": list(Skill.objects.values_list("pk", flat=True)),
        "access_features": list(AccessFeature.objects.values_list("pk", flat=True)),
        "languages": list(Language.objects.values_list("pk", flat=True)),
        "funding_accepted": list(FundingRoute.objects.values_list("pk", flat=True)),
    }
    authorities = dict(LocalAuthority.objects.values_list("code", "pk"))
    kinds = list(KIND_SHARE)
    weights = list(KIND_SHARE.values())
    made = 0
    for start in range(0, count, BATCH):
        chunk = places[start : start + BATCH]
        provider = providers[min(start // LISTINGS_PER_PROVIDER, len(providers) - 1)]
        with transaction.atomic():
            made += _create_batch(
                rng,
                provider,
                chunk,
                rng.choices(kinds, weights, k=len(chunk)),
                taxonomies,
                authorities,
            )
        if progress:
            progress(made, count)
    return made


def _create_batch(rng, provider, places, kinds, taxonomies, authorities) -> int:
    provider = ProviderPage.objects.select_for_update().get(pk=provider.pk)
    last = provider.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    on = today()
    pages, specifics = [], []
    centres = district_centres({place[1] for place in places})
    for (postcode, outcode, lat, lon, la_code), kind in zip(places, kinds, strict=True):
        step += 1
        model = LISTING_MODELS[kind]
        if rules.private_position(kind, at_venue=kind != ListingKind.PERSONAL_ASSISTANT):
            lat, lon = centres[outcode]
        title = f"{rng.choice(WORDS[kind])} {outcode} {step}"
        slug = slugify(title)
        page = Page(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=ContentType.objects.get_for_model(model),
            path=Page._get_path(provider.path, provider.depth + 1, step),
            depth=provider.depth + 1,
            numchild=0,
            url_path=f"{provider.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            locale_id=provider.locale_id,
            translation_key=uuid.uuid4(),
        )
        pages.append(page)
        specifics.append(_specific(rng, model, kind, postcode, outcode, lat, lon, la_code, on))
    Page.objects.bulk_create(pages)
    for page, listing in zip(pages, specifics, strict=True):
        listing.page_ptr_id = page.pk
        listing.listingpage_ptr_id = page.pk
        listing.organisation_id = provider.organisation_id
    _insert(ListingPage, specifics)
    for model in LISTING_MODELS.values():
        _insert(model, [listing for listing in specifics if isinstance(listing, model)])
    _link_taxonomies(rng, specifics, taxonomies, authorities)
    ListingStatus.objects.bulk_create([_status(rng, listing, on) for listing in specifics])
    provider.numchild += len(pages)
    Page.objects.filter(pk=provider.pk).update(numchild=provider.numchild)
    return len(pages)


def _insert(model, objects) -> None:
    """Insert only `model`'s own table of a multi-table page (bulk_create refuses those)."""
    if objects:
        fields = list(model._meta.local_concrete_fields)
        model._base_manager._insert(objects, fields=fields)


def _specific(rng, model, kind, postcode, outcode, lat, lon, la_code, on):
    comes = kind == ListingKind.PERSONAL_ASSISTANT or rng.random() < 0.25
    venue = kind != ListingKind.PERSONAL_ASSISTANT
    age_min = rng.choice((0, 4, 5, 8, 11, 14))
    free = rng.random() < 0.15
    listing = model(
        kind=kind,
        summary=rng.choice(SUMMARIES),
        description="",
        age_min=age_min,
        age_max=min(25, age_min + rng.choice((6, 10, 14, 18))),
        at_venue=venue,
        comes_to_family=comes,
        town="",
        postcode=postcode,
        latitude=lat,
        longitude=lon,
        postcode_district=outcode,
        local_authority_code=la_code,
        travel_radius_miles=rng.choice((5, 10, 15, 20, 30)) if comes else None,
        time_from=datetime.time(rng.choice((9, 10, 15, 16)), 0),
        time_to=datetime.time(rng.choice((17, 18, 19, 20)), 0),
        term_time=rng.random() < 0.8,
        school_holidays=rng.random() < 0.8,
        overnight=kind == ListingKind.SHORT_BREAK and rng.random() < 0.15,
        cost_amount=None if free else Decimal(rng.randrange(8, 40)),
        cost_unit=CostUnit.FREE if free else CostUnit.HOUR,
        capacity_now=rng.choice((None, 0, 1, 2, 5, 10)),
        capacity_unit=CapacityUnit.HOURS
        if kind == ListingKind.PERSONAL_ASSISTANT
        else CapacityUnit.PLACES,
    )
    listing.capacity_stated_on = on if listing.capacity_now is not None else None
    if kind == ListingKind.INCLUSIVE_CLUB:
        listing.inclusion_support = "An extra 1:1 worker and a quiet space."
    return listing


def _link_taxonomies(rng, listings, taxonomies, authorities) -> None:
    spread = {
        "service_types": (1, 2),
        "needs": (1, 5),
        "skills": (0, 4),
        "access_features": (0, 3),
        "languages": (0, 2),
        "funding_accepted": (1, 4),
    }
    for field, (low, high) in spread.items():
        choices = taxonomies[field]
        if not choices:
            continue
        through = getattr(ListingPage, field).through
        target = f"{getattr(ListingPage, field).field.related_model._meta.model_name}_id"
        rows = []
        for listing in listings:
            for pk in rng.sample(choices, min(len(choices), rng.randint(low, high))):
                rows.append(through(listingpage_id=listing.page_ptr_id, **{target: pk}))
        through.objects.bulk_create(rows)
    days = ListingPage.days.through
    rows = []
    for listing in listings:
        chosen = rng.sample(range(1, 8), rng.randint(1, 7))
        rows.extend(days(listingpage_id=listing.page_ptr_id, weekday_id=d) for d in chosen)
    days.objects.bulk_create(rows)
    served = ListingPage.served_local_authorities.through
    rows = [
        served(listingpage_id=listing.page_ptr_id, localauthority_id=authorities[code])
        for listing in listings
        if listing.comes_to_family
        and rng.random() < 0.3
        and (code := listing.local_authority_code) in authorities
    ]
    served.objects.bulk_create(rows)


def _status(rng, listing, on) -> ListingStatus:
    """Most listings current and verified; some stale, due soon or self-declared, as in life.
    A few are out of the directory (expired or DBS lapsed past grace), as search must skip."""
    roll = rng.random()
    assured = on - datetime.timedelta(days=rng.randint(0, 80))
    if roll < 0.08:
        assured = on - datetime.timedelta(weeks=rng.randint(13, 25))  # stale
    elif roll < 0.11:
        assured = on - datetime.timedelta(weeks=30)  # expired: out of the directory
    dbs = rng.random()
    status = ListingStatus(listing_id=listing.page_ptr_id, assured_date=assured)
    if dbs < 0.8:
        status.dbs_status = DBSStatus.VERIFIED
        status.dbs_level = DBSLevel.ENHANCED_CHILDREN
        status.dbs_verified_on = on - datetime.timedelta(days=rng.randint(10, 900))
        status.dbs_next_due = status.dbs_verified_on + datetime.timedelta(days=1095)
    elif dbs < 0.9:
        status.dbs_status = DBSStatus.SELF_DECLARED
    elif dbs < 0.93:
        status.dbs_status = DBSStatus.LAPSED
        status.dbs_lapsed_on = on - datetime.timedelta(days=60)
    if rng.random() < 0.05:
        status.kitemark_awarded_on = on - datetime.timedelta(days=200)
        status.kitemark_expires_on = on + datetime.timedelta(days=500)
    return status


# --- Many listings from a council's import ---------------------------------------------------


def add_listings(
    provider: ProviderPage,
    listings: list[ListingPage],
    relations: list[dict[str, list]],
    *,
    live: bool,
    user=None,
    assured: list[datetime.date | None] | None = None,
) -> list[ListingPage]:
    """Write new listings under one provider at once, as adding (and, when `live`, publishing)
    each through Wagtail would leave them: the page tree rows, each kind's table, their lists,
    a revision each (the page's latest, and its live one when published), "created" and
    "published" entries in the history, and each listing's status with its last-checked date.

    For an import of thousands of listings, where adding each through Wagtail costs about 45 ms
    (three saves, their signals and the search index each time). Listings come cleaned (their
    `full_clean` run, so the postcode's position is set), one specific model instance each;
    `relations[i]` holds listing i's many-to-many values by field name. Call in a transaction.
    Afterwards: `organisation_refresh_safeguarding`, then `core.indexing.index_pages` and
    `signals.listing_status_changed` for the search indexes (the caller does them once for all).
    """
    from wagtail.models import PageLogEntry, Revision

    if not listings:
        return []
    provider = ProviderPage.objects.select_for_update().get(pk=provider.pk)
    last = provider.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    taken = set(provider.get_children().values_list("slug", flat=True))
    now = timezone.now()
    on = today()
    page_type = ContentType.objects.get_for_model(Page)
    pages = []
    for listing in listings:
        step += 1
        base = slugify(listing.title)[:200] or "listing"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        pages.append(
            Page(
                title=listing.title,
                draft_title=listing.title,
                slug=slug,
                content_type=ContentType.objects.get_for_model(type(listing)),
                path=Page._get_path(provider.path, provider.depth + 1, step),
                depth=provider.depth + 1,
                numchild=0,
                url_path=f"{provider.url_path}{slug}/",
                live=live,
                has_unpublished_changes=not live,
                first_published_at=now if live else None,
                last_published_at=now if live else None,
                latest_revision_created_at=now,
                locale_id=provider.locale_id,
                translation_key=uuid.uuid4(),
            )
        )
    Page.objects.bulk_create(pages)
    for page, listing in zip(pages, listings, strict=True):
        for field in Page._meta.concrete_fields:
            setattr(listing, field.attname, getattr(page, field.attname))
        listing.page_ptr_id = listing.listingpage_ptr_id = page.pk
        listing.kind = listing.listing_kind
        listing.organisation_id = provider.organisation_id
        if listing.capacity_now is not None:
            listing.capacity_stated_on = on
    _insert(ListingPage, listings)
    for model in LISTING_MODELS.values():
        _insert(model, [listing for listing in listings if type(listing) is model])
    for name in {name for values in relations for name in values}:
        field = getattr(ListingPage, name)
        through = field.through
        target = f"{field.field.related_model._meta.model_name}_id"
        rows = [
            through(listingpage_id=listing.pk, **{target: value.pk})
            for listing, values in zip(listings, relations, strict=True)
            for value in values.get(name, [])
        ]
        through.objects.bulk_create(rows)
        for listing, values in zip(listings, relations, strict=True):
            setattr(listing, name, values.get(name, []))  # for the revision's content
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type_id=page.content_type_id,
                base_content_type=page_type,
                object_id=str(listing.pk),
                created_at=now,
                user=user,
                object_str=listing.title,
                content=listing.serializable_data(),
            )
            for page, listing in zip(pages, listings, strict=True)
        ]
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if live else None
    Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])
    for listing, page in zip(listings, pages, strict=True):
        listing.latest_revision_id = page.latest_revision_id
        listing.live_revision_id = page.live_revision_id
    actions = ["wagtail.create"] + (["wagtail.publish"] if live else [])
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type_id=page.content_type_id,
                page_id=page.pk,
                label=page.title,
                action=action,
                timestamp=now,
                user=user,
                revision=revision if action == "wagtail.publish" else None,
                content_changed=True,
            )
            for page, revision in zip(pages, revisions, strict=True)
            for action in actions
        ]
    )
    assured = assured or [None] * len(listings)
    ListingStatus.objects.bulk_create(
        [
            ListingStatus(listing_id=listing.pk, assured_date=min(when or on, on))
            for listing, when in zip(listings, assured, strict=True)
        ]
    )
    Page.objects.filter(pk=provider.pk).update(numchild=provider.numchild + len(pages))
    return listings


def start_moderation(listings: list[ListingPage], *, user=None) -> bool:
    """Send new listings (all under one provider page) to the council's moderators, as
    `Workflow.start` does for each: a workflow state at its first task, a task state on the
    listing's revision, and "workflow started" in its history, written at once. Wagtail's
    "submitted" signals are not sent: their emails, one a listing, are what an import holds
    back. Returns False, having done nothing, when the workflow has no task to start (the
    caller then starts each, and Wagtail finishes the workflow as it would)."""
    from wagtail.models import PageLogEntry, Task, TaskState, WorkflowState

    if not listings:
        return True
    workflow = listings[0].get_workflow()
    task = (
        Task.objects.filter(workflow_tasks__workflow=workflow, active=True)
        .order_by("workflow_tasks__sort_order")
        .first()
        if workflow is not None
        else None
    )
    if task is None:
        return False
    task = task.specific
    page_type = ContentType.objects.get_for_model(Page)
    state_type = ContentType.objects.get_for_model(task.get_task_state_class())
    states = WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                content_type_id=listing.content_type_id,
                base_content_type=page_type,
                object_id=str(listing.pk),
                workflow=workflow,
                status=WorkflowState.STATUS_IN_PROGRESS,
                requested_by=user,
            )
            for listing in listings
        ]
    )
    task_states = TaskState.objects.bulk_create(
        [
            TaskState(
                workflow_state=state,
                revision_id=listing.latest_revision_id,
                task=task,
                status=TaskState.STATUS_IN_PROGRESS,
                content_type=state_type,
            )
            for state, listing in zip(states, listings, strict=True)
        ]
    )
    for state, task_state in zip(states, task_states, strict=True):
        state.current_task_state = task_state
    WorkflowState.objects.bulk_update(states, ["current_task_state"])
    now = timezone.now()
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type_id=listing.content_type_id,
                page_id=listing.pk,
                label=listing.title,
                action="wagtail.workflow.start",
                data={
                    "workflow": {
                        "id": workflow.pk,
                        "title": workflow.name,
                        "status": state.status,
                        "next": {"id": task.pk, "title": task.name},
                        "task_state_id": task_state.pk,
                    }
                },
                timestamp=now,
                user=user,
                revision_id=listing.latest_revision_id,
            )
            for listing, state, task_state in zip(listings, states, task_states, strict=True)
        ]
    )
    return True
