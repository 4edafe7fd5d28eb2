"""Search across languages (M8.1, M8.2): each language cut by its own tokenizer, traditional
characters finding simplified records, and results close in meaning found in any language by the
multilingual encoder, fused with the lexical ranking and kept in step in the background."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from kttc.center import search
from kttc.center.search import embedding, languages, segment, semantic
from kttc.center.search.base import SearchQuery
from kttc.center.search.tantivy_backend import fuse
from kttc.center.search.vectors import VectorStore
from kttc.registry import services

TODAY = dt.date(2026, 11, 25)
PLAIN = {"keywords": ["材料"], "translations": []}
API = "/api/v1/catalog/achievements"


@pytest.fixture
def index(settings, tmp_path):
    settings.KTTC_SEARCH_DIR = tmp_path / "search"
    search.reset()
    yield search.backend()
    search.reset()


@pytest.fixture
def meaning(settings, index):
    """The real encoder, encoding in the caller (the background's work, made visible)."""
    settings.KTTC_EMBEDDINGS = "e5"
    settings.KTTC_EMBED_WORKER = "inline"
    embedding.encoder.cache_clear()
    yield embedding.encoder()
    embedding.encoder.cache_clear()
    semantic.reset()


@pytest.fixture
def publish_plain(publish, index):
    def make(**changes):
        return publish(today=TODAY, **(PLAIN | changes))

    return make


def found(text, **options):
    return [hit.id for hit in search.search(SearchQuery(text=text, **options)).hits]


# --- each language by its own tokenizer --------------------------------------------------------


def test_vietnamese_is_cut_into_syllables_never_at_its_accented_letters():
    words = [w for _kind, w in languages.words("Tưới tiết kiệm nước cho đồi chè")]
    assert words == ["tưới", "tiết", "kiệm", "nước", "cho", "đồi", "chè"]
    assert [w.word for w in segment.query_words("tưới nước")] == ["tưới", "nước"]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("การชลประทานแบบประหยัดน้ำ", "thai", ["การชลประทาน", "แบบ", "ประหยัด", "น้ำ"]),
        ("ການຊົນລະປະທານປະຢັດນ້ຳ", "lao", ["ການ", "ຊົນລະປະທານ", "ປະຢັດ", "ນ້ຳ"]),
        ("ការស្រោចស្រពសន្សំសំចៃទឹក", "khmer", ["ការស្រោចស្រព", "សន្សំ", "សំចៃ", "ទឹក"]),
        ("ရေချွေတာသောဆည်မြောင်း", "myanmar", ["ရေ", "ချွေ", "တာ", "သော", "ဆည်", "မြောင်း"]),
    ],
)
def test_scripts_without_spaces_are_cut_into_words_by_their_own_tokenizer(text, kind, expected):
    cut = list(languages.words(text))
    assert {k for k, _w in cut} == {kind}
    assert [w for _k, w in cut] == expected


def test_traditional_characters_are_searched_as_simplified_ones():
    assert languages.simplified("鋰離子電池的製備") == "锂离子电池的制备"
    assert [w.word for w in segment.query_words("鋰離子電池")] == ["锂离子电池"]
    assert segment.tokens("電池") == ["电池"]


def test_a_traditional_query_finds_the_simplified_record(publish_plain):
    battery = publish_plain(name="锂离子电池正极材料制备方法", abstract="一种锂离子电池正极材料。")
    publish_plain(name="钙钛矿太阳能电池", abstract="钙钛矿。")
    assert found("鋰離子電池") == [battery.pk]


def test_a_vietnamese_query_finds_the_vietnamese_translation(publish_plain):
    tea = publish_plain(
        name="茶园节水灌溉系统",
        abstract="一种茶园节水滴灌系统。",
        translations=[
            {
                "language": "vi",
                "name": "Hệ thống tưới tiết kiệm nước cho đồi chè",
                "abstract": "Tưới nhỏ giọt cho vườn chè.",
                "keywords": ["tưới nhỏ giọt"],
            }
        ],
    )
    publish_plain(name="茶叶加工机械", abstract="茶叶揉捻机。")
    assert found("tưới nước đồi chè") == [tea.pk]
    assert found("tuoi nuoc") == [tea.pk]  # written without tones, as many type


