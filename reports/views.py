"""Public pages. No login: only published filings are ever shown."""

from django.shortcuts import render

from reports import selectors


def home(request):
    return render(
        request,
        "public/home.html",
        {"reports": selectors.published_reports()[:50]},
    )
