from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from config.api import api
from kttc.center.catalog.sitemaps import AchievementSitemap, PagesSitemap
from kttc.center.rates import views as rates
from kttc.core import languages

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/setlang/", languages.set_language, name="set_language"),
    path("currency/", rates.choose, name="choose_currency"),
    path("accounts/", include("kttc.core.accounts.urls")),
    path("office/registry/", include("kttc.registry.urls")),
    path("office/empowerment/", include("kttc.reform.empowerment.urls")),
    path("office/licences/", include("kttc.reform.licensing.urls")),
    path("office/transformation/", include("kttc.reform.transformation.urls")),
    path("office/contracts/", include("kttc.benefits.contracts.urls")),
    path("office/mine/", include("kttc.benefits.mine.urls")),
    path("office/payroll/", include("kttc.benefits.payroll.urls")),
    path("office/equity/", include("kttc.benefits.state_equity.urls")),
    path("office/invest-first/", include("kttc.benefits.invest_first.urls")),
    path("transactions/", include("kttc.center.transactions.urls")),
    path("open-licensing/", include("kttc.reform.transformation.public_urls")),
    path("office/inquiries/", include("kttc.center.inquiries.urls")),
    path("office/alerts/", include("kttc.center.alerts.urls")),
    path("office/partners/", include("kttc.center.partners.urls")),
    path("office/rates/", include("kttc.center.rates.urls")),
    path("office/institutions/", include("kttc.center.institutions.urls")),
    path("office/pre-examination/", include("kttc.center.ip_services.urls")),
    path("office/vouchers/", include("kttc.center.vouchers.urls")),
    path("office/ip-cases/", include("kttc.center.ip_protection.urls")),
    path("office/evaluations/", include("kttc.center.evaluation.urls")),
    path("office/finance/", include("kttc.center.finance.urls")),
    path("office/meeting/", include("kttc.oversight.meeting.urls")),
    path("office/unit-reports/", include("kttc.oversight.reports.urls")),
    path("office/findings/", include("kttc.oversight.findings.urls")),
    path("office/evidence/", include("kttc.oversight.evidence.urls")),
    path("office/statistics/", include("kttc.oversight.statistics.urls")),
    path("office/", include("kttc.core.office.urls")),
    path("achievements/", include("kttc.center.catalog.urls")),
    path("demands/", include("kttc.center.demands.urls")),
    path("listings/", include("kttc.center.listings.urls")),
    path("cooperation/", include("kttc.center.partners.public_urls")),
    path("service-institutions/", include("kttc.center.institutions.public_urls")),
    path("ip-decisions/", include("kttc.center.ip_protection.public_urls")),
    path("evaluation-rubric/", include("kttc.center.evaluation.public_urls")),
    path("finance/", include("kttc.center.finance.public_urls")),
    path("difficulties/", include("kttc.oversight.meeting.public_urls")),
    path("statistics/", include("kttc.oversight.statistics.public_urls")),
    path("codes/", include("kttc.core.codes_urls")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PagesSitemap, "achievements": AchievementSitemap}},
        name="sitemap",
    ),
    path("", include("kttc.core.observability.urls")),  # /health/live, /health/ready, /metrics
    path("", include("kttc.core.urls")),
]

handler404 = "kttc.core.views.error_404"
handler500 = "kttc.core.views.error_500"
handler403 = "kttc.core.views.error_403"
handler400 = "kttc.core.views.error_400"
