"""The seed's 2018 filing walks the real workflow with the three demo accounts.

It is a 历史补录: the filing was published on 2019年1月9日 with three broken
sums, so it is entered as printed, each finding explained, and signed and
published with the dates on the original document.
"""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model

from reports import selectors, workflow
from reports.models import AnnualReport

# 填报日期 and the 印发 date printed on the seed.
SEED_DATE = datetime.datetime(2019, 1, 9, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
EXPLANATION = "历史补录：按2019年1月9日公开的原件录入，原件数字未作改动。"


def publish_2018(report: AnnualReport) -> None:
    """Submit (张鹏), pass (万晓玲), sign (谢为民) and publish (谢为民); idempotent."""
    if report.status == AnnualReport.Status.PUBLISHED:
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["zhangpeng", "wanxiaoling", "xieweimin"]
        )
    }
    values, _ = selectors.report_values(report)
    findings = selectors.report_findings(report, values)
    explanations = {workflow.finding_key(f): EXPLANATION for f in findings}
    workflow.report_submit(
        report=report, by=users["zhangpeng"], explanations=explanations, when=SEED_DATE
    )
    workflow.report_pass(report=report, by=users["wanxiaoling"], when=SEED_DATE)
    workflow.report_sign(report=report, by=users["xieweimin"], when=SEED_DATE)
    workflow.report_publish(report=report, by=users["xieweimin"], at=SEED_DATE)
