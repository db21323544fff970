"""The two catalogues agree: the same keys, the same placeholders, a message for every error code, and every
key the code asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from calc_core.errors import ERROR_CODES
from ui.glossary import GLOSSARY_TERMS
from ui.i18n import LANGUAGES, load_catalogue, placeholders, translate
from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]
CODE_FILES = [ROOT / "streamlit_app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "app_pages").glob("*.py")]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")

# The placeholders each error message must have (and nothing else): what calc_core's errors carry.
ERROR_PLACEHOLDERS = {
    "empty": set(),
    "too_long": {"limit", "length"},
    "control_character": {"codepoint"},
    "unexpected_character": {"char"},
    "unknown_name": {"name"},
    "function_needs_parentheses": {"name", "suggestion"},
    "unexpected_token": {"token"},
    "unexpected_end": set(),
    "missing_closing_parenthesis": set(),
    "unmatched_closing_parenthesis": set(),
    "wrong_argument_count": {"name", "expected", "got"},
    "bad_number": {"token"},
    "number_too_large": {"limit"},
    "power_too_large": {"limit"},
    "too_many_nodes": {"limit"},
    "too_deep": {"limit"},
    "plus_minus": {"token"},
    "numbers_side_by_side": {"first", "second", "product"},
    "unmatched_bar": set(),
    "function_argument_unclear": {"name"},
    "ambiguous_function_power": {"name", "power"},
    "number_out_of_range": {"token", "limit"},
    "log_base_unknown": {"name", "base"},
    "timeout": {"seconds"},
    "busy": {"seconds"},
    "memory_limit": {"megabytes"},
    "worker_failed": set(),
    "bad_range": {"low", "high"},
}
OTHER_PLACEHOLDERS = {"error.where": {"position"}, "error.did_you_mean": {"suggestion"}}


def keys_used_in_code() -> set[str]:
    """Literal keys: t("..."), and any string literal naming a catalogue key (title_key="nav.home", ...)."""
    sections = "|".join(sorted({key.split(".")[0] for key in load_catalogue("en")}))
    literal = re.compile(rf"""["']((?:{sections})\.[a-z0-9_]+)["']""")
    t_call = re.compile(r"""\bt\(\s*["']([^"']+)["']""")
    found = set()
    for path in CODE_FILES:
        source = path.read_text(encoding="utf-8")
        found |= set(literal.findall(source)) | set(t_call.findall(source))
    return found


def test_code_files_are_found():
    assert ROOT.joinpath("streamlit_app.py") in CODE_FILES
    assert len(keys_used_in_code()) > 20


def test_same_keys_in_both_languages():
    english, chinese = (set(load_catalogue(language)) for language in LANGUAGES)
    assert english - chinese == set(), "missing in zh.toml"
    assert chinese - english == set(), "missing in en.toml"


@pytest.mark.parametrize("key", sorted(load_catalogue("en")))
def test_same_placeholders_in_both_languages(key):
    assert placeholders("en", key) == placeholders("zh", key)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", sorted(load_catalogue("en")))
def test_every_template_formats(language, key):
    """Catches a stray brace (LaTeX must double them) and a value that is not a string."""
    template = load_catalogue(language)[key]
    assert isinstance(template, str)
    list(string.Formatter().parse(template))
    filled = translate(language, key, **{name: "X" for name in placeholders(language, key)})
    assert filled.strip()


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_every_error_code_has_its_message_with_the_right_placeholders(code):
    assert set(ERROR_PLACEHOLDERS) == ERROR_CODES
    for language in LANGUAGES:
        assert placeholders(language, f"error.{code}") == ERROR_PLACEHOLDERS[code]


@pytest.mark.parametrize("key", sorted(OTHER_PLACEHOLDERS))
def test_error_helpers_have_their_placeholders(key):
    for language in LANGUAGES:
        assert placeholders(language, key) == OTHER_PLACEHOLDERS[key]


def test_every_key_used_in_the_code_exists():
    missing = keys_used_in_code() - set(load_catalogue("en"))
    assert missing == set()


def test_every_page_has_its_title_and_summary():
    for spec in PAGES:
        for language in LANGUAGES:
            assert translate(language, spec.title_key)
            assert translate(language, spec.summary_key)


def test_every_glossary_term_is_in_the_catalogue_and_shown():
    glossary_keys = {
        key.removeprefix("glossary.") for key in load_catalogue("en") if key.startswith("glossary.")
    }
    assert glossary_keys == set(GLOSSARY_TERMS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_empty_strings(language):
    empty = [key for key, value in load_catalogue(language).items() if not value.strip()]
    assert empty == []


def test_chinese_strings_are_chinese():
    not_chinese = [key for key, value in load_catalogue("zh").items() if not CJK.search(value)]
    assert not_chinese == []


def test_error_messages_do_not_mention_the_position():
    for language in LANGUAGES:
        for code in ERROR_CODES:
            assert "position" not in placeholders(language, f"error.{code}")


# Han ideographs, CJK punctuation (、。「」) and full-width forms (，：；（）): between two of them
# a line break or a space is drawn by the browser as a visible gap (这个最快的 变化率), so a zh value
# has neither. A blank line (a Markdown paragraph break) is allowed: it draws no space.
CJK_CHAR = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
CJK_GAP = re.compile(rf"(?<={CJK_CHAR})[ \t\u00a0\u3000]*(?:\n[ \t\u00a0\u3000]*)?(?={CJK_CHAR})")


def cjk_gaps(value: str) -> list[str]:
    """Each place in ``value`` where a space or a single line break stands between two CJK characters.

    For example "最快的\\n变化率" has one, "滑去， 割线" one, "一段。\\n\\n二段" none, "f 的导数" none.
    """
    return [value[m.start() - 1 : m.end() + 1] for m in CJK_GAP.finditer(value) if m.end() > m.start()]


@pytest.mark.parametrize(
    "value, gaps",
    [
        ("这个最快的\n变化率", 1),
        ("在计算图上 反向运用", 1),
        ("滑去，\n割线", 1),
        ("滑去，\u3000割线", 1),
        ("一段。\n\n二段", 0),
        ("x₁ 和 x₂", 0),
    ],
)
def test_cjk_gap_detector(value, gaps):
    assert len(cjk_gaps(value)) == gaps


def test_no_space_or_line_break_between_chinese_characters():
    found = {key: cjk_gaps(value) for key, value in load_catalogue("zh").items()}
    assert {key: gaps for key, gaps in found.items() if gaps} == {}


# The meaning audit (issue 15): what a bilingual reader checks pair by pair, as rules a test can hold.
CHINESE_DOCS = [ROOT / "docs" / "teaching.zh.md", ROOT / "docs" / "input.zh.md"]
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
NUMBER = re.compile(r"(?<![A-Za-z_\d])\d+(?:\.\d+)?")  # not the 2 of D2L, the 1 of x1, the 64 of float64

# Keys whose two values legitimately write a number differently: (numbers only in en, numbers only in zh).
NUMBERS_WRITTEN_IN_WORDS = {
    # "more than 2,000 years" is 两千多年 in Chinese prose; the digits 2000 would read as a year.
    "limits.intro": ({"2000"}, set()),
    "limits.exhaustion_body": ({"2000"}, set()),
    "limits.link_back_body": ({"2000"}, set()),
    # "A 3D surface" is 三维曲面.
    "partials.surface_alt": ({"3"}, set()),
}


def numbers(template: str) -> set[str]:
    """The numbers a template's reader sees, outside its {placeholders}; 2,500 and 2500 are the same.

    For example "about 2,500 years, {n} sides, $\\frac{{1}}{{7}}$" gives {"2500", "1", "7"}.
    """
    literal = "".join(text for text, *_ in string.Formatter().parse(template))
    return set(NUMBER.findall(THOUSANDS.sub("", literal)))


def test_numbers_reader():
    assert numbers("about 2,500 years, {n} sides, $\\frac{{1}}{{7}}$") == {"2500", "1", "7"}
    assert numbers("大约 2500 年，1, 2 和 0.00001") == {"2500", "1", "2", "0.00001"}
    assert numbers("D2L 2.4 节，x1 和 float64") == {"2.4"}


@pytest.mark.parametrize("key", sorted(load_catalogue("en")))
def test_the_same_numbers_in_both_languages(key):
    """A number in one language's text and not in the other's is a different claim (or a dropped clause)."""
    english, chinese = numbers(load_catalogue("en")[key]), numbers(load_catalogue("zh")[key])
    only_english, only_chinese = NUMBERS_WRITTEN_IN_WORDS.get(key, (set(), set()))
    assert (english - chinese, chinese - english) == (only_english, only_chinese)


def test_the_allow_list_of_numbers_names_real_keys():
    assert set(NUMBERS_WRITTEN_IN_WORDS) <= set(load_catalogue("en"))


# After its first mention the book is 书中 or 《动手学深度学习》 in Chinese, never "D2L" doing something
# ("D2L 用……", "D2L 把……", "与 D2L 相同"). "D2L" may stay only where it labels: as a possessive (D2L 的),
# before a section or exercise number (D2L 2.5, D2L 第 2.4 节), in parentheses ((D2L)) or before a colon.
D2L_AS_ACTOR = re.compile(r"D2L(?!\s*(?:的|\d|第|）|\)|：))")


def chinese_texts() -> dict[str, str]:
    texts = {f"zh.toml {key}": value for key, value in load_catalogue("zh").items()}
    texts |= {path.name: path.read_text(encoding="utf-8") for path in CHINESE_DOCS if path.exists()}
    return texts


@pytest.mark.parametrize(
    "text, found",
    [
        ("书中的例子，D2L 的图", 0),
        ("（D2L 2.5 节）、D2L 第 2.4 节、分母布局（D2L）、D2L：3x²", 0),
        ("本页先重现 D2L 例子", 1),
        ("与 SymPy 和 D2L 相同", 1),
        ("（D2L 用的那种）", 1),
    ],
)
def test_d2l_as_actor_detector(text, found):
    assert len(D2L_AS_ACTOR.findall(text)) == found


def test_chinese_text_does_not_make_d2l_the_subject():
    found = {name: D2L_AS_ACTOR.findall(text) for name, text in chinese_texts().items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


# Chinese sentences take full-width punctuation: an ASCII comma, colon, semicolon, question or exclamation
# mark right after a Chinese character, or right before one, is a half-width slip (函数, 例如 → 函数，例如).
ASCII_PUNCTUATION_BY_HAN = re.compile(rf"{HAN}[,:;?!]|[,:;?!][ \t]*{HAN}")


@pytest.mark.parametrize(
    "text, found",
    [("函数, 例如", 1), ("是多少?", 1), ("例如：`1, 2`", 0), ("点 (1, 2) 处", 0), ("x1,x2", 0)],
)
def test_ascii_punctuation_detector(text, found):
    assert len(ASCII_PUNCTUATION_BY_HAN.findall(text)) == found


def test_no_ascii_punctuation_beside_chinese_characters():
    found = {name: ASCII_PUNCTUATION_BY_HAN.findall(text) for name, text in chinese_texts().items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


@pytest.mark.parametrize("path", CHINESE_DOCS, ids=lambda path: path.name)
def test_no_space_or_line_break_between_chinese_characters_in_the_chinese_docs(path):
    assert cjk_gaps(path.read_text(encoding="utf-8")) == []
