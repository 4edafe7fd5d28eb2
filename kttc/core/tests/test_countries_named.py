"""Countries are named in the reader's language (ISO 3166 names from pycountry's catalogs, the
regions of China in the platform's own words), English where a catalog has no name."""

from __future__ import annotations

import pytest

from kttc.core.countries import country_name


@pytest.mark.parametrize(
    ("language", "laos", "hong_kong"),
    [
        ("vi", "Cộng hoà Nhân dân Dân chủ Lào", "Hồng Kông, Trung Quốc"),
        ("th", "สาธารณรัฐประชาธิปไตยประชาชนลาว", "ฮ่องกง, จีน"),
        ("lo", "ລາວ", "ຮົງກົງ, ຈີນ"),
        ("km", "ឡាវ", "ហុងកុង ចិន"),
        ("en", "Laos", "Hong Kong, China"),
    ],
)
def test_m8_4_a_country_is_named_in_the_reader_s_language(language, laos, hong_kong):
    assert country_name("LA", language) == laos
    assert country_name("HK", language) == hong_kong


def test_m8_4_a_name_no_catalog_has_stays_english_and_chinese_is_spelled_right():
    assert country_name("LA", "my") == "Laos"
    assert country_name("KH", "zh-hans") == "柬埔寨"
    assert country_name("ZZ", "vi") == "ZZ"
