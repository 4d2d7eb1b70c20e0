"""With the Content-Security-Policy on, every page still draws its charts and the browser reports
no violation; and the policy is really enforced (an injected inline script does not run)."""

from __future__ import annotations

from dash.testing.wait import until

from tests.integration.test_shell import PAGES

# Runs before any script of each document (CDP, so outside the page's policy): keep every CSP
# violation the browser reports, with the directive and what was blocked.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
        ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def _record_violations(dash_duo) -> None:
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})


def _violations(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script("return window.__cspViolations || null")


def test_csp001_every_page_draws_with_no_violation(dash_duo, dashboard):
    _record_violations(dash_duo)
    dash_duo.start_server(dashboard)
    for path, charts in PAGES.items():
        dash_duo.driver.get(dash_duo.server_url + path)
        for chart_id in charts:
            dash_duo.wait_for_element(f"#{chart_id} .main-svg g.trace", timeout=20)
        assert _violations(dash_duo) == [], path
        assert dash_duo.get_logs() == [], path


def test_csp002_the_policy_is_enforced(dash_duo, dashboard):
    _record_violations(dash_duo)
    dash_duo.start_server(dashboard)
    dash_duo.wait_for_element("#overview-internet-users .main-svg g.trace", timeout=20)
    ran = dash_duo.driver.execute_script(
        """
        const script = document.createElement('script');
        script.textContent = 'window.__injectedRan = true;';
        document.head.appendChild(script);
        return window.__injectedRan === true;
        """
    )
    assert ran is False
    until(lambda: _violations(dash_duo), timeout=5)
    assert _violations(dash_duo)[0].startswith("script-src")
