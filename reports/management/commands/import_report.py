import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import services
from reports.access import access_for
from reports.backfill import ExtractError, extract
from reports.backfill.bulk import (
    ASK,
    READY,
    BulkError,
    agencies_for,
    apply_item,
    preview_bulk,
    read_folder,
    read_zip,
)
from reports.backfill.importing import ReportImportError, apply_report, preview_report
from reports.backfill.reading import FLAGGED
from reports.formats.rules import Severity
from reports.spreadsheets.commands import (
    check_may_edit,
    refuse,
    report_for,
    user_for,
)
from reports.spreadsheets.safety import human_size, max_uncompressed_bytes, max_upload_bytes
from reports.spreadsheets.versions import changed_since_preview

SEVERITY = {Severity.ERROR: "错误", Severity.WARNING: "提示", Severity.HINT: "说明"}


class Command(BaseCommand):
    help = (
        "把已发布的政府信息公开工作年度报告（.html/.htm/.txt/.pdf/.docx）读入一份报告："
        "统计表的每个单元格（连写的数字只在勾稽关系唯一确定时拆分，否则留空并标明「无法唯一拆分」）"
        "和正文各部分，全部或全不导入；列出每处修改及其在原文中的位置，导入后按填报规则校验。"
        "--dry-run 只预览；--json 输出每个单元格的值、原文片段、可信度及无法放入的内容。"
        "--bulk 导入一个文件夹或 zip 压缩包中各单位的报告：按每份报告的标题对应到所辖单位和年度，"
        "每个文件全部或全不导入，并逐个列出读出的单元格、留空、无法唯一拆分和校验发现的问题；"
        "有文件未导入时退出码为1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="已发布的报告文件；--bulk 时为文件夹或 zip 压缩包")
        parser.add_argument("--agency", help="单位网址标识（slug）")
        parser.add_argument("--year", type=int, help="报告年度")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不保存")
        parser.add_argument("--user", help="记录为该用户导入（并检查其权限）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出读取结果")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="批量导入：按每份报告标题中的单位名称和年度对应到所辖单位的报告，"
            "不能唯一对应的列出待确认，不导入",
        )
        parser.add_argument(
            "--assign",
            action="append",
            default=[],
            metavar="文件=单位标识[,年度]",
            help="（--bulk）为标题不能唯一对应的文件指定单位（及年度），可重复",
        )

    def handle(self, *args, file, agency=None, year=None, bulk=False, **options):
        if bulk:
            if agency or year:
                raise CommandError(
                    "--bulk 按每份报告的标题对应单位和年度，不能同时指定 --agency 或 --year。"
                )
            return self.import_bulk(file, **options)
        if not agency or year is None:
            raise CommandError(
                "请用 --agency 和 --year 指定导入到哪一份报告（或用 --bulk 批量导入）。"
            )
        return self.import_one(file, agency, year, **options)

    def import_one(self, file, agency, year, *, dry_run=False, user=None, json=False, **options):
        report = report_for(agency, year)
        by = user_for(user)
        check_may_edit(by, report)
        document = read_document_file(file)
        try:
            preview = preview_report(report, document, user=by)
        except ReportImportError as problem:
            raise refuse(problem.problems, f"未导入：{problem}") from None
        if json:
            self.stdout.write(as_json(preview))
        else:
            self.write_preview(preview)
        if preview.problems:
            raise refuse(preview.problems, f"未导入：发现{len(preview.problems)}处问题。")
        if dry_run:
            self.stderr.write(f"试运行：将修改{len(preview.changes)}处，未保存。")
            return
        try:
            record = apply_report(preview, by=by)
        except services.EditConflict:
            raise CommandError(f"未导入：{changed_since_preview(report)}请重新运行。") from None
        except (services.ReportLocked, ReportImportError) as problem:
            raise CommandError(f"未导入：{problem}") from None
        self.stderr.write(f"已导入「{document.name}」，修改了{record.cells_changed}处。")

    def import_bulk(self, path, *, dry_run=False, user=None, json=False, assign=(), **options):
        """Every report of a folder or zip, each to the filing its title names (see
        reports.backfill.bulk); a summary line per file; exits 1 if any file was not imported."""
        by = user_for(user)
        if by is not None and not access_for(by).is_coordinator:
            raise CommandError(f"未导入：用户「{by.get_username()}」不是主管部门，不能批量导入。")
        entries, skipped = read_bulk(path)
        if not entries:
            raise CommandError(f"未导入：「{path}」中没有报告文件（.html/.htm/.txt/.pdf/.docx）。")
        items = preview_bulk(entries, user=by, choices=assigned(entries, assign, by))
        outcomes = {}
        for item in items:
            if item.status != READY or dry_run:
                continue
            try:
                record = apply_item(item, by=by)
            except services.EditConflict:
                outcomes[item.index] = ("已拒绝", changed_since_preview(item.preview.report))
            except (services.ReportLocked, ReportImportError) as problem:
                outcomes[item.index] = ("已拒绝", str(problem))
            else:
                outcomes[item.index] = ("已导入", f"修改了{record.cells_changed}处")
        if json:
            self.stdout.write(
                dumps(
                    {
                        "files": [
                            {**item.to_json(), "outcome": list(outcomes.get(item.index, ()))}
                            for item in items
                        ],
                        "skipped": skipped,
                    }
                )
            )
        else:
            for note in skipped:
                self.stdout.write(f"跳过：{note}")
            for item in items:
                self.stdout.write(bulk_line(item, outcomes.get(item.index), dry_run))
        waiting = sum(1 for item in items if item.status == ASK)
        if dry_run:
            done = sum(1 for item in items if item.status == READY)
            summary = f"共{len(items)}个文件：可导入{done}个（试运行，未保存）"
        else:
            done = sum(1 for state, _ in outcomes.values() if state == "已导入")
            summary = f"共{len(items)}个文件：已导入{done}个"
        refused = len(items) - done - waiting
        summary += f"，待确认{waiting}个，不能导入{refused}个。"
        if waiting or refused:
            raise CommandError(
                summary
                + (
                    "待确认的文件请用 --assign 文件=单位标识 指定单位后重新运行。"
                    if waiting
                    else ""
                )
            )
        self.stderr.write(summary)

    def write_preview(self, preview) -> None:
        for change in preview.changes:
            self.stdout.write(
                f"{change.code}\t{change.label}：{change.old} → {change.new}\t（{change.where}）"
            )
        for cell in preview.reading.cells.values():
            if cell.status in FLAGGED:
                where = f"（{cell.source.where()}）" if cell.source else ""
                self.stdout.write(f"留空：{cell.label}：{cell.message}{where}")
        for item in preview.reading.unplaced:
            self.stdout.write(f"未放入：「{item.text}」{item.reason}（{item.source.where()}）")
        for note in preview.reading.notes:
            self.stdout.write(f"注意：{note}")
        for finding in preview.findings:
            self.stdout.write(f"校验（{SEVERITY[finding.severity]}）：{finding.message}")


