// Sketch, then reveal: a Streamlit custom component (st.components.v2), plain JavaScript, no build step.
//
// Two modes share the drawing, the keyboard handling and the Reveal:
//   "curve": a graph on top (f, or f' for the reverse task) and, under it on the same x axis, an empty
//            panel where the student draws a function of x, sampled on the server's grid of knots;
//   "arrow": a contour map with a point, where the student drags an arrow for the gradient there.
// All drawing happens here, in the browser: Python hears of it once, when Reveal is pressed
// (setTriggerValue("reveal", ...)). Clear and every stroke stay in the browser.
// The data from Python holds the numbers and the translated texts; nothing here is user text put into
// HTML (every text goes in with textContent or setAttribute).

const SVG = "http://www.w3.org/2000/svg";
const STATE = new Map(); // per component key: what the student has drawn, across Python reruns

// The panels' coordinate system: as wide as the column in CSS pixels (so text keeps its size on a phone),
// between 360 and 640; the SVG then scales to the column's width.
let W = 640;
const PAD = { left: 46, right: 14, top: 12, bottom: 26 };

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function html(name, attrs, parent) {
  const node = document.createElement(name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function fmt(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const rounded = Math.abs(value) < 1e-9 ? 0 : value;
  const text = Number(rounded.toPrecision(3)).toString();
  return text.replace("-", "\u2212");
}

function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : ""));
}

function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

// A panel: an SVG with x from the window and y from ylim, axes, ticks and a zero line.
function panel(parent, opts) {
  const height = opts.height;
  const svg = el("svg", { viewBox: `0 0 ${W} ${height}`, class: "sk-panel " + (opts.cls || ""), role: "img" }, parent);
  const [x0, x1] = opts.xlim;
  const [y0, y1] = opts.ylim;
  const px = (x) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (y) => height - PAD.bottom - ((y - y0) / (y1 - y0)) * (height - PAD.top - PAD.bottom);
  const ix = (p) => x0 + ((p - PAD.left) / (W - PAD.left - PAD.right)) * (x1 - x0);
  const iy = (p) => y0 + ((height - PAD.bottom - p) / (height - PAD.top - PAD.bottom)) * (y1 - y0);
  const axes = el("g", { class: "sk-axes" }, svg);
  el("rect", { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: height - PAD.top - PAD.bottom, class: "sk-frame" }, axes);
  for (const t of niceTicks(x0, x1, W < 500 ? 4 : 8)) {
    el("line", { x1: px(t), x2: px(t), y1: PAD.top, y2: height - PAD.bottom, class: "sk-grid" }, axes);
    const label = el("text", { x: px(t), y: height - PAD.bottom + 16, class: "sk-tick", "text-anchor": "middle" }, axes);
    label.textContent = fmt(t);
  }
  for (const t of niceTicks(y0, y1, 4)) {
    el("line", { x1: PAD.left, x2: W - PAD.right, y1: py(t), y2: py(t), class: "sk-grid" }, axes);
    const label = el("text", { x: PAD.left - 6, y: py(t) + 4, class: "sk-tick", "text-anchor": "end" }, axes);
    label.textContent = fmt(t);
  }
  if (y0 < 0 && y1 > 0) el("line", { x1: PAD.left, x2: W - PAD.right, y1: py(0), y2: py(0), class: "sk-zero" }, axes);
  if (x0 < 0 && x1 > 0) el("line", { x1: px(0), x2: px(0), y1: PAD.top, y2: height - PAD.bottom, class: "sk-zero" }, axes);
  if (opts.title) {
    const title = el("text", { x: PAD.left + 6, y: PAD.top + 16, class: "sk-title" }, svg);
    title.textContent = opts.title;
  }
  return { svg, px, py, ix, iy, height };
}

