"""A headless browser for the load test: one Streamlit session over the websocket, spoken like the frontend.

The protocol of Streamlit 1.67, as read in the installed package (``web/server/starlette/
starlette_websocket.py``, ``runtime/app_session.py``, ``proto/*.pyi``):

- Connect to ``ws://host:port/_stcore/stream`` with the subprotocol ``streamlit``. The server runs nothing
  until the client asks.
- Every run is a ``BackMsg.rerun_script`` carrying a ``ClientState``: the URL's query string, the page
  (``page_script_hash``, or the URL path as ``page_name`` before the hashes are known), the widget values
  and the hashes of the big messages the client has cached.
- The server answers with ``ForwardMsg``s: ``new_session``, ``navigation`` (every page's hash and URL
  path), ``delta``s (the elements), ``page_info_changed`` (the new query string), and ``script_finished``.
  A big element the client said it has cached comes back as a ``ref_hash`` and is taken from the cache.

A widget bound to the URL (``bind="query-params"``) reads the URL only on a session's first run: later, as
in the browser, a change is the widget's new value in ``widget_states`` (the server does not echo it back).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM_PATH = "/_stcore/stream"
SUBPROTOCOL = "streamlit"
WIDGET_ID_PREFIX = "$$ID-"
FINISHED_OK = frozenset({ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY})
REFUSAL_FORMATS = frozenset({Alert.ERROR, Alert.WARNING, Alert.INFO})
MESSAGE_CACHE_ENTRIES = 500  # the browser keeps big elements to be sent by reference; so do we
LOCALES = {"en": ("en-GB", "Europe/London", 0), "zh": ("zh-CN", "Asia/Shanghai", -480)}

WidgetValue = str | float | int | bool


# --- pure helpers --------------------------------------------------------------------------------------


def widget_key(widget_id: str) -> str | None:
    """The user key in a widget id such as ``$$ID-<hash>-x0``; None for a widget without one.

    >>> (
    ...     widget_key("$$ID-14f4f697d62bf0191b9567fe98cc1786-f"),
    ...     widget_key("$$ID-14f4f697d62bf0191b9567fe98cc1786"),
    ... )
    ('f', None)
    """
    if not widget_id.startswith(WIDGET_ID_PREFIX):
        return None
    parts = widget_id[len(WIDGET_ID_PREFIX) :].split("-", 1)
    return parts[1] if len(parts) == 2 and parts[1] else None


def with_params(query_string: str, params: dict[str, WidgetValue]) -> str:
    """``query_string`` with ``params`` set (replaced where present, appended where not), URL-encoded.

    >>> with_params("lang=zh&f=x", {"f": "sin(x)", "x0": 1.5})
    'lang=zh&f=sin%28x%29&x0=1.5'
    """
    pairs = dict(parse_qsl(query_string, keep_blank_values=True))
    pairs.update({key: str(value) for key, value in params.items()})
    return urlencode(pairs)


def set_cookies(headers: list[str]) -> dict[str, str]:
    """The name and value of each ``Set-Cookie`` header (attributes such as path dropped).

    >>> set_cookies(["SRV=r2; path=/; HttpOnly", "other=1"])
    {'SRV': 'r2', 'other': '1'}
    """
    cookies = {}
    for header in headers:
        name, _, value = header.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    """The ``Cookie`` request header for ``cookies``.

    >>> cookie_header({"SRV": "r2", "other": "1"})
    'SRV=r2; other=1'
    """
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def widget_state(widget_id: str, value: WidgetValue) -> WidgetState:
    """The WidgetState the browser sends for a text box (str), a number box (float or int) or a toggle."""
    state = WidgetState(id=widget_id)
    if isinstance(value, bool):
        state.bool_value = value
    elif isinstance(value, int):
        state.int_value = value
    elif isinstance(value, float):
        state.double_value = value
    else:
        state.string_value = value
    return state


def context_info(language: str, url: str) -> ContextInfo:
    locale, timezone, offset = LOCALES[language]
    return ContextInfo(
        timezone=timezone, timezone_offset=offset, locale=locale, url=url, color_scheme="light"
    )


def rerun_message(
    query_string: str,
    page_name: str,
    page_script_hash: str,
    widgets: dict[str, WidgetValue],
    cached_hashes: list[str],
    context: ContextInfo,
    fragment_id: str = "",
) -> BackMsg:
    """The BackMsg that starts a run: what the browser sends on load, on a page change and on every input
    (with the fragment's id when the widget is inside an st.fragment: then only the fragment runs)."""
    message = BackMsg()
    state = message.rerun_script
    state.query_string = query_string
    state.fragment_id = fragment_id
    state.page_name = page_name
    state.page_script_hash = page_script_hash
    state.widget_states.SetInParent()
    state.widget_states.widgets.extend(widget_state(wid, value) for wid, value in widgets.items())
    state.cached_message_hashes.extend(cached_hashes)
    state.context_info.CopyFrom(context)
    return message


def comparable(element):
    """``element`` without what differs from session to session for the same page: a download button's
    deferred file id (a new one per session, for a file made on the click)."""
    if element.WhichOneof("type") != "download_button" or not element.download_button.deferred_file_id:
        return element
    copy = type(element)()
    copy.CopyFrom(element)
    copy.download_button.ClearField("deferred_file_id")
    return copy


# --- what one run showed -----------------------------------------------------------------------------------


@dataclass
class RunOutcome:
    """What the server sent for one run, reduced to what the load test checks."""

    seconds: float = 0.0
    status: int | None = None
    page_script_hash: str = ""
    exceptions: list[str] = field(default_factory=list)
    refusals: list[tuple[int, str]] = field(default_factory=list)  # (Alert.Format, body): the app's messages
    unknown_refs: int = 0
    new_tab: bool = False  # the run was a new session's first (a link opened in a new tab)
    _content: Any = field(default_factory=hashlib.sha256, repr=False)

    @property
    def finished_ok(self) -> bool:
        return self.status in FINISHED_OK

    def refused_with(self, alert_format: int) -> bool:
        """Whether the run showed an alert of this format (Alert.ERROR for st.error, …)."""
        return any(fmt == alert_format for fmt, _ in self.refusals)

    @property
    def content_digest(self) -> str:
        """A digest of every element the run drew, to tell whether an input changed the page."""
        return self._content.hexdigest()

    def add_element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
        elif kind == "alert" and element.alert.format in REFUSAL_FORMATS:
            self.refusals.append((element.alert.format, element.alert.body[:200]))
        self._content.update(comparable(element).SerializeToString(deterministic=True))


# --- the session -------------------------------------------------------------------------------------------


class AppSession:
    """One reader's tab: a websocket, the URL's query string, the page, the widget ids and the element cache.

    >>> session = AppSession("ws://127.0.0.1:8501", "zh")
    >>> session.query_string, session.page
    ('lang=zh', '')
    """

    def __init__(
        self, base_url: str, language: str, timeout: float = 60.0, cookies: dict[str, str] | None = None
    ):
        self.base_url = base_url
        # Cookies set by a load balancer (its affinity cookie naming a replica), sent back on every later
        # connection as a browser would: a new tab of the same browser goes to the same replica.
        self.cookies: dict[str, str] = dict(cookies or {})
        self.language = language
        self.timeout = timeout
        self.query_string = with_params("", {"lang": language})
        self.page = ""  # URL path of the page shown ("" is home)
        self.page_hashes: dict[str, str] = {}  # URL path -> page_script_hash, from the navigation message
        self.widget_ids: dict[str, str] = {}  # user key -> widget id on the page shown
        self.widget_fragments: dict[str, str] = {}  # user key -> id of the st.fragment the widget is in
        self.widget_values: dict[str, WidgetValue] = {}  # what this reader changed on the page shown
        self._cache: OrderedDict[str, ForwardMsg] = OrderedDict()
        self._socket = None

    async def connect(self) -> None:
        url = self.base_url.replace("http://", "ws://") + STREAM_PATH
        headers = {"Cookie": cookie_header(self.cookies)} if self.cookies else None
        self._socket = await websockets.connect(
            url,
            subprotocols=[SUBPROTOCOL],
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
            additional_headers=headers,
        )  # no pings: a browser cannot send them; the server pings and the library answers
        self.cookies.update(set_cookies(self._socket.response.headers.get_all("Set-Cookie")))

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    async def open_page(self, url_path: str) -> RunOutcome:
        """Go to a page as the menu does: its hash once known, the URL path before; no widget values."""
        self.page = url_path
        self.widget_values = {}
        return await self._run(page_name=url_path, page_script_hash=self.page_hashes.get(url_path, ""))

    async def follow_link(self, url_path: str, params: dict[str, WidgetValue]) -> RunOutcome:
        """Open ``url_path?params`` as a student following the teacher's link: one rerun with the page and
        the link's query string (the language kept). On another page the link opens in a new tab (a new
        session: Streamlit drops the query string on a page change within a session, and a bound widget
        reads the URL only when it is created); on the page shown, the link's values go as the widgets' new
        values, as the student would type them."""
        same_page = url_path == self.page and all(key in self.widget_ids for key in params)
        if not same_page:
            await self.close()
            self.page_hashes, self.widget_ids, self._cache = {}, {}, OrderedDict()
            await self.connect()
        self.page = url_path
        self.query_string = with_params("", {"lang": self.language} | params)
        self.widget_values = dict(params) if same_page else {}
        fragments = {self.widget_fragments.get(key, "") for key in params} if same_page else {""}
        fragment = fragments.pop() if len(fragments) == 1 else ""
        outcome = await self._run(url_path, self.page_hashes.get(url_path, ""), fragment)
        outcome.new_tab = not same_page
        return outcome

    async def set_widget(self, key: str, value: WidgetValue) -> RunOutcome:
        """Type into (or set) the widget with user key ``key`` on the page shown, as the browser sends it."""
        if key not in self.widget_ids:
            raise KeyError(f"no widget {key!r} on page {self.page!r}: {sorted(self.widget_ids)}")
        self.widget_values[key] = value
        self.query_string = with_params(self.query_string, {key: value})
        fragment = self.widget_fragments.get(key, "")
        return await self._run(self.page, self.page_hashes.get(self.page, ""), fragment)

    async def _run(self, page_name: str, page_script_hash: str, fragment_id: str = "") -> RunOutcome:
        widgets = {self.widget_ids[key]: value for key, value in self.widget_values.items()}
        url = f"{self.base_url}/{page_name}?{self.query_string}"
        message = rerun_message(
            self.query_string,
            page_name,
            page_script_hash,
            widgets,
            list(self._cache),
            context_info(self.language, url),
            fragment_id,
        )
        outcome = RunOutcome()
        if not fragment_id:  # a fragment's run redraws the fragment alone: the other widgets stay
            self.widget_ids, self.widget_fragments = {}, {}
        start = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        await asyncio.wait_for(self._receive_until_finished(outcome), self.timeout)
        outcome.seconds = time.perf_counter() - start
        if fragment_id and not outcome.page_script_hash:  # a fragment runs within the page shown
            outcome.page_script_hash = page_script_hash
        return outcome

    async def _receive_until_finished(self, outcome: RunOutcome) -> None:
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._socket.recv())
            message = self._resolve_reference(message, outcome)
            if self._handle(message, outcome):
                return

    def _resolve_reference(self, message: ForwardMsg, outcome: RunOutcome) -> ForwardMsg:
        if message.WhichOneof("type") != "ref_hash":
            if message.metadata.cacheable:
                self._remember(message)
            return message
        cached = self._cache.get(message.ref_hash)
        if cached is None:
            outcome.unknown_refs += 1
            return message
        self._cache.move_to_end(message.ref_hash)
        resolved = ForwardMsg()
        resolved.CopyFrom(cached)
        resolved.metadata.CopyFrom(message.metadata)
        return resolved

    def _remember(self, message: ForwardMsg) -> None:
        self._cache[message.hash] = message
        self._cache.move_to_end(message.hash)
        while len(self._cache) > MESSAGE_CACHE_ENTRIES:
            self._cache.popitem(last=False)

    def _handle(self, message: ForwardMsg, outcome: RunOutcome) -> bool:
        """Take in one message; True when it ends the run."""
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._take_element(message.delta.new_element, outcome, message.delta.fragment_id)
        elif kind == "navigation":
            self.page_hashes = {
                page.url_pathname: page.page_script_hash for page in message.navigation.app_pages
            }
            outcome.page_script_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            exception = message.session_event.script_compilation_exception
            outcome.exceptions.append(f"{exception.type}: {exception.message}"[:300])
        elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            outcome.status = message.script_finished
            return True
        return False

    def _take_element(self, element, outcome: RunOutcome, fragment_id: str = "") -> None:
        outcome.add_element(element)
        kind = element.WhichOneof("type")
        widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
        key = widget_key(widget_id) if isinstance(widget_id, str) else None
        if key is not None:
            self.widget_ids[key] = widget_id
            self.widget_fragments[key] = fragment_id