def read_document_file(path: str):
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到文件「{path}」。")
    if file.stat().st_size > max_upload_bytes():
        raise CommandError(
            f"「{file.name}」有 {human_size(file.stat().st_size)}，"
            f"超过了 {human_size(max_upload_bytes())} 的上限。"
        )
    try:
        return extract(file.read_bytes(), file.name)
    except ExtractError as problem:
        raise CommandError(f"未导入：{problem}") from None


def read_bulk(path: str):
    """(entries, skipped notes) of a folder or a .zip file; CommandError when refused."""
    target = Path(path)
    try:
        if target.is_dir():
            return read_folder(path)
        if not target.is_file():
            raise CommandError(f"找不到文件或文件夹「{path}」。")
        if target.suffix.lower() != ".zip":
            raise CommandError(f"--bulk 需要一个文件夹或 .zip 压缩包，「{target.name}」不是。")
        if target.stat().st_size > max_uncompressed_bytes():
            raise CommandError(
                f"「{target.name}」有 {human_size(target.stat().st_size)}，"
                f"超过了 {human_size(max_uncompressed_bytes())} 的上限。"
            )
        return read_zip(target.read_bytes(), target.name)
    except BulkError as problem:
        raise CommandError(f"未导入：{problem}") from None


def assigned(entries, assign, user) -> dict:
    """--assign 文件=单位标识[,年度] as `preview_bulk` choices (file index → (agency id, year))."""
    names = {entry.name: index for index, entry in enumerate(entries)}
    slugs = {agency.slug: agency.pk for agency in agencies_for(user)}
    choices = {}
    for text in assign:
        name, _, target = text.rpartition("=")
        slug, _, year = target.partition(",")
        if name not in names:
            raise CommandError(f"--assign：没有名为「{name}」的文件。")
        if slug not in slugs:
            raise CommandError(f"--assign：所辖单位中没有标识为「{slug}」的单位。")
        try:
            choices[names[name]] = (slugs[slug], int(year) if year else None)
        except ValueError:
            raise CommandError(f"--assign：「{year}」不是年度。") from None
    return choices


def bulk_line(item, outcome, dry_run) -> str:
    """One file's summary: state, file, filing, what was read, what validation found."""
    state, detail = outcome or (
        ("可导入（试运行）" if dry_run else "未导入")
        if item.status == READY
        else item.status_label,
        item.message,
    )
    target = f" → {item.agency.name} {item.year}年度" if item.agency and item.year else ""
    line = f"[{state}] {item.entry.name}{target}"
    if item.tally:
        t = item.tally
        line += (
            f"：读出{t.found}个单元格，原文空白{t.blank}个，无法唯一拆分{t.ambiguous}个，"
            f"无法读取{t.unreadable}个，未放入{t.unplaced}处；校验错误{t.errors}项、提示{t.warnings}项；"
            f"将修改{item.changes}处"
        )
    if detail:
        line += f"。{detail}"
    if item.candidates and item.status == ASK:
        line += "（可选：" + "、".join(f"{a.slug}={a.name}" for a in item.candidates[:5]) + "）"
    return line


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def as_json(preview) -> str:
    data = preview.reading.to_json()
    data["changes"] = len(preview.changes)
    data["problems"] = preview.problems
    data["findings"] = [
        {"rule": f.rule_id, "severity": str(f.severity), "message": f.message, "cells": f.cells}
        for f in preview.findings
    ]
    return json.dumps(data, ensure_ascii=False, indent=1)