// A polyline through (xs, ys) broken at missing values and at points outside the y range.
// Under the drawing, in both modes: the status line (read out by screen readers), Clear and Reveal, a hint.
function controls(root, text) {
  const status = html("div", { class: "sk-status", "aria-live": "polite", "data-testid": "sketch-status" }, root);
  const buttons = html("div", { class: "sk-buttons" }, root);
  const clear = html("button", { type: "button", class: "sk-button", "data-testid": "sketch-clear" }, buttons);
  clear.textContent = text.clear;
  const reveal = html("button", { type: "button", class: "sk-button sk-primary", "data-testid": "sketch-reveal" }, buttons);
  reveal.textContent = text.reveal;
  const hint = html("div", { class: "sk-hint" }, root);
  hint.textContent = text.hint;
  return { status, clear, reveal };
}

// Where a pointer event falls in the SVG's own units (it is drawn W wide and `height` high, then scaled).
function svgPoint(svg, event, height) {
  const rect = svg.getBoundingClientRect();
  return [((event.clientX - rect.left) / rect.width) * W, ((event.clientY - rect.top) / rect.height) * height];
}

// After the student changes the drawing: a revealed answer hides again (it answered the old one), redraw.
function changedThen(data, state, render) {
  return () => {
    if (data.revealed) state.hideReveal = true;
    render();
  };
}

function pathOf(p, xs, ys, ylim) {
  let d = "";
  let pen = false;
  const span = ylim[1] - ylim[0];
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(y) || y < ylim[0] - span || y > ylim[1] + span) {
      pen = false;
      continue;
    }
    const yc = Math.max(ylim[0] - 0.05 * span, Math.min(ylim[1] + 0.05 * span, y));
    d += (pen ? "L" : "M") + p.px(xs[i]).toFixed(2) + "," + p.py(yc).toFixed(2);
    pen = true;
  }
  return d;
}

