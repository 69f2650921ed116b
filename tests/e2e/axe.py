"""axe-core in a Playwright page: the automated part of the WCAG 2.1 AA check.

axe-core is vendored (tests/e2e/vendor/axe-core/, MPL-2.0, version in
docs/dependencies.md): nothing is downloaded at test time. It is injected into the
page under test and run there; only its violations count (its "incomplete" results
are the ones it cannot decide alone, such as text over an image).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """async (options) => {
  const result = await window.axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map((t) => Array.isArray(t) ? t.join(" >>> ") : t),
      summary: n.failureSummary,
    })),
  }));
}"""


def axe_version() -> str:
    """The version named in the vendored file's banner ("/*! axe v4.x.y")."""
    with AXE_JS.open(encoding="utf-8") as f:
        return f.readline().split("axe v", 1)[1].strip()


def run_axe(page: Page, tags: list[str] | None = None) -> list[dict]:
    """The violations axe-core finds in the page as it is now, for the WCAG 2.0 and
    2.1 A and AA rules (or the tags given)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        _RUN, {"runOnly": {"type": "tag", "values": tags or WCAG_21_AA}}
    )


def describe(violations: list[dict], where: str = "") -> str:
    """A failure message a person can act on: each rule, its impact, what it asks,
    and the selectors of the elements that break it."""
    lines = [
        f"{len(violations)} accessibility rule(s) broken{' on ' + where if where else ''}:"
    ]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    at {', '.join(node['target'])}")
            summary = (node.get("summary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def expect_accessible(page: Page, where: str = "") -> None:
    """Fail with a readable list if axe-core finds any WCAG 2.1 A/AA violation."""
    violations = run_axe(page)
    assert not violations, describe(violations, where or page.url)
