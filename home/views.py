import posixpath
from urllib.parse import unquote

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.static import serve


def accessibility(request):
    return render(request, "home/accessibility.html")


def privacy(request):
    return render(request, "home/privacy.html")


def cookies(request):
    return render(request, "home/cookies.html")


def public_media(request, path: str):
    """Uploaded files, under `make run` only (DEBUG): never those whose own view decides who
    may see them (PRIVATE_MEDIA_PREFIXES, e.g. the young auditors' review photos)."""
    # As `serve` will read it ("images/../kitemark/x.jpg" is "kitemark/x.jpg").
    normalised = posixpath.normpath(unquote(path)).lstrip("/")
    if normalised.startswith(tuple(settings.PRIVATE_MEDIA_PREFIXES)) or normalised.startswith(".."):
        raise Http404("Not here")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