function curveMode(component, root, data) {
  const { setTriggerValue, key } = component;
  const text = data.text;
  const knots = data.knots;
  const n = knots.length;
  let state = STATE.get(key);
  if (!state || state.token !== data.token) {
    state = { token: data.token, y: new Array(n).fill(null), sel: Math.floor(n / 2), hideReveal: false, nonce: 0 };
    STATE.set(key, state);
  }
  if (data.revealed && data.revealed.sketch && state.y.every((v) => v === null)) {
    state.y = data.revealed.sketch.slice(0, n);
  }
  if (data.revealed && data.revealed.nonce !== state.shownNonce) {
    state.shownNonce = data.revealed.nonce;
    state.hideReveal = false;
  }
  const xlim = [knots[0], knots[n - 1]];
  const heights = data.projector ? { top: 230, draw: 270 } : { top: 200, draw: 250 };

  const top = panel(root, { height: heights.top, xlim, ylim: data.top.ylim, title: data.top.label, cls: "sk-top" });
  top.svg.setAttribute("aria-label", data.top.aria);
  el("path", { d: pathOf(top, data.top.x, data.top.y, data.top.ylim), class: "sk-given" }, top.svg);
  if (data.point) {
    el("circle", { cx: top.px(data.point[0]), cy: top.py(data.point[1]), r: 4, class: "sk-given-point" }, top.svg);
  }

  const draw = panel(root, { height: heights.draw, xlim, ylim: data.draw.ylim, title: data.draw.label, cls: "sk-draw" });
  const svg = draw.svg;
  svg.setAttribute("role", "slider");
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("aria-label", text.draw_aria);
  svg.setAttribute("aria-valuemin", String(data.draw.ylim[0]));
  svg.setAttribute("aria-valuemax", String(data.draw.ylim[1]));
  svg.setAttribute("data-testid", "sketch-draw");
  const shade = el("g", { class: "sk-off" }, svg);
  const sketchPath = el("path", { class: "sk-sketch" }, svg);
  const handles = el("g", { class: "sk-handles" }, svg);
  const truthPath = el("path", { class: "sk-truth", "data-testid": "sketch-truth" }, svg);
  if (data.point) {
    el("circle", { cx: draw.px(data.point[0]), cy: draw.py(data.point[1]), r: 6, class: "sk-target-point" }, svg);
  }
  const cursor = el("line", { class: "sk-cursor", y1: PAD.top, y2: draw.height - PAD.bottom }, svg);
  const selected = el("circle", { r: 7, class: "sk-selected" }, svg);

  const { status, clear, reveal } = controls(root, text);

  const ylim = data.draw.ylim;
  const step = (ylim[1] - ylim[0]) / 40;
  const clamp = (y) => Math.max(ylim[0], Math.min(ylim[1], y));

  function describe(i) {
    const y = state.y[i];
    return fill(y === null ? text.knot_empty : text.knot, { x: fmt(knots[i]), y: fmt(y) });
  }

  function render() {
    sketchPath.setAttribute("d", pathOf(draw, knots, state.y, ylim));
    handles.replaceChildren();
    for (let i = 0; i < n; i++) {
      if (state.y[i] === null) continue;
      el("circle", { cx: draw.px(knots[i]), cy: draw.py(state.y[i]), r: 2.2, class: "sk-knot" }, handles);
    }
    const r = data.revealed;
    const showReveal = r && !state.hideReveal;
    truthPath.setAttribute("d", showReveal ? pathOf(draw, r.x, r.y, ylim) : "");
    shade.replaceChildren();
    if (showReveal && r.off) {
      const half = (knots[1] - knots[0]) / 2;
      for (let i = 0; i < n; i++) {
        if (!r.off[i]) continue;
        const a = draw.px(knots[i] - half), b = draw.px(knots[i] + half);
        el("rect", { x: a, y: PAD.top, width: b - a, height: draw.height - PAD.top - PAD.bottom, "data-off": i }, shade);
      }
    }
    const xs = draw.px(knots[state.sel]);
    cursor.setAttribute("x1", xs);
    cursor.setAttribute("x2", xs);
    const y = state.y[state.sel];
    selected.setAttribute("cx", xs);
    selected.setAttribute("cy", draw.py(y === null ? 0 : y));
    selected.setAttribute("visibility", y === null ? "hidden" : "visible");
    svg.setAttribute("aria-valuenow", String(y === null ? 0 : y));
    svg.setAttribute("aria-valuetext", describe(state.sel));
    svg.setAttribute("data-drawn", String(state.y.filter((v) => v !== null).length));
  }

  const changed = changedThen(data, state, render);

  // Pointer and touch: a stroke sets every knot it passes over, by linear interpolation between events.
  let last = null;
  function toData(event) {
    const [sx, sy] = svgPoint(svg, event, draw.height);
    return [draw.ix(sx), clamp(draw.iy(sy))];
  }
  function nearestKnot(x) {
    const i = Math.round(((x - knots[0]) / (knots[n - 1] - knots[0])) * (n - 1));
    return Math.max(0, Math.min(n - 1, i));
  }
  function paint(a, b) {
    const [xa, ya] = a;
    const [xb, yb] = b;
    const ia = nearestKnot(Math.min(xa, xb));
    const ib = nearestKnot(Math.max(xa, xb));
    for (let i = ia; i <= ib; i++) {
      const t = xb === xa ? 1 : (knots[i] - xa) / (xb - xa);
      const tt = Math.max(0, Math.min(1, t));
      state.y[i] = clamp(ya + (yb - ya) * tt);
    }
    state.sel = nearestKnot(xb);
  }
  function down(event) {
    event.preventDefault();
    svg.setPointerCapture?.(event.pointerId);
    last = toData(event);
    paint(last, last);
    changed();
  }
  function move(event) {
    if (last === null) return;
    event.preventDefault();
    const now = toData(event);
    paint(last, now);
    last = now;
    changed();
  }
  function up() {
    if (last === null) return;
    last = null;
    status.textContent = describe(state.sel);
  }
  svg.addEventListener("pointerdown", down);
  svg.addEventListener("pointermove", move);
  svg.addEventListener("pointerup", up);
  svg.addEventListener("pointercancel", up);

  // Keyboard: left/right choose a knot, up/down move it (Page Up/Down by five steps), Home/End the ends,
  // Delete removes the knot's value.
  function keydown(event) {
    const k = event.key;
    let handled = true;
    if (k === "ArrowLeft") state.sel = Math.max(0, state.sel - 1);
    else if (k === "ArrowRight") state.sel = Math.min(n - 1, state.sel + 1);
    else if (k === "Home") state.sel = 0;
    else if (k === "End") state.sel = n - 1;
    else if (["ArrowUp", "ArrowDown", "PageUp", "PageDown"].includes(k)) {
      const sign = k === "ArrowUp" || k === "PageUp" ? 1 : -1;
      const size = k.startsWith("Page") ? 5 : 1;
      let start = state.y[state.sel];
      if (start === null) {
        // A knot not drawn yet starts from its nearest drawn neighbour (or zero).
        start = 0;
        for (let d = 1; d < n; d++) {
          const l = state.y[state.sel - d], r = state.y[state.sel + d];
          if (l !== undefined && l !== null) { start = l; break; }
          if (r !== undefined && r !== null) { start = r; break; }
        }
        state.y[state.sel] = clamp(start);
      } else {
        state.y[state.sel] = clamp(start + sign * size * step);
      }
      changed();
    } else if (k === "Delete" || k === "Backspace") {
      state.y[state.sel] = null;
      changed();
    } else handled = false;
    if (!handled) return;
    event.preventDefault();
    render();
    status.textContent = describe(state.sel);
  }
  svg.addEventListener("keydown", keydown);

  clear.addEventListener("click", () => {
    state.y = new Array(n).fill(null);
    changed();
    status.textContent = text.cleared;
  });
  reveal.addEventListener("click", () => {
    state.nonce += 1;
    setTriggerValue("reveal", { x: knots, y: state.y, token: data.token, nonce: `${Date.now()}-${state.nonce}` });
    status.textContent = text.revealing;
  });
  render();
}

