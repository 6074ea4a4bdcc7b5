"""axe-core in the browser tests: WCAG 2.2 AA checked on pages as rendered, with JavaScript (maps
and charts drawn) and without (a copy of the page as the family got it)."""

import re

from .conftest import WITHOUT_JAVASCRIPT, new_context


def run_axe(page, within: str = "") -> list[dict]:
    """Run axe-core on the page (or the part `within` selects) for WCAG 2.2 AA; returns its
    violations.

    With JavaScript turned off a script tag never runs (Playwright would wait for its onload for
    ever) and neither do axe-core's timers, so axe-core reads a copy of the page as it stands,
    opened in a browser tab of its own with the page's scripts taken out and what the page showed
    in <noscript> kept: exactly what a family without JavaScript got."""
    if page.context in WITHOUT_JAVASCRIPT:
        return axe_on_a_copy(page, within)
    page.add_script_tag(url="/__e2e__/axe.min.js")
    return axe_violations(page, within)


def axe_on_a_copy(page, within: str) -> list[dict]:
    html = page.evaluate(
        """() => {
            const copy = document.documentElement.cloneNode(true);
            copy.querySelectorAll('script').forEach((script) => script.remove());
            copy.querySelectorAll('noscript').forEach((shown) => {
                const box = document.createElement('div');
                box.append(...shown.childNodes);
                shown.replaceWith(box);
            });
            return '<!DOCTYPE html>' + copy.outerHTML;
        }"""
    )
    address = page.url.split("#")[0]  # a fragment never reaches the server
    origin = re.match(r"^https?://[^/]+", address).group(0)
    context = new_context(page.context.browser, origin)
    served = []

    def the_copy(route):
        served.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    try:
        context.route(lambda url: url.split("#")[0] == address and not served, the_copy)
        copy = context.new_page()
        copy.goto(address)
        assert served, f"axe-core would have checked {address} afresh, not the page as it was"
        copy.add_script_tag(url="/__e2e__/axe.min.js")
        return axe_violations(copy, within)
    finally:
        context.close()


def axe_violations(page, within: str) -> list[dict]:
    return page.evaluate(
        """async (within) => {
            const context = within ? document.querySelector(within) : document;
            const results = await axe.run(context, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target.join(' '),
                                            html: n.html, summary: n.failureSummary})),
            }));
        }""",
        within,
    )


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            for line in (node["summary"] or "").splitlines():
                lines.append(f"      {line}")
    return "\n".join(lines)


def wait_for_messages(page) -> None:
    """Wagtail's messages fade and slide in once its script marks them to appear: wait until
    every one is fully shown, so axe sees their final colours, not a paler frame of the fade
    (waiting on the running animations alone missed a fade that had not started yet)."""
    if page.context in WITHOUT_JAVASCRIPT:
        return  # no script, no fade: the messages are as served
    page.wait_for_function(
        """() => [...document.querySelectorAll('.messages > ul')].every((ul) => {
            const style = getComputedStyle(ul);
            return style.opacity === '1' && style.top === '0px';
        })"""
    )


def assert_accessible(page, within: str = "") -> None:
    """axe-core finds nothing on the page (or the part `within` selects) once it has loaded
    and its messages have arrived."""
    page.wait_for_load_state("load")
    wait_for_messages(page)
    violations = run_axe(page, within=within)
    assert not violations, describe_violations(page.url, violations)
