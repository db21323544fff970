"""The load test's pure parts (benchmarks/load_client.py, benchmarks/load_test.py): no server needed.

The load test itself is run by hand (benchmarks/README.md); these checks make its helpers able to fail in CI.
"""

from __future__ import annotations

import doctest
import math
import os
import random
import statistics
import subprocess
import sys
from urllib.parse import parse_qs

import pytest
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import load_client, load_test
from benchmarks.load_client import AppSession, RunOutcome, rerun_message, widget_key, with_params
from benchmarks.load_test import Change, percentile, problems_in
from ui.navigation import PAGES


def test_the_doctests_of_both_modules_pass():
    for module in (load_client, load_test):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(
    ("widget_id", "key"),
    [
        ("$$ID-14f4f697d62bf0191b9567fe98cc1786-f", "f"),
        ("$$ID-8bb4a5747bb8552ac2498977b09f6396-x0", "x0"),
        (
            "$$ID-702b40255a91abd7a5d5e4f1f2fec51b-example_partials.example_d2l",
            "example_partials.example_d2l",
        ),
        ("$$ID-14f4f697d62bf0191b9567fe98cc1786", None),
        ("plain-id", None),
        ("", None),
    ],
)
def test_widget_key_is_the_user_key_after_the_hash(widget_id, key):
    assert widget_key(widget_id) == key


def test_with_params_replaces_appends_and_encodes_hostile_text():
    query = with_params("lang=zh&f=x", {"f": "x^99999^9 + 😀\x00&", "x0": 1.5})
    assert parse_qs(query) == {"lang": ["zh"], "f": ["x^99999^9 + 😀\x00&"], "x0": ["1.5"]}
    assert query.startswith("lang=zh&f=")


def test_rerun_message_carries_page_widgets_cache_and_context():
    message = rerun_message(
        "lang=en",
        "limits",
        "abc",
        {"$$ID-1-f": "sin(x)", "$$ID-2-x0": 2.5, "$$ID-3-seed": 7, "$$ID-4-projector_switch": True},
        ["hash1"],
        load_client.context_info("zh", "http://127.0.0.1:1/limits?lang=en"),
    )
    state = message.rerun_script
    assert (state.query_string, state.page_name, state.page_script_hash) == ("lang=en", "limits", "abc")
    kinds = {w.id: w.WhichOneof("value") for w in state.widget_states.widgets}
    assert kinds == {
        "$$ID-1-f": "string_value",
        "$$ID-2-x0": "double_value",
        "$$ID-3-seed": "int_value",
        "$$ID-4-projector_switch": "bool_value",
    }
    assert list(state.cached_message_hashes) == ["hash1"]
    assert state.context_info.locale == "zh-CN"


def test_percentile_interpolates_like_the_inclusive_quantiles():
    values = [random.Random(3).uniform(0, 100) for _ in range(101)]
    assert percentile(values, 50) == pytest.approx(statistics.median(values))
    assert percentile(values, 95) == pytest.approx(statistics.quantiles(values, n=20, method="inclusive")[-1])
    assert percentile([5.0], 95) == 5.0
    assert math.isnan(percentile([], 50))


def test_memory_of_this_process_is_read_from_proc():
    with open("/proc/self/status") as status:
        rss = load_test.parse_status_kb(status.read())
    assert rss is not None and rss > 1000  # a Python process with pytest loaded uses more than 1 MB
    with open("/proc/self/stat") as stat:
        assert load_test.parse_parent_pid(stat.read()) == os.getppid()
    assert load_test.parse_status_kb("Name:\tzombie\n") is None


def test_descendants_and_the_memory_sample_include_a_child_process():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in load_test.descendants(os.getpid())
        sample = load_test.sample_memory((os.getpid(),), started=0.0)
        assert sample.processes >= 2
        assert sample.total_mb > sample.main_mb > 1
    finally:
        child.kill()
        child.wait()


def outcome_with(
    alerts=(), exceptions=(), status=ForwardMsg.FINISHED_SUCCESSFULLY, content=b""
) -> RunOutcome:
    outcome = RunOutcome(status=status)
    for alert_format, body in alerts:
        element = Element()
        element.alert.format = alert_format
        element.alert.body = body
        outcome.add_element(element)
    for text in exceptions:
        element = Element()
        element.exception.type = "KeyError"
        element.exception.message = text
        outcome.add_element(element)
    outcome._content.update(content)
    return outcome


FUNCTION = Change("function", "limits", "f", "sin(x)")
HOSTILE = Change("function", "limits", "f", "x^99999^9", hostile=True, must_refuse=True)


def test_a_clean_run_that_changed_the_page_has_no_problem():
    assert problems_in(FUNCTION, outcome_with(content=b"new"), outcome_with(content=b"old"), "") == []


