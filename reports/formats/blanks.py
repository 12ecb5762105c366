"""Blank cells as findings (issue 15): what is blank, and which rules it left unchecked.

Pure Python (no Django). Blank is not 0, so a rule that needs a blank cell cannot be checked
(`reports.formats.rules` skips it); this module says so instead of letting it pass silently.
`reports.validation` uses it for the statistics tables, `reports.formats.website_validation`
for a website form. Both group what they report so that one blank cell gives one blank finding
and at most one 「无法核对」 hint, however many rules read it:

* ``"required"`` — the blank cells of one group (a table, a part of the website form), ERROR
  「未填写」 in a live filing, WARNING 「原表空白」 in a 历史补录 filing (the paper left it blank:
  the filer explains, the value stays blank);
* ``"unchecked"`` — HINT, one per group: 「无法核对：<the rules>——<the blank cells>空白」.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from .rules import Finding, Rule, Severity

SHOWN_RULES = 3  # a 「无法核对」 hint names this many rules, then "等N条"
SHOWN_CELLS = 3  # …and this many blank cells, then "等N格"


def is_blank(value) -> bool:
    return value is None or value == "" or value == () or value == []


def blank_finding(
    cells: Sequence[str],
    what: str,
    detail: str = "",
    *,
    historical: bool,
    ask_zero: bool = True,
    joiner: str = " ",
) -> Finding:
    """The "required" finding for `cells`: 「<what> 未填写（无数据请填 0）：<detail>」 (ERROR) or,
    `historical`, 「<what> 原表空白：<detail>」 (WARNING); `joiner` goes between what and verdict
    (the website form's messages read 「主办单位：未填写」)."""
    after = f"：{detail}" if detail else ""
    if historical:
        message = f"{what}{joiner}原表空白{after}"
        return Finding("required", Severity.WARNING, message, tuple(cells))
    verdict = "未填写（无数据请填 0）" if ask_zero else "未填写"
    return Finding("required", Severity.ERROR, f"{what}{joiner}{verdict}{after}", tuple(cells))


def blocked_by(rule: Rule, values: Mapping, previous=None) -> tuple[str, ...]:
    """The blank cells of this filing that keep `rule` from being checked; () when none do.

    A cross-year rule without last year's filing (or with last year's in a format lacking the
    cells) skips for that reason, not for a blank: () then.
    """
    last_year = [t for t in getattr(rule, "terms", ()) if t.previous]
    if last_year and (previous is None or not all(previous[0].has_cell(t.code) for t in last_year)):
        return ()
    return tuple(code for code in rule.cell_codes() if is_blank(values.get(code)))


def unchecked_findings(
    blocked: Iterable[tuple[Rule, tuple[str, ...]]],
    *,
    group_of: Callable[[str], str],
    label: Callable[[str], str],
    whole: Callable[[str, set[str]], str] = lambda group, cells: "",
) -> list[Finding]:
    """One HINT per group (`group_of(cell)`) for the rules `blocked` by blank cells.

    `label(cell)` is the cell's printed label; `whole(group, cells)` may name the blank cells
    at once (「表三全表」) instead of one by one, "" to list them.
    """
    by_group: dict[str, list[tuple[Rule, tuple[str, ...]]]] = {}
    for rule, cells in blocked:
        by_group.setdefault(group_of(cells[0]), []).append((rule, cells))
    findings = []
    for group, items in by_group.items():
        cells = list(dict.fromkeys(code for _, blanks in items for code in blanks))
        rules = [rule.description for rule, _ in items]
        shown = "；".join(rules[:SHOWN_RULES]) + (
            f"等{len(rules)}条勾稽关系" if len(rules) > SHOWN_RULES else ""
        )
        named = whole(group, set(cells)) or "、".join(label(c) for c in cells[:SHOWN_CELLS]) + (
            f"等{len(cells)}格" if len(cells) > SHOWN_CELLS else ""
        )
        message = f"无法核对：{shown}——{named} 空白"
        findings.append(Finding("unchecked", Severity.HINT, message, tuple(cells)))
    return findings