def test_a_thai_query_finds_the_thai_translation(publish_plain):
    tea = publish_plain(
        name="茶园节水灌溉系统",
        abstract="一种茶园节水滴灌系统。",
        translations=[
            {
                "language": "th",
                "name": "ระบบการชลประทานแบบประหยัดน้ำสำหรับสวนชา",
                "abstract": "การให้น้ำแบบหยด",
                "keywords": [],
            }
        ],
    )
    publish_plain(name="茶叶加工机械", abstract="茶叶揉捻机。")
    assert found("การชลประทาน") == [tea.pk]


# --- the vectors on disk ------------------------------------------------------------------------


def _unit(*values):
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_vector_store_is_shared_between_processes_through_its_file(tmp_path):
    path = tmp_path / "v.bin"
    writer, reader = VectorStore(path, 3), VectorStore(path, 3)
    writer.put([1, 2], np.stack([_unit(1, 0, 0), _unit(0, 1, 0)]))
    assert [pk for pk, _s in reader.nearest(_unit(0.9, 0.1, 0), 2)] == [1, 2]
    writer.put([1], _unit(0, 0, 1).reshape(1, 3))  # replaced, not added
    writer.delete([2])
    assert reader.ids() == {1}
    assert reader.nearest(_unit(0, 0, 1), 5)[0][0] == 1
    assert writer.compact() == 1
    writer.put([3], _unit(0, 1, 0).reshape(1, 3))
    assert reader.ids() == {1, 3}  # the compacted file read again from its start
    assert len(VectorStore(path, 3)) == 2


@given(
    st.lists(st.integers(1, 40), unique=True, max_size=15),
    st.lists(st.integers(1, 40), unique=True, max_size=15),
    st.sampled_from([0.5, 1.0]),
)
def test_fusion_ranks_every_result_of_either_list_once(lexical, meaning_ids, weight):
    order = fuse(lexical, meaning_ids, lexical_weight=weight)
    assert sorted(order) == sorted(set(lexical) | set(meaning_ids))
    both_first = lexical[:1] == meaning_ids[:1] and lexical
    if both_first:
        assert order[0] == lexical[0]
    for pk in set(lexical) & set(meaning_ids):  # in both lists beats being at the same place in one
        for other in set(meaning_ids) - set(lexical):
            if meaning_ids.index(pk) <= meaning_ids.index(other):
                assert order.index(pk) < order.index(other)


# --- meaning across languages ------------------------------------------------------------------


RECORDS = (
    ("一种茶园节水滴灌系统及其控制方法", "根据土壤湿度自动控制茶园的滴灌，节约用水。"),
    ("高强度铝合金的热处理工艺", "提高铝合金的强度和韧性。"),
    ("基于深度学习的医学图像识别方法", "卷积神经网络识别CT影像中的病灶。"),
    ("三七皂苷提取纯化工艺", "从三七中提取皂苷并纯化。"),
)


def test_an_english_or_vietnamese_demand_finds_a_chinese_result_without_translation(
    meaning, publish_plain, client
):
    made = [publish_plain(name=name, abstract=abstract) for name, abstract in RECORDS]
    tea, alloy, images, notoginseng = made
    assert len(semantic.store()) == 4  # encoded as they were published
    assert found("water-saving drip irrigation for tea plantations")[0] == tea.pk
    assert found("tưới nhỏ giọt tiết kiệm nước cho đồi chè")[0] == tea.pk
    assert found("heat treatment of high strength aluminium alloys")[0] == alloy.pk
    assert found("การรู้จำภาพทางการแพทย์ด้วยการเรียนรู้เชิงลึก")[0] == images.pk
    # the public API answers the same way, and lists its results
    answer = client.get(API, {"q": "extraction of saponins from Panax notoginseng"}).json()
    assert answer["items"][0]["id"] == notoginseng.pk
    # filters still hold for results found by meaning
    assert tea.pk not in found("tea irrigation", filters={"year": ["1999"]})