def test_exceptions_bad_status_and_unchanged_pages_are_problems():
    previous = outcome_with(content=b"same")
    assert problems_in(FUNCTION, outcome_with(exceptions=["boom"], content=b"x"), previous, "") == [
        "exception element: KeyError: boom"
    ]
    failed = outcome_with(status=ForwardMsg.FINISHED_WITH_COMPILE_ERROR, content=b"x")
    assert problems_in(FUNCTION, failed, previous, "") == ["script_finished status 1"]
    assert problems_in(FUNCTION, outcome_with(content=b"same"), previous, "") == [
        "the new value changed nothing on the page"
    ]


def test_an_unchanged_page_is_fine_after_a_refused_function():
    previous = outcome_with(alerts=[(Alert.ERROR, "no")], content=b"same")
    point = Change("point", "limits", "x0", 2.0, refusal_format=Alert.WARNING)
    unchanged = outcome_with(alerts=[(Alert.ERROR, "no")], content=b"same")
    assert problems_in(point, unchanged, previous, "") == []


def test_hostile_input_needs_the_apps_own_message_of_the_right_kind():
    assert problems_in(HOSTILE, outcome_with(alerts=[(Alert.ERROR, "too large")]), None, "") == []
    assert problems_in(HOSTILE, outcome_with(alerts=[(Alert.SUCCESS, "fine")]), None, "") == [
        "hostile input shown without the app's error message"
    ]


def test_a_page_change_must_show_the_page_asked_for():
    shown = outcome_with()
    shown.page_script_hash = "other"
    assert problems_in(Change("page", "rules"), shown, None, "rules-hash") == [
        "asked for page 'rules', the server showed 'other'"
    ]


def test_every_page_of_the_app_has_inputs_to_change():
    assert set(load_test.PAGE_KNOBS) == {spec.url_path for spec in PAGES}


@pytest.mark.parametrize("page", load_test.PAGE_PATHS)
def test_a_reader_never_types_the_value_the_box_already_holds(page):
    rng = random.Random(7)
    current: dict = {}
    for _ in range(300):
        change = load_test.next_change(page, rng, hostile_session=True, last_values=current)
        assert change.page != page if change.kind == "page" else change.page == page
        if change.kind != "page":
            assert change.value != current.get(change.key)
            current[change.key] = change.value


def test_hostile_sessions_type_the_hostile_list():
    rng = random.Random(1)
    changes = [load_test.next_change("limits", rng, True, {}) for _ in range(400)]
    hostile = {c.value for c in changes if c.hostile}
    assert hostile and hostile <= {h.text for h in load_test.HOSTILE_FUNCTIONS}
    assert all(c.refusal_format == Alert.ERROR for c in changes if c.hostile)


def forward(kind: str, **fields) -> ForwardMsg:
    message = ForwardMsg()
    if kind == "navigation":
        for path, page_hash in fields["pages"].items():
            page = message.navigation.app_pages.add()
            page.url_pathname, page.page_script_hash = path, page_hash
        message.navigation.page_script_hash = fields["current"]
    elif kind == "page_info_changed":
        message.page_info_changed.query_string = fields["query"]
    elif kind == "script_finished":
        message.script_finished = fields["status"]
    elif kind == "text_input":
        message.delta.new_element.text_input.id = fields["id"]
        message.hash, message.metadata.cacheable = fields.get("hash", ""), bool(fields.get("hash"))
    return message


def test_the_session_takes_in_navigation_url_widgets_and_the_end_of_a_run():
    session = AppSession("http://127.0.0.1:1", "en")
    outcome = RunOutcome()
    assert not session._handle(forward("navigation", pages={"": "h0", "limits": "h1"}, current="h1"), outcome)
    assert not session._handle(forward("page_info_changed", query="lang=en&f=x"), outcome)
    assert not session._handle(forward("text_input", id="$$ID-abc-f"), outcome)
    assert not session._handle(
        forward("script_finished", status=ForwardMsg.FINISHED_EARLY_FOR_RERUN), outcome
    )
    assert session._handle(forward("script_finished", status=ForwardMsg.FINISHED_SUCCESSFULLY), outcome)
    assert session.page_hashes == {"": "h0", "limits": "h1"}
    assert outcome.page_script_hash == "h1"
    assert session.query_string == "lang=en&f=x"
    assert session.widget_ids == {"f": "$$ID-abc-f"}
    assert outcome.finished_ok


def test_a_reference_is_answered_from_the_cache_and_an_unknown_one_is_counted():
    session = AppSession("http://127.0.0.1:1", "en")
    outcome = RunOutcome()
    big = forward("text_input", id="$$ID-abc-f", hash="h-big")
    assert session._resolve_reference(big, outcome) is big
    reference = ForwardMsg(ref_hash="h-big")
    reference.metadata.delta_path.extend([0, 3])
    resolved = session._resolve_reference(reference, outcome)
    assert resolved.delta.new_element.text_input.id == "$$ID-abc-f"
    assert list(resolved.metadata.delta_path) == [0, 3]
    session._resolve_reference(ForwardMsg(ref_hash="never-sent"), outcome)
    assert outcome.unknown_refs == 1


