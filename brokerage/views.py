"""The family's side, on the public site: ask for support one question at a time, check the
answers, follow the request, compare offers and choose, confirm the agreement, download or
delete everything held about them. Signed-in families only; a family sees only its own."""

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import group_required
from core.roles import FAMILIES

from . import privacy, services
from .answers import answer_rows
from .choices import CLOSED_STATUSES, OfferStatus, Requester, Status
from .forms import STEP_FORMS, STEP_NAMES, AgeForm
from .models import SupportRequest
from .timeline import family_timeline

family_required = group_required(FAMILIES)


def own(request, pk: int) -> SupportRequest:
    return get_object_or_404(SupportRequest, pk=pk, family=request.user)


DOUBLE_PRESS = datetime.timedelta(seconds=10)


def own_draft(request, pk: int) -> SupportRequest:
    found = own(request, pk)
    if found.status != Status.DRAFT:
        raise Http404("This request has been sent")
    return found


@family_required
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "POST":
        # "Start a new request" pressed twice within seconds (a double-click, a slow
        # connection) carries on with the draft the first press made, rather than a second.
        just_started = (
            SupportRequest.objects.of_family(request.user)
            .filter(status=Status.DRAFT, created_at__gte=timezone.now() - DOUBLE_PRESS)
            .order_by("-pk")
            .first()
        )
        draft = just_started or services.draft_create(user=request.user)
        if draft.age is not None:  # filled in from their last request
            messages.success(request, "We have filled in your answers from last time.")
            return redirect("brokerage:check", draft.pk)
        return redirect("brokerage:step", draft.pk, steps_for(request.user)[0])
    requests = SupportRequest.objects.of_family(request.user)
    return render(
        request,
        "brokerage/family/index.html",
        {
            "drafts": requests.filter(status=Status.DRAFT),
            "current": requests.exclude(status__in=[Status.DRAFT, *CLOSED_STATUSES]),
            "closed": requests.filter(status__in=CLOSED_STATUSES),
        },
    )


def steps_for(user) -> list[str]:
    """The questions this family is asked: not "who is asking" when their account says."""
    if services.requester_from_account(user):
        return [name for name in STEP_NAMES if name != "who"]
    return STEP_NAMES


def next_step(name: str, steps: list[str]) -> str:
    index = steps.index(name)
    return steps[index + 1] if index + 1 < len(steps) else ""


@family_required
@require_http_methods(["GET", "POST"])
def step(request, pk: int, name: str):
    if name not in STEP_FORMS:
        raise Http404("No such question")
    draft = own_draft(request, pk)
    steps = steps_for(request.user)
    if name not in steps:  # "who is asking": the account already said
        return redirect("brokerage:step", draft.pk, steps[0])
    form_class = STEP_FORMS[name]
    kwargs = {"requester": draft.requester} if form_class is AgeForm else {}
    returning = request.GET.get("return") == "check" or request.POST.get("return") == "check"
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.draft_save(user=request.user, request=draft, values=form.values())
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                following = next_step(name, steps)
                if returning or not following:
                    return redirect("brokerage:check", draft.pk)
                return redirect("brokerage:step", draft.pk, following)
    else:
        form = form_class(initial=form_class.load(draft), **kwargs)
    index = steps.index(name)
    back = (
        reverse("brokerage:check", args=[draft.pk])
        if returning
        else (
            reverse("brokerage:step", args=[draft.pk, steps[index - 1]])
            if index
            else reverse("brokerage:index")
        )
    )
    return render(
        request,
        "brokerage/family/step.html",
        {
            "form": form,
            "draft": draft,
            "name": name,
            "back": back,
            "returning": returning,
            "number": index + 1,
            "total": len(steps),
            "title": form.title,
        },
    )


@family_required
@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    if request.method == "POST" and own(request, pk).status != Status.DRAFT:
        # "Send" pressed twice (a double-click, a slow connection): the first press sent it.
        return redirect("brokerage:sent", pk)
    draft = own_draft(request, pk)
    errors = []
    if request.method == "POST":
        try:
            services.request_submit(user=request.user, request=draft)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("brokerage:sent", draft.pk)
    missing = services.missing_answers(draft)
    return render(
        request,
        "brokerage/family/check.html",
        {
            "draft": draft,
            "rows": answer_rows(draft),
            "from_account": {"who"} if "who" not in steps_for(request.user) else set(),
            "missing": missing,
            "errors": errors,
            "young_person": draft.requester == Requester.YOUNG_PERSON,
        },
    )


@family_required
def sent(request, pk: int):
    found = own(request, pk)
    days = settings.BROKERAGE_FIRST_CONTACT_WORKING_DAYS
    return render(request, "brokerage/family/sent.html", {"found": found, "days": days})


