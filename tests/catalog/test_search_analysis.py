"""Search text analysis: jieba words and the stop list, synonyms, pinyin and initials, character pairs."""

import pickle

import pytest

from catalog.search import analysis
from catalog.search.analysis import Synonyms


def tokens(text: str) -> list[str]:
    return [t.text for t in analysis.chinese_analyzer()(text)]


def test_analyzer_cuts_chinese_words_keeps_one_character_words_and_drops_stop_words():
    words = tokens("和田大枣、蜂蜜和柠檬的茶")
    assert "和田" in words and "大枣" in words
    assert "茶" in words  # Whoosh's default StopFilter would drop every one-character word
    assert "和" not in words and "的" not in words and "、" not in words


def test_search_mode_also_yields_the_shorter_words_inside_long_ones():
    assert {"马铃薯", "马铃"} <= set(tokens("定西马铃薯精淀粉"))


def test_place_names_from_our_word_list_stay_whole():
    # jieba alone cuts these as 彭/水晶/丝/苕/粉 and 城/口/山地/鸡
    assert "彭水" in tokens("彭水晶丝苕粉")
    assert "城口" in tokens("城口山地鸡 整鸡")


def test_query_words_use_the_precise_cut_without_stop_words_or_repeats():
    assert analysis.query_words("我想买和田的大枣 大枣") == ["和田", "大枣"]
    assert analysis.query_words("HeTianDaZao") == ["hetiandazao"]
    assert analysis.query_words("的 了") == []


def test_the_analyzer_survives_pickling_by_its_import_path():
    # The Whoosh schema pickles the analyzer into every index's table of contents.
    restored = pickle.loads(pickle.dumps(analysis.chinese_analyzer()))
    assert [t.text for t in restored("城口老腊肉")] == tokens("城口老腊肉")


def test_equivalent_synonyms_find_each_other_and_broader_words_find_narrower_ones():
    synonyms = Synonyms.parse(["土豆, 马铃薯，洋芋", "红枣, 大枣", "红枣 => 骏枣, 灰枣"])
    assert synonyms.expand("马铃薯") == {"土豆", "洋芋"}
    assert synonyms.expand("骏枣") == {"红枣", "大枣"}  # a 骏枣 is a 红枣 (and so a 大枣)
    assert synonyms.expand("红枣") == {"大枣"}  # but a search for 骏枣 does not find every 红枣
    assert synonyms.expand("苹果") == frozenset()


def test_the_synonym_file_has_the_regional_names_buyers_use():
    assert {"土豆", "洋芋"} <= analysis.expansions("马铃薯")
    assert {"地瓜", "番薯", "红苕"} <= analysis.expansions("红薯")


def test_index_time_synonyms_exclude_words_the_title_already_has():
    assert analysis.synonym_words("巫溪洋芋 高山土豆") >= {"马铃薯"}
    assert "土豆" not in analysis.synonym_words("巫溪洋芋 高山土豆")


@pytest.mark.parametrize(
    ("title", "full", "initials"),
    [
        ("和田大枣 一级", {"hetiandazao", "hetian", "dazao", "zao"}, {"htdz", "ht", "dz"}),
        ("重庆城口老腊肉", {"chongqing", "chengkoulaolarou", "larou"}, {"cqck", "ll"}),
        ("绿茶", {"lvcha"}, {"lc"}),
    ],
)
def test_pinyin_terms_spell_every_run_of_the_title(title, full, initials):
    got_full, got_initials, _ = analysis.pinyin_terms(title)
    assert full <= got_full
    assert initials <= got_initials
    assert "h" not in got_initials  # single letters would match nearly everything


def test_pinyin_runs_stop_at_non_chinese_text_and_at_the_length_limit():
    full, _, _ = analysis.pinyin_terms("大米 5kg/袋 精选")
    assert "dami" in full and "damidai" not in full
    long_full, _, _ = analysis.pinyin_terms("一二三四五六七八九十")
    assert "yierbasiwuliuqiba" not in long_full
    assert "yiersansiwuliuqiba" in long_full and "yiersansiwuliuqibajiu" not in long_full


def test_synonyms_are_spelled_too():
    _, _, via_synonym = analysis.pinyin_terms("和田骏枣 一级")
    assert {"hetiandazao", "htdz", "hongzao"} <= via_synonym


def test_pinyin_runs_map_a_synonym_spelling_back_to_the_title_characters():
    title = "和田骏枣 一级"
    spans = {(r.start, r.end) for r in analysis.pinyin_runs(title) if r.full == "hetiandazao"}
    assert {title[s:e] for s, e in spans} == {"和田骏枣"}


def test_character_pairs_cover_words_jieba_might_cut():
    assert {"彭水", "水晶", "苕", "粉"} <= analysis.char_grams("彭水晶丝苕粉")
    assert analysis.query_grams("马铃薯") == ["马铃", "铃薯"]
    assert analysis.query_grams("米") == ["米"]
    assert analysis.query_grams("tudou") == []


def test_polyphones_are_read_in_context():
    assert analysis.to_pinyin("重庆") == "chongqing"
    assert analysis.to_pinyin("重量") == "zhongliang"
