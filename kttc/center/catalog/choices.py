"""Labels of the catalog's facets."""

from django.utils.translation import gettext_lazy as _

#: GB/T 4754-2017 sections (门类).
INDUSTRY_SECTIONS = {
    "A": _("Agriculture, forestry, animal husbandry and fishery"),
    "B": _("Mining"),
    "C": _("Manufacturing"),
    "D": _("Electricity, heat, gas and water supply"),
    "E": _("Construction"),
    "F": _("Wholesale and retail"),
    "G": _("Transport, storage and post"),
    "H": _("Accommodation and catering"),
    "I": _("Information transmission, software and IT services"),
    "J": _("Finance"),
    "K": _("Real estate"),
    "L": _("Leasing and business services"),
    "M": _("Scientific research and technical services"),
    "N": _("Water, environment and public facilities"),
    "O": _("Resident, repair and other services"),
    "P": _("Education"),
    "Q": _("Health and social work"),
    "R": _("Culture, sports and entertainment"),
    "S": _("Public administration and social organisations"),
    "T": _("International organisations"),
}

FACET_TITLES = {
    "discipline": _("Discipline"),
    "industry": _("Industry"),
    "trl": _("Readiness level"),
    "ip_kind": _("IP type"),
    "licensing": _("Licensing model"),
    "unit": _("Unit"),
    "year": _("Year"),
}

SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "trl": _("Readiness level"),
}

USE_FIRST_PAY_LATER = "use_first_pay_later"
