"""Public kitemark pages (the register, what young people said, the standards) and the young
auditors' area. Thin: they validate input and call services.

The auditor area is mobile-first and easy read: one standard per page, big buttons, symbols
beside words, and every answer is saved as soon as it is sent.
"""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from core.access import public_login_required
from directory.models import visibility_q

from . import permissions, privacy, services
from .choices import OPEN, RATING_SYMBOLS, AuditStatus, Rating, Theme
from .forms import AnswerForm
from .models import Answer, Assignment, Audit, StandardSet

PAGE_SIZE = 50


# --- Public -------------------------------------------------------------------------------------


def public_awards():
    """Current awards of listings a family may see."""
    return (
        Audit.objects.current_awards()
        .filter(listing__live=True, listing__status__isnull=False)
        .filter(visibility_q(prefix="listing__status__"))
        .select_related("listing")
    )


def register(request):
    awards = public_awards().order_by("listing__title")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        awards = awards.filter(
            Q(listing__title__icontains=query) | Q(listing__town__icontains=query)
        )
    page = Paginator(awards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "kitemark/register.html",
        {"page_obj": page, "awards": page.object_list, "query": query},
    )


def award_detail(request, audit_id: int):
    audit = public_awards().select_related("standard_set").filter(pk=audit_id).first()
    if audit is None:
        raise Http404("No current kitemark")
    answers = Answer.objects.filter(assignment__audit=audit).select_related("standard")
    themes: dict[str, dict] = {}
    for answer in answers:
        theme = themes.setdefault(
            answer.standard.theme, {"label": Theme(answer.standard.theme).label, "yes": 0, "all": 0}
        )
        theme["all"] += 1
        theme["yes"] += answer.rating == Rating.YES
    quotes = [a for a in answers if a.quote_published and a.comment]
    return render(
        request,
        "kitemark/award.html",
        {
            "audit": audit,
            "listing": audit.listing,
            "themes": sorted(themes.values(), key=lambda t: t["label"]),
            "quotes": quotes,
            "auditors": audit.assignments.count(),
        },
    )


def standards(request):
    standard_set = StandardSet.objects.current()
    return render(
        request,
        "kitemark/standards.html",
        {
            "standard_set": standard_set,
            "standards": standard_set.standards.select_related("symbol") if standard_set else [],
        },
    )


# --- The auditor area --------------------------------------------------------------------------


# Young auditors are sent to their own easy-read sign-in page (home/accounts.py).
auditor_login_required = login_required(login_url=reverse_lazy("account:auditor_sign_in"))


def auditor_required(view):
    """Signed in on the public site, in the Young auditors group, with an active profile."""

    @auditor_login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        profile = permissions.auditor_profile(request.user)
        if profile is None:
            raise PermissionDenied
        request.auditor = profile
        return view(request, *args, **kwargs)

    return wrapped


def own_assignment(request, assignment_id: int) -> Assignment:
    try:
        return services.assignment_for(request.user, assignment_id)
    except Assignment.DoesNotExist:
        raise Http404("No such review") from None


@auditor_required
def auditor_home(request):
    assignments = (
        Assignment.objects.filter(auditor=request.auditor)
        .select_related("audit__listing")
        .annotate(answered=Count("answers"))
        .order_by("-audit__visit_date", "-pk")
    )
    to_do = [a for a in assignments if a.submitted_at is None and a.audit.status in OPEN]
    done = [a for a in assignments if a not in to_do]
    return render(
        request,
        "kitemark/auditor/home.html",
        {"to_do": to_do, "done": done, "profile": request.auditor},
    )


def review_context(assignment: Assignment) -> dict:
    audit = assignment.audit
    standard_list = list(audit.standard_set.standards.select_related("symbol"))
    answers = {a.standard_id: a for a in assignment.answers.all()}
    rows = [{"standard": s, "answer": answers.get(s.pk)} for s in standard_list]
    next_row = next((r for r in rows if r["answer"] is None), None)
    return {
        "assignment": assignment,
        "audit": audit,
        "listing": audit.listing,
        "rows": rows,
        "answered": len(answers),
        "total": len(standard_list),
        "next_standard": next_row["standard"] if next_row else None,
        "can_answer": assignment.submitted_at is None
        and audit.status in services.REVIEWABLE
        and not (audit.visit_date and audit.visit_date > services.today()),
        "symbols": RATING_SYMBOLS,
    }


