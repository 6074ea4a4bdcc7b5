"""Panels on a person's account page, contributed by the apps that have something for them.

An app registers `func` in its `AppConfig.ready()`; `func(request)` returns
`{"title": ..., "text": ..., "links": [(text, url), ...]}`, or None when it has nothing for
this person. The account page (home) shows them; the apps never import the site's pages."""

from collections.abc import Callable

_panels: list[Callable] = []


def register_account_panel(func: Callable) -> Callable:
    if func not in _panels:
        _panels.append(func)
    return func


def account_panels(request) -> list[dict]:
    return [panel for panel in (func(request) for func in _panels) if panel]