def test_cpu_time_of_this_process_is_read_from_proc():
    spent = sum(os.times()[:2])
    assert load_test.cpu_seconds(os.getpid()) == pytest.approx(spent, abs=0.5)
    own = load_test.cpu_seconds(os.getpid())  # read first: the process's time only grows
    assert load_test.tree_cpu_seconds(os.getpid()) >= own
    assert load_test.cpu_seconds(2**22 + 12345) == 0.0  # above pid_max: no such process


def test_a_refusal_counts_as_new_only_if_the_run_before_showed_none():
    refused = outcome_with(alerts=[(Alert.ERROR, "no")])
    assert load_test.newly_refused(refused, outcome_with())
    assert load_test.newly_refused(refused, None)
    assert not load_test.newly_refused(refused, refused)
    assert not load_test.newly_refused(outcome_with(alerts=[(Alert.WARNING, "hm")]), None)


def test_the_memory_sample_counts_proportional_set_size_of_every_process():
    sample = load_test.sample_memory((os.getpid(),), started=0.0)
    assert 1 < sample.pss_mb <= sample.total_mb + 1  # PSS counts a shared page once: never above RSS
    assert load_test.pss_kb(2**22 + 12345) == 0  # a process that does not exist


def test_the_teacher_projects_every_round_in_turn_and_students_pick_one_of_three_points():
    rounds = [
        load_test.teacher_round(seconds, 10) for seconds in range(0, 10 * len(load_test.TEACHER_ROUNDS), 10)
    ]
    assert rounds == list(load_test.TEACHER_ROUNDS)
    assert load_test.teacher_round(10 * len(load_test.TEACHER_ROUNDS) + 5, 10) is load_test.TEACHER_ROUNDS[0]
    assert {spec.url_path for spec in PAGES} >= {r.page for r in load_test.TEACHER_ROUNDS}
    rng = random.Random(5)
    limits = load_test.TEACHER_ROUNDS[0]
    points = {limits.link(rng)["x0"] for _ in range(200)}
    assert points == set(load_test.TEACHER_X0)
    assert all(limits.link(rng)["f"] == limits.functions["f"] for _ in range(20))


def link_change() -> Change:
    return Change("link", "limits", value="f=sin%28x%29&x0=1.0", link={"f": "sin(x)", "x0": 1.0})


def test_a_teachers_link_must_not_be_refused_but_may_show_a_note():
    assert problems_in(link_change(), outcome_with(alerts=[(Alert.INFO, "a note")]), None, "") == []
    assert problems_in(link_change(), outcome_with(alerts=[(Alert.ERROR, "bad")]), None, "") == [
        "the teacher's link was refused: 'bad'"
    ]


def test_the_same_link_in_a_new_tab_must_draw_the_same_page():
    recorder = load_test.Recorder()
    first, same, other = outcome_with(content=b"a"), outcome_with(content=b"a"), outcome_with(content=b"b")
    for outcome in (first, same, other):
        outcome.new_tab = True
    assert recorder.same_link_same_page("en", link_change(), first)
    assert recorder.same_link_same_page("en", link_change(), same)
    assert not recorder.same_link_same_page("en", link_change(), other)
    assert recorder.same_link_same_page("zh", link_change(), other)  # another language draws other text
    other.new_tab = False
    assert recorder.same_link_same_page("en", link_change(), other)  # a session's history may differ


def test_a_download_buttons_session_file_id_does_not_change_the_content_digest():
    def button(file_id: str) -> Element:
        element = Element()
        element.download_button.label = "CSV"
        element.download_button.deferred_file_id = file_id
        return element

    one, two, three = RunOutcome(), RunOutcome(), RunOutcome()
    one.add_element(button("a1"))
    two.add_element(button("b2"))
    relabelled = button("a1")
    relabelled.download_button.label = "PNG"
    three.add_element(relabelled)
    assert one.content_digest == two.content_digest != three.content_digest


def test_a_widget_inside_a_fragment_is_rerun_with_its_fragments_id():
    session = AppSession("http://127.0.0.1:1", "en")
    message = ForwardMsg()
    message.delta.fragment_id = "fragment-1"
    message.delta.new_element.text_input.id = "$$ID-14f4f697d62bf0191b9567fe98cc1786-f"
    outside = ForwardMsg()
    outside.delta.new_element.text_input.id = "$$ID-8bb4a5747bb8552ac2498977b09f6396-x0"
    outcome = RunOutcome()
    session._handle(message, outcome)
    session._handle(outside, outcome)
    assert session.widget_fragments == {"f": "fragment-1", "x0": ""}
    rerun = rerun_message("lang=en", "limits", "", {}, [], load_client.context_info("en", "u"), "fragment-1")
    assert rerun.rerun_script.fragment_id == "fragment-1"
    assert (
        rerun_message("", "", "", {}, [], load_client.context_info("en", "u")).rerun_script.fragment_id == ""
    )