@family_required
def detail(request, pk: int):
    found = own(request, pk)
    if found.status == Status.DRAFT:
        return redirect("brokerage:check", found.pk)
    offers = found.offers.filter(status__in=[OfferStatus.ACCEPTED, OfferStatus.CHOSEN])
    agreement = getattr(found, "agreement", None)
    chosen = offers.filter(status=OfferStatus.CHOSEN).select_related("listing").first()
    has_care_notes = bool(services.care_notes(found))
    return render(
        request,
        "brokerage/family/detail.html",
        {
            "found": found,
            "offers": offers.select_related("listing", "organisation"),
            "choosing": found.status == Status.CHOOSING,
            "has_care_notes": has_care_notes,
            "can_share_care_notes": bool(
                has_care_notes
                and chosen
                and found.status in services.CARE_NOTES_STATUSES
                and not chosen.shares.filter(care_notes=True).exists()
            ),
            "chosen": chosen,
            "agreement": agreement,
            "can_confirm": bool(
                agreement
                and found.status == Status.AGREEING
                and agreement.family_confirmed_at is None
            ),
            "timeline": family_timeline(found),
            "shares": found.shares.select_related("organisation"),
            "can_withdraw": found.status not in CLOSED_STATUSES,
            "rows": answer_rows(found),
        },
    )


def refused(request, found, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect("brokerage:detail", found.pk)


@family_required
@require_http_methods(["GET", "POST"])
def choose(request, pk: int, offer_pk: int):
    """Choosing an offer shares the family's contact details with that provider, so a page
    first says exactly what goes to whom; nothing is shared until they confirm."""
    found = own(request, pk)
    offer = get_object_or_404(found.offers.select_related("listing", "organisation"), pk=offer_pk)
    if offer.status == OfferStatus.CHOSEN:
        # "Confirm" pressed twice (a double-click, a slow connection): the first press chose.
        messages.success(request, f"You have chosen {offer.listing.title}.")
        return redirect("brokerage:detail", found.pk)
    if found.status != Status.CHOOSING or offer.status != OfferStatus.ACCEPTED:
        messages.error(request, "This offer can no longer be chosen. Nothing was shared.")
        return redirect("brokerage:detail", found.pk)
    share_notes = request.POST.get("share_care_notes", request.GET.get("share_care_notes"))
    share_notes = share_notes == "yes"
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.offer_choose(
                user=request.user,
                offer=offer,
                expected_status=request.POST.get("expected_status"),
                share_care_notes=share_notes,
            )
        except ValidationError as error:
            return refused(request, found, error)
        shared = offer.shares.filter(care_notes=True).exists()
        messages.success(
            request,
            f"You chose {offer.listing.title}. We have shared your contact details"
            + (", and your notes on communication, care and behaviour," if shared else "")
            + " with them, and your broker will write up the agreement.",
        )
        return redirect("brokerage:detail", found.pk)
    care = services.care_notes(found)
    return render(
        request,
        "brokerage/family/choose.html",
        {
            "found": found,
            "offer": offer,
            "contact": [
                ("Your name", found.contact_name or "Not given"),
                ("Your email address", request.user.email),
                ("Your phone number", found.contact_phone or "Not given"),
            ],
            "care": care,
            "share_notes": share_notes and bool(care),
        },
    )


@family_required
@require_POST
def share_care_notes(request, pk: int):
    found = own(request, pk)
    try:
        share = services.care_notes_share(user=request.user, request=found)
    except ValidationError as error:
        return refused(request, found, error)
    messages.success(
        request,
        f"We have shared your notes on communication, care and behaviour with "
        f"{share.offer.listing.title if share.offer else share.organisation.name}.",
    )
    return redirect("brokerage:detail", found.pk)


@family_required
@require_POST
def refuse_all(request, pk: int):
    found = own(request, pk)
    try:
        services.offers_refuse_all(
            user=request.user, request=found, expected_status=request.POST.get("expected_status")
        )
    except ValidationError as error:
        return refused(request, found, error)
    messages.success(request, "Your broker will look again.")
    return redirect("brokerage:detail", found.pk)


@family_required
@require_POST
def confirm_agreement(request, pk: int):
    found = own(request, pk)
    agreement = getattr(found, "agreement", None)
    if agreement is None:
        raise Http404("No agreement yet")
    try:
        services.agreement_confirm(user=request.user, agreement=agreement)
    except ValidationError as error:
        return refused(request, found, error)
    messages.success(request, "Thank you. You have confirmed the agreement.")
    return redirect("brokerage:detail", found.pk)


@family_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    found = own(request, pk)
    if request.method == "POST":
        try:
            if found.status == Status.DRAFT:
                privacy.draft_discard(user=request.user, request=found)
            else:
                services.request_withdraw(
                    user=request.user,
                    request=found,
                    expected_status=request.POST.get("expected_status") or None,
                )
        except ValidationError as error:
            return refused(request, found, error)
        messages.success(request, "Your request has been withdrawn.")
        return redirect("brokerage:index")
    return render(request, "brokerage/family/withdraw.html", {"found": found})


@family_required
def my_data(request):
    data = privacy.family_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-short-breaks-data.json"'
    return response


@family_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = "Select yes to delete your account, or go back"
        else:
            privacy.family_delete(user=request.user)
            logout(request)
            messages.success(request, "Your account and your information have been deleted.")
            return redirect("/")
    return render(request, "brokerage/family/delete_account.html", {"error": error})
