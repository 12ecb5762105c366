"""The whole filing as one official document: what print, PDF, Word and the public page show.

`build_document(data)` turns a `FilingData` (a live filing or a published snapshot) into a
`Document`: the header (title, legal basis, contact), the narrative sections with the official
tables placed where the format puts them, the sign-off, then the attachments (the pre-2019
统计表, each 政府网站工作年度报表). `html.py`, `docx.py` and `pdf.py` only lay it out, so the
three outputs cannot disagree. Text is kept as plain strings: every renderer escapes it.
"""

import datetime
from dataclasses import dataclass, field

from reports.filing_data import FilingData, local_date
from reports.formats.narrative import (
    INTRO,
    is_subheading,
    opening_paragraphs,
    paragraphs,
)
from reports.formats.website import WEBSITE_FORM
from reports.rendering import RenderedTable, render_tables, render_website

# Filings not yet signed are printed with this note, so a draft is never mistaken for the report.
FINAL_STATUSES = ("approved", "published")
STATUS_LABELS = {
    "draft": "填报中",
    "submitted": "待审核",
    "reviewed": "待签发",
    "approved": "已签发",
    "published": "已公开",
}


@dataclass
class Paragraph:
    text: str
    heading: bool = False  # a short numbered line: 「（一）存在的主要问题」


@dataclass
class DocSection:
    key: str
    title: str
    paragraphs: list[Paragraph]
    tables: list[RenderedTable] = field(default_factory=list)


@dataclass
class Document:
    title: str
    agency: str
    year: int
    opening: list[str]
    sections: list[DocSection]
    date: datetime.date | None
    appendix_title: str = ""
    appendix_tables: list[RenderedTable] = field(default_factory=list)
    websites: list[dict] = field(default_factory=list)  # reports.rendering.render_website
    status_note: str = ""

    @property
    def title_lines(self) -> tuple[str, str]:
        """The title in two halves that each stay on one line when it must wrap (as the seed
        breaks it): 「南昌市教育局2018年」「政府信息公开工作年度报告」."""
        head, year, tail = self.title.partition(f"{self.year}年")
        return (head + year, tail) if tail else (self.title, "")

    @property
    def date_text(self) -> str:
        if self.date is None:
            return "\u3000\u3000年\u3000\u3000月\u3000\u3000日"
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


def document_date(data: FilingData) -> datetime.date | None:
    """The date under the agency's name: the head's sign-off, else the submission, else the
    website forms' 填报日期 (the seed's 2019年1月9日), else blank for a pen."""
    for signature in (data.head, data.filer):
        if signature and signature.at:
            return local_date(signature.at)
    filed = [site.values.get("filed_on") for site in data.websites]
    filed = [d for d in filed if isinstance(d, datetime.date)]
    return max(filed) if filed else None


def build_document(data: FilingData) -> Document:
    """Everything printed for `data`, in printed order."""
    fmt = data.format.narrative
    tables = {t.table.code: t for t in render_tables(data.format, data.values, data.notes)}
    sections = []
    for section in fmt.sections:
        if section.key == INTRO:
            continue
        lines = paragraphs(data.narrative.get(section.key, "")) if section.writable else []
        sections.append(
            DocSection(
                key=section.key,
                title=section.title,
                paragraphs=[Paragraph(line, is_subheading(line)) for line in lines],
                tables=[tables[section.table]] if section.table in tables else [],
            )
        )
    status = data.status
    return Document(
        title=data.title,
        agency=data.agency_name,
        year=data.year,
        opening=opening_paragraphs(
            fmt,
            data.year,
            data.agency_name,
            data.contact,
            data.narrative.get(INTRO, ""),
        ),
        sections=sections,
        date=document_date(data),
        appendix_title=f"政府信息公开情况统计表（{data.year}年度）" if fmt.tables_after else "",
        appendix_tables=[tables[code] for code in fmt.tables_after if code in tables],
        websites=[
            # Signed: the footer's signatories and 填报日期 are the workflow's, as in every output.
            render_website(
                WEBSITE_FORM, site.values, site.notes, site.media, position=site.position
            )
            for site in data.printed_websites
        ],
        status_note=""
        if status in FINAL_STATUSES
        else f"本稿状态：{STATUS_LABELS.get(status, status)}（尚未签发，仅供核对，不作为正式报告）",
    )


def file_name(data: FilingData, extension: str) -> str:
    """「南昌市教育局2018年政府信息公开工作年度报告.docx」: what staff file it under."""
    return f"{data.title}.{extension}"
