"""The catalog's search (M8.2, M8.3): Chinese and English, ranked, filtered, faceted, highlighted,
and in step with the registry through its signal; restricted results never found (rule 8)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import tantivy
from django.core.management import call_command

from kttc.center import search
from kttc.center.search import facets, highlight, segment
from kttc.center.search.base import SearchDoc, SearchQuery
from kttc.center.search.tantivy_backend import IndexBusy, TantivyBackend
from kttc.center.tests.factories import published_achievement
from kttc.core.tests.factories import MembershipFactory, OrganisationFactory
from kttc.policy.roles import Role
from kttc.registry import services
from kttc.registry.tests.factories import achievement_raw
from kttc.registry.validation import validate_achievement

TODAY = dt.date(2026, 11, 25)
PLAIN = {"keywords": ["材料"], "translations": []}


@pytest.fixture
def index(settings, tmp_path):
    """A fresh index in a temporary directory for each test."""
    settings.KTTC_SEARCH_DIR = tmp_path / "search"
    search.reset()
    yield search.backend()
    search.reset()


@pytest.fixture
def unit(personas):
    return personas.organisations[Role.TRANSFER_OFFICE]


@pytest.fixture
def publish(personas, unit, index, django_capture_on_commit_callbacks):
    """Create, submit and publish through the services; the index follows after each commit."""

    def make(*, at=unit, **changes):
        return published_achievement(
            personas, django_capture_on_commit_callbacks, unit=at, today=TODAY, **(PLAIN | changes)
        )

    return make


def find(text="", **options):
    return search.backend().search(SearchQuery(text=text, **options))


def ids(result):
    return [hit.id for hit in result.hits]


# --- Chinese and English ---------------------------------------------------------------------


def test_graphene_stays_whole_ranks_first_and_graphite_still_finds_it(publish):
    graphene = publish(name="石墨烯导热膜制备技术", abstract="一种高导热石墨烯薄膜的制备方法。")
    graphite = publish(name="石墨电极材料", abstract="一种高纯石墨电极的制备方法。")
    assert "石墨烯" in segment.tokens("石墨烯导热膜")

    whole = find("石墨烯")
    assert ids(whole) == [graphene.pk]  # graphite (石墨) is not graphene
    part = find("石墨")
    assert set(ids(part)) == {graphene.pk, graphite.pk}  # search mode indexed 石墨 in 石墨烯


def test_a_word_written_in_parts_is_found_by_the_whole_word(publish):
    spaced = publish(name="动力电池回收", abstract="废旧锂离子 电池的回收工艺。")
    other = publish(name="离子交换树脂", abstract="一种离子交换树脂。")
    assert ids(find("锂离子电池")) == [spaced.pk]
    assert other.pk not in ids(find("锂离子电池"))


def test_english_words_find_the_result_through_its_translation(publish):
    result = publish(
        name="高原特色植物提取物制备方法",
        translations=[
            {
                "language": "en",
                "name": "Preparation of plateau plant extracts",
                "abstract": "Extracting active ingredients for lithium batteries.",
                "keywords": ["plant extraction"],
            }
        ],
    )
    publish(name="钙钛矿太阳能电池", abstract="钙钛矿电池。")
    assert ids(find("plant extracts")) == [result.pk]
    assert ids(find("Battery")) == [result.pk]  # stemmed: batteries ~ battery
    assert ids(find("EXTRACTION")) == [result.pk]  # the English keyword, any case


def test_the_unit_name_is_searched_in_both_languages(publish, personas):
    other_unit = OrganisationFactory(name="滇池高原湖泊研究院", name_en="Dianchi Lake Institute")
    MembershipFactory(
        user=personas.transfer_office, organisation=other_unit, role=Role.TRANSFER_OFFICE.value
    )
    theirs = publish(at=other_unit, name="湖泊水质监测系统", abstract="监测方法。")
    publish(name="水质在线监测系统", abstract="监测方法。")
    assert ids(find("滇池")) == [theirs.pk]
    assert ids(find("dianchi")) == [theirs.pk]


def test_a_name_match_outranks_an_abstract_only_match(publish):
    in_abstract = publish(
        name="新型太阳能组件封装工艺",
        abstract="本成果涉及钙钛矿材料在组件封装中的应用，提高了组件的稳定性和寿命。",
    )
    in_name = publish(name="钙钛矿薄膜制备方法", abstract="一种薄膜制备方法，提高了稳定性。")
    assert ids(find("钙钛矿")) == [in_name.pk, in_abstract.pk]
    scores = [hit.score for hit in find("钙钛矿").hits]
    assert scores[0] > scores[1] > 0


def test_every_word_must_match_and_a_query_with_no_full_match_falls_back_to_some(publish):
    both = publish(name="石墨烯电池", abstract="石墨烯用于电池。")
    one = publish(name="石墨烯薄膜", abstract="石墨烯薄膜。")
    assert ids(find("石墨烯 电池")) == [both.pk]
    relaxed = find("石墨烯 火星")  # nothing has both: a third of the words will do
    assert set(ids(relaxed)) == {both.pk, one.pk}


# --- filters, facets, sort, pages --------------------------------------------------------------


def test_filters_combine_with_text_or_within_a_facet_and_across_facets(publish):
    a = publish(name="石墨烯涂层A", trl=4, discipline_code="43020")
    b = publish(name="石墨烯涂层B", trl=7, discipline_code="43020")
    c = publish(name="石墨烯涂层C", trl=7, discipline_code="15010")
    publish(name="三七种植技术", trl=7, discipline_code="43020")

    assert set(ids(find("石墨烯", filters={"trl": ["7"]}))) == {b.pk, c.pk}
    assert set(ids(find("石墨烯", filters={"trl": ["4", "7"]}))) == {a.pk, b.pk, c.pk}
    both = find("石墨烯", filters={"trl": ["7"], "discipline": ["430"]})
    assert ids(both) == [b.pk] and both.total == 1
    assert find("石墨烯", filters={"trl": ["9"]}).total == 0
    # filters alone browse; unknown facets and odd values never break a query
    assert find("", filters={"discipline": ["150"]}).total == 1
    assert find("石墨烯", filters={"nonsense": ["x"], "trl": ["'; DROP"]}).total == 0


def test_facet_counts_cover_the_matches_and_drill_down(publish):
    publish(
        name="石墨烯甲",
        trl=7,
        transformation_modes=["licence"],
        use_first_pay_later=True,
        ip_rights=[
            {"kind": "invention", "number": "ZL201710601862.3", "status": "pending"},
            {"kind": "software_copyright", "number": "2023SR0000001", "status": "pending"},
        ],
    )
    publish(name="石墨烯乙", trl=5, transformation_modes=["transfer"], use_first_pay_later=False)
    publish(name="三七丙", trl=7)  # does not match the text: never counted

    result = find("石墨烯")
    assert result.total == 2
    assert dict(result.facets["trl"]) == {"5": 1, "7": 1}
    assert dict(result.facets["ip_kind"]) == {"invention": 2, "software_copyright": 1}
    assert dict(result.facets["licensing"]) == {
        "licence": 1,
        "transfer": 1,
        "use_first_pay_later": 1,
    }
    assert dict(result.facets["year"]) == {"2026": 2}

    narrowed = find("石墨烯", filters={"trl": ["7"]})
    assert narrowed.total == 1
    # the chosen facet still counts its siblings; the others count the narrowed matches
    assert dict(narrowed.facets["trl"]) == {"5": 1, "7": 1}
    assert dict(narrowed.facets["licensing"]) == {"licence": 1, "use_first_pay_later": 1}
    assert find("石墨烯", with_facets=False).facets == {}


def test_sort_by_newest_and_by_readiness(publish):
    first = publish(name="石墨烯一", trl=3)
    second = publish(name="石墨烯二", trl=9)
    third = publish(name="石墨烯三", trl=6)
    assert ids(find("石墨烯", sort="newest")) == [third.pk, second.pk, first.pk]
    assert ids(find("石墨烯", sort="trl")) == [second.pk, third.pk, first.pk]
    assert ids(find("", sort="relevance")) == [third.pk, second.pk, first.pk]  # browse: newest


def test_pages_do_not_overlap_and_cover_every_match(publish):
    made = {publish(name=f"石墨烯样品{n}").pk for n in range(5)}
    pages = [find("石墨烯", offset=offset, limit=2) for offset in (0, 2, 4, 6)]
    seen = [pk for page in pages for pk in ids(page)]
    assert [len(page.hits) for page in pages] == [2, 2, 1, 0]
    assert sorted(seen) == sorted(made)
    assert {page.total for page in pages} == {5}


# --- snippets ----------------------------------------------------------------------------------


def test_snippets_mark_the_words_and_escape_everything_else(publish):
    publish(
        name="<script>alert(1)</script>石墨烯 & 薄膜",
        abstract="本发明涉及石墨烯，" + "其他内容" * 80 + "，再次提到石墨烯<b>。",
    )
    (hit,) = find("石墨烯").hits
    assert hit.snippets["name"] == (
        "&lt;script&gt;alert(1)&lt;/script&gt;<mark>石墨烯</mark> &amp; 薄膜"
    )
    abstract = hit.snippets["abstract"]
    assert "<mark>石墨烯</mark>" in abstract and "<b>" not in abstract
    assert len(abstract) < 300 and abstract.endswith("…")


def test_english_readers_get_snippets_of_the_translation(publish):
    publish(
        name="锂电池正极材料",
        translations=[
            {
                "language": "en",
                "name": "Cathode materials for batteries",
                "abstract": "A battery cathode.",
                "keywords": ["cathode"],
            }
        ],
    )
    (hit,) = find("battery", language="en").hits
    assert hit.snippets["name"] == "Cathode materials for <mark>batteries</mark>"
    (hit,) = find("正极", language="zh-hans").hits
    assert hit.snippets["name"] == "锂电池<mark>正极</mark>材料"


def test_both_segmenters_keep_domain_terms_whole():
    fallback = segment._load_jieba()  # Python jieba, when rjieba is not installed
    for cutter in (segment.cutter(), fallback):
        words = list(cutter.cut_for_search("石墨烯复合材料用于钙钛矿太阳能电池，先使用后付费"))
        assert {"石墨烯", "钙钛矿", "先使用后付费"} <= set(words)
    # full-width folded, lowercased, punctuation gone, a hyphenated word whole and in parts
    assert segment.tokens("ＡＢＣ-Graphene，3.5%") == ["abc", "graphene", "abc-graphene", "3.5"]


def test_a_word_is_marked_only_where_the_segmenter_cuts_it():
    patterns = highlight.term_patterns({"中试"})
    assert highlight.chinese_spans("项目完成中试，进入量产", patterns) == [(4, 6)]
    assert highlight.chinese_spans("在实验室中试验", patterns) == []  # 实验室/中/试验
    ai = highlight.term_patterns({"ai"})
    assert highlight.chinese_spans("AI芯片与Taiwan", ai) == [(0, 2)]
    assert highlight.chinese_spans("ＡＩ芯片", ai) == [(0, 2)]  # full-width letters too
    long = "开头" * 100 + "项目完成中试，进入量产" + "结尾" * 100
    snippet = highlight.chinese_snippet(long, patterns)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "完成<mark>中试</mark>，" in snippet


# --- user text never breaks a query -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"石墨烯',
        "石墨烯 AND 薄膜",
        "石墨烯 OR",
        "-石墨烯",
        "石墨烯*",
        "name:石墨烯",
        "(石墨烯)",
        "石墨烯\\",
        "石墨烯 😀",
        "石墨烯" + "很长的查询" * 500,
        "ＡＮＤ（石墨烯）",
        "石墨烯\x00\n\t",
    ],
)
def test_operators_and_punctuation_are_only_text(publish, text):
    graphene = publish(name="石墨烯薄膜", abstract="石墨烯。")
    publish(name="三七种植", abstract="三七。")
    assert graphene.pk in ids(find(text))


@pytest.mark.parametrize("text", ["", "   ", '"', "AND", "OR NOT", "*:()\\", "😀😀", "-", "的"])
def test_text_with_no_words_browses_everything(publish, text):
    publish(name="石墨烯薄膜")
    publish(name="三七种植")
    assert find(text).total == 2


# --- rule 8: only public results, and the index follows the registry ----------------------------


def test_restricted_results_are_never_found_nor_counted(publish):
    public = publish(name="石墨烯公开成果", trl=5)
    publish(name="石墨烯内部成果", trl=8, confidentiality="restricted")
    result = find("石墨烯")
    assert ids(result) == [public.pk] and result.total == 1
    assert dict(result.facets["trl"]) == {"5": 1}
    assert find("内部").total == 0
    assert search.backend().count() == 1


def test_drafts_and_submissions_are_not_in_the_index(personas, unit, index):
    data = validate_achievement(achievement_raw(name="石墨烯草稿"), today=TODAY)
    achievement = services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)
    services.achievement_submit(actor=personas.transfer_office, achievement=achievement)
    search.sync([achievement.pk])
    assert find("石墨烯").total == 0 and index.count() == 0


def test_a_withdrawn_result_leaves_the_index(publish, personas, django_capture_on_commit_callbacks):
    achievement = publish(name="石墨烯撤回成果")
    assert ids(find("石墨烯")) == [achievement.pk]
    assert search.sync([achievement.pk]) == (1, 0)  # syncing again replaces, never duplicates
    assert search.backend().count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.achievement_withdraw(
            actor=personas.bureau, achievement=achievement, reason="数据有误"
        )
    assert find("石墨烯").total == 0
    assert search.backend().count() == 0


def test_the_index_follows_only_after_the_commit(
    personas, unit, index, django_capture_on_commit_callbacks
):
    data = validate_achievement(achievement_raw(name="石墨烯提交后发布"), today=TODAY)
    achievement = services.achievement_create(actor=personas.transfer_office, unit=unit, data=data)
    services.achievement_submit(actor=personas.transfer_office, achievement=achievement)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.achievement_publish(actor=personas.bureau, achievement=achievement)
    assert find("石墨烯").total == 0  # not before the commit
    for callback in callbacks:
        callback()
    assert ids(find("石墨烯")) == [achievement.pk]


def test_a_locked_index_keeps_the_ids_pending_and_the_request_unharmed(
    index, personas, unit, django_capture_on_commit_callbacks, caplog
):
    engine = search.backend()
    engine.lock_timeout = 0.05
    data = validate_achievement(achievement_raw(name="石墨烯待索引"), today=TODAY)
    holder = engine._index.writer(heap_size=20_000_000, num_threads=1)  # another writer
    try:
        achievement = services.achievement_create(
            actor=personas.transfer_office, unit=unit, data=data
        )
        services.achievement_submit(actor=personas.transfer_office, achievement=achievement)
        with django_capture_on_commit_callbacks(execute=True):
            services.achievement_publish(actor=personas.bureau, achievement=achievement)
        assert "not updated" in caplog.text  # logged, not raised
        with pytest.raises(IndexBusy):
            search.sync([])
    finally:
        holder.rollback()
        holder.wait_merging_threads()
    assert find("石墨烯").total == 0
    assert search.sync([]) == (1, 0)  # the pending id is written by the next sync
    assert ids(find("石墨烯")) == [achievement.pk]
    assert search.sync([]) == (0, 0)


def test_rebuild_and_query_commands(publish):
    graphene = publish(name="石墨烯导热膜")
    publish(name="三七种植")
    search.backend().clear()
    assert find("石墨烯").total == 0

    out = io.StringIO()
    call_command("search_rebuild", batch=1, stdout=out)
    assert "2 achievements" in out.getvalue()
    assert ids(find("石墨烯")) == [graphene.pk]

    out = io.StringIO()
    call_command("search_query", "石墨烯", stdout=out)
    assert "1 found" in out.getvalue() and f"[{graphene.pk}] *石墨烯*导热膜" in out.getvalue()


def test_the_index_persists_on_disk(publish, settings):
    graphene = publish(name="石墨烯导热膜")
    search.reset()  # a new process opens the same directory
    assert ids(find("石墨烯")) == [graphene.pk]


# --- the engine alone ------------------------------------------------------------------------


def _doc(pk, name, **changes):
    fields = {
        "id": pk,
        "name": name,
        "abstract": "",
        "keywords": [],
        "translations": {},
        "unit_id": 1,
        "unit_name": "春城大学",
        "unit_name_en": "",
        "discipline": "430",
        "industry": "C",
        "trl": 5,
        "ip_kinds": [],
        "licensing": [],
        "year": 2025,
        "published_at": dt.datetime(2025, 1, pk, tzinfo=dt.UTC),
    }
    return SearchDoc(**(fields | changes))


def test_an_index_of_another_schema_is_replaced_by_an_empty_one(tmp_path, caplog):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("old", stored=True)
    tantivy.Index(builder.build(), path=str(tmp_path))
    engine = TantivyBackend(tmp_path)
    assert engine.count() == 0 and "search rebuild" in caplog.text
    engine.index([_doc(1, "石墨烯")])
    assert TantivyBackend(tmp_path).count() == 1


def test_count_groups_give_back_every_facet_value():
    chosen = {
        "trl": ["7"],
        "year": ["2024"],
        "discipline": ["520"],
        "industry": ["I"],
        "ip_kind": ["invention", "other"],
        "licensing": ["licence", "use_first_pay_later"],
        "unit": ["123"],
    }
    result = {
        group: {"buckets": [{"key": value, "doc_count": 2}], "sum_other_doc_count": 0}
        for group, value in facets.group_values(chosen).items()
    }
    counted = facets.counts(result, list(chosen))
    assert counted == {facet: dict.fromkeys(values, 2) for facet, values in chosen.items()}
    assert facets.total(result) == 2
    # a document without industry or IP is counted for the facets it has
    bare = facets.group_values({"trl": ["3"], "year": ["2020"], "discipline": ["110"]})
    assert set(facets._parts("c_discipline_trl", bare["c_discipline_trl"])) == {
        ("discipline", "110"),
        ("trl", "3"),
    }
    assert facets._parts("c_industry_licensing", bare["c_industry_licensing"]) == ()
    # codes stay small enough for tantivy to count them in an array
    assert max(facets.group_values(chosen).values()) < 16_000


def test_another_process_commits_are_seen_at_the_next_search(tmp_path):
    web, cli = TantivyBackend(tmp_path), TantivyBackend(tmp_path)  # as two processes would
    assert web.search(SearchQuery(text="石墨烯")).total == 0
    cli.index([_doc(1, "石墨烯薄膜")])
    assert [h.id for h in web.search(SearchQuery(text="石墨烯")).hits] == [1]
    cli.lock_timeout = 0.05
    with web.writer(), pytest.raises(IndexBusy):
        cli.delete([1])
    cli.delete([1])
    assert web.search(SearchQuery(text="石墨烯")).total == 0


def test_a_selected_value_beyond_the_counted_ones_still_shows_its_count(tmp_path, monkeypatch):
    engine = TantivyBackend(tmp_path)
    engine.index([_doc(n, "石墨烯", unit_id=1 if n < 4 else 2) for n in range(1, 6)])
    monkeypatch.setattr(facets, "SIZE", 1)
    result = engine.search(SearchQuery(text="石墨烯", filters={"unit": ["2"]}))
    assert result.total == 2
    assert dict(result.facets["unit"]) == {"1": 3, "2": 2}
    result = engine.search(SearchQuery(text="石墨烯", filters={"trl": ["5"], "unit": ["2"]}))
    assert dict(result.facets["unit"]) == {"1": 3, "2": 2}
