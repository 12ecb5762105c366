"""Extra admin pages of a filing (see AnnualReportAdmin.get_urls)."""


def urls(model_admin) -> list:
    return []
