"""Public views. Thin: they validate input and call services."""

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.throttle import account_of, hit, too_many_tries

from . import reports, services
from .choices import ApplicationStatus
from .forms import ProviderApplicationForm, ReportProblemForm
from .selectors import public_listings


def get_public_listing(listing_id: int):
    listing = public_listings().filter(pk=listing_id).first()
    if listing is None:
        raise Http404("No such listing")
    return listing


@require_http_methods(["GET", "POST"])
def report_problem(request, listing_id: int):
    listing = get_public_listing(listing_id)
    form = ReportProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = account_of(request, form.cleaned_data["reply_email"])
        if throttled := hit("report_problem", request=request, account=account):
            context = {"listing": listing, "form": form}
            return too_many_tries(request, "directory/report_problem.html", context, throttled)
        report = reports.listing_report_create(listing=listing, **form.cleaned_data)
        sent = "directory:concern_sent" if report.safeguarding else "directory:report_sent"
        return redirect(sent, listing_id=listing.pk)
    return render(request, "directory/report_problem.html", {"listing": listing, "form": form})


def report_sent(request, listing_id: int, safety: bool = False):
    return render(
        request,
        "directory/report_sent.html",
        {"listing": get_public_listing(listing_id), "safety": safety},
    )


@require_http_methods(["GET", "POST"])
def confirm_listing(request, token: str):
    """The link in a freshness reminder. GET shows one button (so email link scanners
    cannot confirm by following it); POST confirms."""
    try:
        listing = services.listing_from_confirmation_token(token)
    except signing.SignatureExpired:
        return render(request, "directory/confirm_listing.html", {"problem": "expired"}, status=410)
    except (signing.BadSignature, services.ListingPage.DoesNotExist):
        return render(request, "directory/confirm_listing.html", {"problem": "invalid"}, status=404)
    if request.method == "POST":
        status = services.listing_confirm_accuracy(listing=listing, via_token=True)
        return render(
            request,
            "directory/confirm_listing.html",
            {"listing": listing, "confirmed": True, "status": status},
        )
    return render(request, "directory/confirm_listing.html", {"listing": listing})


@require_http_methods(["GET", "POST"])
def apply(request):
    form = ProviderApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = account_of(request, form.cleaned_data["email"])
        if throttled := hit("provider_application", request=request, account=account):
            return too_many_tries(request, "directory/apply.html", {"form": form}, throttled)
        try:
            services.provider_application_submit(**form.cleaned_data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("directory:apply_sent")
    return render(request, "directory/apply.html", {"form": form})


def apply_sent(request):
    return render(request, "directory/apply_sent.html")


@require_http_methods(["GET", "POST"])
def application_confirm(request, token: str):
    """GET shows a button; only the POST confirms, so an email scanner following the link
    cannot confirm an address for someone."""
    confirm = request.method == "POST"
    try:
        if confirm:
            application = services.provider_application_confirm_email(token=token)
        else:
            application = services.provider_application_for_token(token=token)
    except signing.SignatureExpired:
        return render(
            request, "directory/application_confirmed.html", {"problem": "expired"}, status=410
        )
    except (signing.BadSignature, services.ProviderApplication.DoesNotExist):
        return render(
            request, "directory/application_confirmed.html", {"problem": "invalid"}, status=404
        )
    waiting = application.status == ApplicationStatus.AWAITING_EMAIL
    return render(
        request,
        "directory/application_confirmed.html",
        {"application": application, "ask": waiting and not confirm},
    )
