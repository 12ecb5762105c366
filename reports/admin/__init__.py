"""Admin registrations, one module per area; importing them registers them."""

from reports.admin import accounts, agencies, filings  # noqa: F401