function arrowMode(component, root, data) {
  const { setTriggerValue, key } = component;
  const text = data.text;
  let state = STATE.get(key);
  if (!state || state.token !== data.token) {
    state = { token: data.token, tip: null, hideReveal: false };
    STATE.set(key, state);
  }
  if (data.revealed && state.tip === null) state.tip = data.revealed.guess;
  if (data.revealed && data.revealed.nonce !== state.shownNonce) {
    state.shownNonce = data.revealed.nonce;
    state.hideReveal = false;
  }
  const [x0, x1, y0, y1] = data.window;
  W = Math.min(W, 560); // the map is square-ish: no wider than this (style.css caps it too)
  const height = Math.round(((W - PAD.left - PAD.right) * (y1 - y0)) / (x1 - x0)) + PAD.top + PAD.bottom;
  const map = panel(root, { height, xlim: [x0, x1], ylim: [y0, y1], cls: "sk-map" });
  const svg = map.svg;
  // The map: f on a coarse grid as shaded cells in a few bands (a contour map, read by its bands).
  const { nx, ny, values, levels } = data.map;
  const dx = (x1 - x0) / nx, dy = (y1 - y0) / ny;
  const cells = el("g", { class: "sk-cells" }, svg);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = values[j * nx + i];
      if (v === null) continue;
      let band = 0;
      while (band < levels.length && v > levels[band]) band++;
      const a = map.px(x0 + i * dx), b = map.px(x0 + (i + 1) * dx);
      const c = map.py(y0 + (j + 1) * dy), d = map.py(y0 + j * dy);
      el("rect", { x: a, y: c, width: b - a + 0.5, height: d - c + 0.5, class: "sk-band", style: `opacity:${(0.08 + (0.8 * band) / levels.length).toFixed(3)}` }, cells);
    }
  }
  svg.insertBefore(cells, svg.firstChild.nextSibling);
  svg.setAttribute("role", "application");
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("aria-label", text.draw_aria);
  svg.setAttribute("data-testid", "sketch-arrow");
  const [pxp, pyp] = data.point;
  const s = data.arrow_scale; // display units per unit of gradient
  const truth = el("line", { class: "sk-truth-arrow", "marker-end": "" }, svg);
  const guess = el("line", { class: "sk-guess-arrow" }, svg);
  const guessHead = el("circle", { r: 6, class: "sk-guess-head" }, svg);
  const truthHead = el("circle", { r: 5, class: "sk-truth-head" }, svg);
  el("circle", { cx: map.px(pxp), cy: map.py(pyp), r: 5, class: "sk-given-point" }, svg);
  const { status, clear, reveal } = controls(root, text);

  function describe() {
    if (state.tip === null) return text.arrow_empty;
    return fill(text.arrow_now, { gx: fmt(state.tip[0]), gy: fmt(state.tip[1]) });
  }
  function render() {
    if (state.tip === null) {
      guess.setAttribute("visibility", "hidden");
      guessHead.setAttribute("visibility", "hidden");
    } else {
      const tx = map.px(pxp + state.tip[0] * s), ty = map.py(pyp + state.tip[1] * s);
      for (const [k, v] of Object.entries({ x1: map.px(pxp), y1: map.py(pyp), x2: tx, y2: ty })) guess.setAttribute(k, v);
      guessHead.setAttribute("cx", tx);
      guessHead.setAttribute("cy", ty);
      guess.setAttribute("visibility", "visible");
      guessHead.setAttribute("visibility", "visible");
    }
    const r = data.revealed;
    const show = r && !state.hideReveal;
    const ex = map.px(pxp + (show ? r.gradient[0] : 0) * s), ey = map.py(pyp + (show ? r.gradient[1] : 0) * s);
    for (const [k, v] of Object.entries({ x1: map.px(pxp), y1: map.py(pyp), x2: ex, y2: ey })) truth.setAttribute(k, v);
    truth.setAttribute("visibility", show ? "visible" : "hidden");
    truthHead.setAttribute("cx", ex);
    truthHead.setAttribute("cy", ey);
    truthHead.setAttribute("visibility", show ? "visible" : "hidden");
    svg.setAttribute("data-arrow", describe()); // (announced through the status line, aria-live)
  }
  const changed = changedThen(data, state, render);
  let dragging = false;
  function setTip(event) {
    const [sx, sy] = svgPoint(svg, event, height);
    state.tip = [(map.ix(sx) - pxp) / s, (map.iy(sy) - pyp) / s];
    changed();
  }
  svg.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    svg.setPointerCapture?.(event.pointerId);
    dragging = true;
    setTip(event);
  });
  svg.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    event.preventDefault();
    setTip(event);
  });
  const stop = () => {
    if (!dragging) return;
    dragging = false;
    status.textContent = describe();
  };
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointercancel", stop);
  svg.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const unit = ((x1 - x0) / 40 / s) * (event.shiftKey ? 5 : 1);
    const tip = state.tip || [0, 0];
    state.tip = [tip[0] + moves[event.key][0] * unit, tip[1] + moves[event.key][1] * unit];
    changed();
    status.textContent = describe();
  });
  clear.addEventListener("click", () => {
    state.tip = null;
    changed();
    status.textContent = text.cleared;
  });
  reveal.addEventListener("click", () => {
    setTriggerValue("reveal", {
      gx: state.tip === null ? null : state.tip[0],
      gy: state.tip === null ? null : state.tip[1],
      token: data.token,
      nonce: `${Date.now()}`,
    });
    status.textContent = text.revealing;
  });
  render();
}

export default function (component) {
  const { data, parentElement } = component;
  // Called again whenever Python sends new data: the previous drawing's DOM goes, its state stays (STATE).
  for (const old of Array.from(parentElement.children)) {
    if (old.classList && old.classList.contains("sk-root")) old.remove();
  }
  const root = document.createElement("div");
  root.className = "sk-root" + (data && data.projector ? " sk-projector" : "");
  parentElement.appendChild(root);
  const width = root.getBoundingClientRect().width;
  W = width > 0 ? Math.max(360, Math.min(640, Math.round(width))) : 640;
  try {
    if (data && data.mode === "arrow") arrowMode(component, root, data);
    else if (data && data.mode === "curve") curveMode(component, root, data);
  } catch (error) {
    root.textContent = String(error);
  }
  return () => root.remove();
}