@auditor_required
def review(request, assignment_id: int):
    assignment = own_assignment(request, assignment_id)
    return render(request, "kitemark/auditor/review.html", review_context(assignment))


@auditor_required
@require_http_methods(["GET", "POST"])
def review_standard(request, assignment_id: int, number: int):
    assignment = own_assignment(request, assignment_id)
    context = review_context(assignment)
    standards_by_number = {r["standard"].number: r for r in context["rows"]}
    row = standards_by_number.get(number)
    if row is None:
        raise Http404("No such standard")
    if not context["can_answer"]:
        return redirect("kitemark:review", assignment.pk)
    answer = row["answer"]
    initial = {"rating": answer.rating, "comment": answer.comment} if answer else {}
    posted = request.method == "POST"
    form = AnswerForm(
        request.POST if posted else None, request.FILES if posted else None, initial=initial
    )
    if posted and form.is_valid():
        try:
            services.answer_save(
                user=request.user,
                assignment=assignment,
                standard=row["standard"],
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                photo=form.cleaned_data["photo"],
                photo_people_confirmed=form.cleaned_data["photo_people_confirmed"],
                remove_photo=form.cleaned_data["remove_photo"],
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            numbers = sorted(standards_by_number)
            later = [n for n in numbers if n > number]
            if later and request.POST.get("then") != "check":
                return redirect("kitemark:review_standard", assignment.pk, later[0])
            return redirect("kitemark:review_check", assignment.pk)
    numbers = sorted(standards_by_number)
    position = numbers.index(number)
    return render(
        request,
        "kitemark/auditor/standard.html",
        {
            **context,
            "form": form,
            "standard": row["standard"],
            "answer": answer,
            "position": position + 1,
            "previous_number": numbers[position - 1] if position else None,
            "rating_choices": AnswerForm.choices_for_template(),
            "selected_rating": form["rating"].value(),
        },
    )


@auditor_required
@require_http_methods(["GET", "POST"])
def review_check(request, assignment_id: int):
    assignment = own_assignment(request, assignment_id)
    error = ""
    if request.method == "POST":
        try:
            services.review_submit(user=request.user, assignment=assignment)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, "Thank you. Your review has been sent to the panel.")
            return redirect("kitemark:auditor_home")
    return render(
        request, "kitemark/auditor/check.html", {**review_context(assignment), "error": error}
    )


@public_login_required
def photo(request, answer_id: int):
    """A review photo: only for the auditor who took it and the coordinator. Never public."""
    answer = Answer.objects.select_related("assignment").filter(pk=answer_id).first()
    if answer is None or not answer.photo:
        raise Http404("No such photo")
    if not (
        permissions.is_coordinator(request.user)
        or permissions.can_open_assignment(request.user, answer.assignment)
    ):
        raise Http404("No such photo")
    response = FileResponse(answer.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response


def data_download(data: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-kitemark-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@auditor_required
def my_data(request):
    return data_download(privacy.auditor_export(user=request.user, profile=request.auditor))


@auditor_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = "Select yes to delete your account, or go back"
        else:
            privacy.auditor_erase(user=request.user, profile=request.auditor, reason="they asked")
            logout(request)
            messages.success(request, "Your account and your information have been deleted.")
            return redirect("/")
    return render(request, "kitemark/auditor/delete_account.html", {"error": error})


def account_panel(request):
    """The auditor's panel on their account page."""
    if not permissions.is_young_auditor(request.user):
        return None
    waiting = Assignment.objects.filter(
        auditor__user=request.user, submitted_at__isnull=True, audit__status__in=OPEN
    ).count()
    return {
        "title": "Kitemark visits",
        "links": [
            (
                f"Your kitemark visits ({waiting} to do)" if waiting else "Your kitemark visits",
                reverse("kitemark:auditor_home"),
            ),
            ("Download everything we hold about you", reverse("kitemark:my_data")),
            ("Delete your account", reverse("kitemark:delete_account")),
        ],
    }


__all__ = ["AuditStatus"]