def test_without_embeddings_the_same_demand_finds_nothing(publish_plain, index):
    publish_plain(name=RECORDS[0][0], abstract=RECORDS[0][1])
    assert semantic.store() is None
    assert found("water-saving drip irrigation for tea plantations") == []


def test_a_withdrawn_result_leaves_the_vectors_and_a_sort_keeps_the_meaning_matches(
    meaning, publish_plain, personas, django_capture_on_commit_callbacks
):
    tea = publish_plain(name=RECORDS[0][0], abstract=RECORDS[0][1])
    alloy = publish_plain(name=RECORDS[1][0], abstract=RECORDS[1][1])
    assert set(found("drip irrigation", sort="newest")) >= {tea.pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.achievement_withdraw(actor=personas.bureau, achievement=tea, reason="数据有误")
    assert semantic.store().ids() == {alloy.pk}
    assert tea.pk not in found("drip irrigation for tea")


@pytest.mark.django_db(transaction=True)  # the thread reads through its own connection
def test_the_background_thread_encodes_what_was_published(meaning, settings, publish_plain):
    settings.KTTC_EMBED_WORKER = "thread"
    tea = publish_plain(name=RECORDS[0][0], abstract=RECORDS[0][1])
    assert semantic.wait_idle(60)
    assert tea.pk in semantic.store().ids()


def test_the_embed_command_catches_up_on_results_without_a_vector(
    meaning, settings, publish_plain, capsys
):
    settings.KTTC_EMBED_WORKER = "external"  # nobody encodes as they are published
    tea = publish_plain(name=RECORDS[0][0], abstract=RECORDS[0][1])
    assert semantic.missing() == [tea.pk]
    call_command("search_embed")
    assert semantic.missing() == []
    out = capsys.readouterr().out
    assert "1 public results without an embedding" in out and "Encoded 1 results" in out
    assert found("drip irrigation for tea plantations")[0] == tea.pk


# --- English queries translated by dictionary -------------------------------------------------


def test_english_phrases_become_chinese_terms_the_longest_phrase_first():
    from kttc.center.search import translation

    terms = translation.chinese_terms("heavy metal adsorption")
    assert "重金属" in terms and "吸附" in terms
    assert terms.index("重金属") < terms.index("吸附")
    assert "金属" not in terms  # "heavy metal" is one phrase, not heavy + metal
    # the filler of a demand translates to nothing
    assert translation.chinese_terms("we need a company looking for a method") == []


def test_a_chinese_or_vietnamese_query_is_not_translated():
    from kttc.center.search import translation

    assert translation.chinese_terms("重金属吸附") == []
    assert translation.chinese_terms("heavy metal 吸附") == []
    assert translation.chinese_terms("tưới nhỏ giọt tiết kiệm nước cho đồi chè") == []


def test_an_english_query_finds_a_chinese_record_through_the_dictionary_alone(publish_plain, index):
    adsorbent = publish_plain(name="改性生物炭对重金属的吸附性能", abstract="用于污水处理。")
    tea = publish_plain(name=RECORDS[0][0], abstract=RECORDS[0][1])
    publish_plain(name="高强度铝合金的热处理工艺", abstract="提高铝合金的强度和韧性。")
    assert semantic.store() is None  # no embeddings: the lexical index alone
    assert found("heavy metal adsorption")[0] == adsorbent.pk
    assert found("We need drip irrigation for tea plantations")[0] == tea.pk
    # counted, and filters hold for the records found by translation
    result = search.search(SearchQuery(text="heavy metal adsorption"))
    assert result.total >= 1
    assert found("heavy metal adsorption", filters={"year": ["1999"]}) == []
    assert found("heavy metal adsorption", sort="newest")[0] == adsorbent.pk


# --- Vietnamese words read as Chinese ones (Hán-Việt) ------------------------------------------


def test_chinese_words_are_read_as_their_sino_vietnamese_syllables():
    from kttc.center.search import sinoviet

    read = sinoviet.readings("一种重金属吸附材料")
    assert "kim_thuoc" in read and "hap_phu" in read
    assert all(len(r.split("_")) >= 2 for r in read)  # words, never single characters
    assert "hap_phu" in sinoviet.query_terms("Vật liệu HẤP PHỤ kim loại nặng")
    assert "dong_luc_hoc" in sinoviet.query_terms("mô hình động lực học")


def test_only_a_vietnamese_query_is_read_as_syllables():
    from kttc.center.search import sinoviet

    assert sinoviet.query_terms("heavy metal adsorption material") == []
    assert sinoviet.query_terms("matériau adsorbant") == []  # an acute alone is not Vietnamese
    assert sinoviet.query_terms("重金属吸附材料") == []


def test_a_vietnamese_query_finds_a_chinese_record_by_its_sino_vietnamese_words(
    publish_plain, index
):
    adsorbent = publish_plain(name="重金属吸附材料", abstract="用于污水处理。")
    publish_plain(name="高强度铝合金的热处理工艺", abstract="提高铝合金的强度和韧性。")
    publish_plain(name="茶园节水灌溉系统", abstract="一种茶园节水滴灌系统。")
    assert semantic.store() is None  # no embeddings, no translation: the lexical index alone
    assert found("vật liệu hấp phụ kim loại nặng") == [adsorbent.pk]
    # counted, and filters hold for the records found by their readings
    assert search.search(SearchQuery(text="vật liệu hấp phụ kim loại nặng")).total == 1
    assert found("vật liệu hấp phụ kim loại nặng", filters={"year": ["1999"]}) == []
    assert found("vật liệu hấp phụ kim loại nặng", sort="newest") == [adsorbent.pk]


def test_a_vietnamese_query_is_glossed_by_the_chinese_words_its_syllables_read_as():
    from kttc.center.search import sinoviet

    gloss = sinoviet.chinese_words("Lâm trường cần kỹ thuật quản lý rừng tre sinh thái")
    assert {"技术", "管理", "生态"} <= set(gloss)
    assert gloss.index("技术") < gloss.index("管理") < gloss.index("生态")  # in the query's order
    # the tones choose the word: động lực học is 动力学, not any word read "dong luc hoc"
    assert sinoviet.chinese_words("mô hình động lực học") == ["模型", "动力学"]
    assert sinoviet.chinese_words("heavy metal adsorption") == []
    assert sinoviet.chinese_words("重金属吸附材料") == []


def test_the_encoder_reads_a_foreign_query_with_its_chinese_gloss():
    from kttc.center.search import semantic

    vietnamese = "Vật liệu hấp phụ kim loại nặng"
    assert semantic.query_text(vietnamese).startswith(vietnamese + " ")
    assert "吸附" in semantic.query_text(vietnamese)
    english = semantic.query_text("heavy metal adsorption")
    assert english.startswith("heavy metal adsorption ") and "吸附" in english
    assert semantic.query_text("重金属吸附材料") == "重金属吸附材料"  # Chinese: as it is


def test_the_glossary_gives_the_chinese_of_native_vietnamese_words():
    from kttc.center.search import sinoviet

    # kim loại nặng reads as no Chinese word; nước (water) and than (coal) are native
    gloss = sinoviet.chinese_words("loại bỏ kim loại nặng trong nước thải mỏ than")
    assert "重金属" in gloss and "废水" in gloss and "煤矿" in gloss
    # a reading the glossary does not know still comes through
    assert "吸附" in sinoviet.chinese_words("vật liệu hấp phụ")


def test_every_line_of_the_glossary_is_a_vietnamese_word_and_its_chinese():
    import re

    from kttc.center.search import sinoviet

    han = re.compile(r"^[\u3400-\u9fff]+$")
    seen = set()
    for line in sinoviet.GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        vietnamese, chinese = line.split("\t")
        assert vietnamese == vietnamese.strip().lower() and vietnamese not in seen, line
        seen.add(vietnamese)
        assert chinese.split() and all(han.match(w) for w in chinese.split()), line
