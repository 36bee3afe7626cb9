// map.html: the papers on a 2-D canvas (no WebGL), theme and area names at their centres, search,
// filters, a paper panel and box selection to CSV. Everything comes from the page itself: the data
// is embedded (see pipeline/report/map_page.py) and no request leaves the file.
"use strict";

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 50;
const FULL = 65535; // coordinates are quantized to 0..FULL
const THEME_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const AREA_FONT = "650 15px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const LINE = { theme: 15, area: 18 }; // line heights in px
const VIRIDIS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];

// ---------------------------------------------------------------------------- reading the data

// Each character's value: its index among the characters a packed blob may use (map_pack.SAFE_RANGES).
function characterValues(ranges) {
  const value = new Uint16Array(65536);
  let next = 0;
  for (const [lo, hi] of ranges) for (let c = lo; c <= hi; c++) value[c] = next++;
  return { value, room: next - 32768 };
}

// Characters back to the deflated bytes (map_pack.pack): 15 bits from each character in turn,
// then one more bit from each character whose value leaves room for it, until nBytes are full.
function unpack(text, nBytes, { value, room }) {
  const out = new Uint8Array(nBytes);
  let acc = 0, bits = 0, k = 0;
  const put = (v, width) => {
    acc = (acc << width) | v;
    bits += width;
    while (bits >= 8 && k < nBytes) { bits -= 8; out[k++] = acc >>> bits; acc &= (1 << bits) - 1; }
  };
  for (let i = 0; i < text.length; i++) put(value[text.charCodeAt(i)] & 0x7fff, 15);
  for (let i = 0; i < text.length && k < nBytes; i++) {
    const v = value[text.charCodeAt(i)];
    if ((v & 0x7fff) < room) put(v >> 15, 1);
  }
  if (k < nBytes) throw new Error("the page's data is cut short");
  return out;
}

async function inflate(id, values) {
  const node = $(id);
  const bytes = unpack(node.textContent, Number(node.dataset.bytes), values);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Word ids back to texts; the format is written by map_pack.encode_texts.
function decodeTexts(bytes) {
  const vocabLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const three = bytes[4]; // lead bytes of 3-byte ids
  const words = ["", ""].concat(new TextDecoder().decode(bytes.subarray(5, 5 + vocabLength)).split("\0"));
  const threeFrom = 256 - three, rareFrom = 192 + (64 - three) * 256;
  let nextRare = rareFrom; // id 1: the next rare word, used for the first time
  const texts = [];
  let parts = [];
  for (let i = 5 + vocabLength; i < bytes.length;) {
    const b = bytes[i++];
    let id = b;
    if (b >= threeFrom) { id = rareFrom + ((b - threeFrom) << 16 | bytes[i] << 8 | bytes[i + 1]); i += 2; }
    else if (b >= 192) id = 192 + ((b - 192) << 8 | bytes[i++]);
    if (id === 0) { texts.push(parts.join("")); parts = []; } else parts.push(words[id === 1 ? nextRare++ : id]);
  }
  return texts;
}

// Per paper, its claims as [kind, metric, value, unit, role, sentence start, sentence end, start,
// end], from the columns of map_page.claim_columns.
function claimLists(c, n) {
  const lists = [];
  for (let i = 0, k = 0; i < n; i++) {
    const list = [];
    for (const end = k + c.count[i]; k < end; k++) {
      const s0 = c.sentence[k], start = s0 + c.offset[k];
      list.push([c.kind[k], c.metric[k], c.value[k], c.unit[k], c.role[k], s0, s0 + c.sentence_length[k], start, start + c.length[k]]);
    }
    lists.push(list);
  }
  return lists;
}

// What search compares: lower case, and "×", dashes and superscripts as typed ("2.3x", "10-20").
const FOLDED = { "×": "x", "–": "-", "—": "-", "−": "-", "⁻": "-", "⁺": "+", "ⁿ": "n", "ⁱ": "i", "ᵀ": "t",
  ..."⁰¹²³⁴⁵⁶⁷⁸⁹".split("").reduce((all, c, d) => ({ ...all, [c]: String(d) }), {}) };
const FOLDABLE = new RegExp(`[${Object.keys(FOLDED).join("")}]`, "g");
const fold = (text) => text.toLowerCase().replace(FOLDABLE, (c) => FOLDED[c]);

async function load() {
  const clock = [performance.now()]; // how long each step takes (benchmarks/map_bench.py reports it)
  const meta = JSON.parse($("map-meta").textContent);
  const values = characterValues(meta.packing.ranges);
  const columns = JSON.parse(new TextDecoder().decode(await inflate("map-columns", values)));
  const words = await inflate("map-texts", values);
  clock.push(performance.now());
  const texts = decodeTexts(words);
  clock.push(performance.now());
  const n = columns.paper_id.length;
  const themes = new Map(meta.themes.map((t) => [t.id, t]));
  const papers = { ...columns, n, claims: claimLists(columns.claims, n), title: [], abstract: [], haystack: null };
  for (let i = 0; i < n; i++) {
    papers.title.push(texts[2 * i]);
    papers.abstract.push(texts[2 * i + 1]);
  }
  const [inflateMs, wordsMs] = clock.slice(1).map((t, k) => t - clock[k]);
  return { meta, themes, papers, timings: { inflateMs, wordsMs } };
}

// What search looks in, folded: built just after the first frame (half a second at 25k papers,
// which the map need not wait for), or by the first search if that comes sooner.
function searchIndex(map) {
  const p = map.papers;
  if (!p.haystack) {
    const started = performance.now();
    p.haystack = p.title.map((title, i) => fold(title + "\n" + p.abstract[i]));
    map.timings.indexMs = performance.now() - started;
  }
  return p.haystack;
}

// ---------------------------------------------------------------------------- small helpers

function el(tag, text, cls) { // text only: scraped strings never become markup
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

const fmt = (n) => n.toLocaleString("en");
const plural = (n, word) => `${fmt(n)} ${word}${n === 1 ? "" : "s"}`;

function valueText(value, unit) {
  if (value === null) return "";
  const text = Math.abs(value) < 1000 ? String(Number(value.toPrecision(3))) : fmt(Math.round(value));
  if (unit === "x") return text + "×";
  return unit === "%" || unit === "" ? text + unit : `${text} ${unit}`;
}

function safeLink(url, text) {
  if (!/^https?:\/\//i.test(url)) return null;
  const a = el("a", text);
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

function viridis(t) { // t in [0, 1]
  const k = Math.min(VIRIDIS.length - 1, Math.max(0, Math.round(t * (VIRIDIS.length - 1))));
  return VIRIDIS[k];
}

function csvField(value) {
  const text = String(value ?? "");
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// ---------------------------------------------------------------------------- the map

class MapView {
  constructor(data) {
    Object.assign(this, data);
    this.canvas = $("map");
    this.ctx = this.canvas.getContext("2d");
    this.stage = $("stage");
    this.view = { scale: 1, tx: 0, ty: 0, fitScale: 1 };
    this.visible = new Uint8Array(this.papers.n).fill(1);
    this.hits = null; // Uint8Array of search hits, null without a query
    this.selected = null; // indices chosen with the box
    this.selectedBox = null; // that box, in data coordinates
    this.current = -1; // the paper in the panel
    this.themeFilter = null; // Set of theme ids, null for all
    this.colourBy = "theme";
    this.byTheme = this.groupByTheme();
    this.labels = this.makeLabels();
    this.lastDrawMs = 0;
    this.pending = false;
  }

  groupByTheme() {
    const groups = new Map();
    this.papers.theme.forEach((t, i) => (groups.get(t) ?? groups.set(t, []).get(t)).push(i));
    return [...groups].map(([theme, members]) => ({ theme, members: Int32Array.from(members) }));
  }

  // Theme and area names, drawn on the canvas (DOM labels cost 30 ms a frame at 25k papers in a
  // software-rendered browser); their sizes are measured once.
  makeLabels() {
    const make = (item, kind) => {
      const font = kind === "area" ? AREA_FONT : THEME_FONT;
      this.ctx.font = font;
      const text = kind === "area" ? item.label.toUpperCase() : item.label;
      const lines = text.split(" · ");
      const w = Math.max(...lines.map((line) => this.ctx.measureText(line).width)) + (kind === "area" ? 8 : 13);
      return { item, kind, font, lines, w, h: lines.length * LINE[kind] + 4 };
    };
    const areas = this.meta.areas.filter((a) => a.x !== null).map((a) => make(a, "area"));
    const themes = [...this.meta.themes].filter((t) => t.x !== null).sort((a, b) => b.size - a.size)
      .map((t) => make(t, "theme"));
    return { areas, themes };
  }

  resize() {
    const { clientWidth: w, clientHeight: h } = this.stage;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.round(w * dpr));
    this.canvas.height = Math.max(1, Math.round(h * dpr));
    this.size = { w, h, dpr };
  }

  fit() {
    const { w, h } = this.size;
    const xs = this.papers.x, ys = this.papers.y;
    let x0 = FULL, x1 = 0, y0 = FULL, y1 = 0;
    for (let i = 0; i < this.papers.n; i++) {
      x0 = Math.min(x0, xs[i]); x1 = Math.max(x1, xs[i]); y0 = Math.min(y0, ys[i]); y1 = Math.max(y1, ys[i]);
    }
    if (x0 > x1) { x0 = 0; x1 = FULL; y0 = 0; y1 = FULL; }
    const scale = 0.92 * Math.min(w / Math.max(1, x1 - x0), h / Math.max(1, y1 - y0));
    this.view = { scale, fitScale: scale, tx: w / 2 - scale * (x0 + x1) / 2, ty: h / 2 - scale * (FULL - (y0 + y1) / 2) };
    this.request();
  }

  toScreen(i) {
    const v = this.view;
    return [this.papers.x[i] * v.scale + v.tx, (FULL - this.papers.y[i]) * v.scale + v.ty];
  }

  zoomAt(factor, sx, sy) {
    const v = this.view;
    const scale = Math.min(v.fitScale * 400, Math.max(v.fitScale * 0.5, v.scale * factor));
    v.tx = sx - (sx - v.tx) * scale / v.scale;
    v.ty = sy - (sy - v.ty) * scale / v.scale;
    v.scale = scale;
    this.request();
  }

  centreOn(i, minZoom = 4) {
    const { w, h } = this.size;
    if (this.view.scale < this.view.fitScale * minZoom) this.zoomAt(this.view.fitScale * minZoom / this.view.scale, w / 2, h / 2);
    const [sx, sy] = this.toScreen(i);
    this.view.tx += w / 2 - sx;
    this.view.ty += h / 2 - sy;
    this.request();
  }

  request() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  radius() {
    const n = this.papers.n;
    const base = Math.min(4, Math.max(1.3, 60 / Math.sqrt(n)));
    return base * Math.min(3, Math.sqrt(this.view.scale / this.view.fitScale));
  }

  colourOf(theme, i) {
    if (this.colourBy === "speedup") {
      const s = this.papers.speedup[i];
      return s === null ? "#d0d0d0" : viridis(Math.log10(s) / Math.log10(this.maxSpeedup));
    }
    return this.themes.get(theme)?.color ?? "#bbbbbb";
  }

  // Points of one colour go in one path: a few fill() calls per frame instead of one per point.
  fillPoints(indices, colour, r, test) {
    const { ctx } = this;
    const { w, h } = this.size;
    const v = this.view, xs = this.papers.x, ys = this.papers.y;
    ctx.fillStyle = colour;
    ctx.beginPath();
    const round = r >= 2;
    for (const i of indices) {
      if (!test(i)) continue;
      const sx = xs[i] * v.scale + v.tx, sy = (FULL - ys[i]) * v.scale + v.ty;
      if (sx < -r || sy < -r || sx > w + r || sy > h + r) continue;
      if (round) { ctx.moveTo(sx + r, sy); ctx.arc(sx, sy, r, 0, 2 * Math.PI); }
      else ctx.rect(sx - r, sy - r, 2 * r, 2 * r);
    }
    ctx.fill();
  }

  draw() {
    const started = performance.now();
    const { ctx } = this;
    const { w, h, dpr } = this.size;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const r = this.radius();
    const { visible, hits } = this;
    this.fillPoints(this.allIndices ??= Int32Array.from({ length: this.papers.n }, (_, i) => i), "#e4e4e4", r * 0.8,
      (i) => !visible[i]);
    ctx.globalAlpha = hits ? 0.25 : 0.85;
    for (const { theme, members } of this.byTheme) {
      if (this.colourBy === "speedup") break;
      this.fillPoints(members, this.colourOf(theme), r, (i) => visible[i] && !(hits && hits[i]));
    }
    if (this.colourBy === "speedup") this.drawSpeedups(r, (i) => visible[i] && !(hits && hits[i]));
    ctx.globalAlpha = 1;
    if (hits) this.drawHits(r);
    if (this.selected) this.drawSelection(r);
    if (this.current >= 0) this.ring([this.current], r + 5, "#d62728", 2.5);
    this.drawLabels();
    this.lastDrawMs = performance.now() - started;
  }

  drawSpeedups(r, test) {
    const buckets = new Map();
    for (let i = 0; i < this.papers.n; i++) {
      if (!test(i)) continue;
      const colour = this.colourOf(null, i);
      (buckets.get(colour) ?? buckets.set(colour, []).get(colour)).push(i);
    }
    for (const [colour, members] of buckets) this.fillPoints(members, colour, colour === "#d0d0d0" ? r * 0.8 : r * 1.3, () => true);
  }

  drawHits(r) {
    const { ctx } = this;
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#1f2328";
    for (const { theme, members } of this.byTheme) {
      const test = (i) => this.hits[i] && this.visible[i];
      this.fillPoints(members, this.colourOf(theme), r * 1.6, test);
      ctx.stroke();
    }
  }

  // Few selected papers get a ring each; many would merge into a black blot, so the box is drawn.
  drawSelection(r) {
    if (this.selected.length <= 300) { this.ring(this.selected, r + 1.5, "#1f2328", 1.2); return; }
    const [x0, y0, x1, y1] = this.selectedBox, v = this.view, ctx = this.ctx;
    const box = [x0 * v.scale + v.tx, (FULL - y1) * v.scale + v.ty, (x1 - x0) * v.scale, (y1 - y0) * v.scale];
    ctx.fillStyle = "rgba(0, 114, 178, 0.10)";
    ctx.fillRect(...box);
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#0072B2";
    ctx.strokeRect(...box);
    ctx.setLineDash([]);
  }

  ring(indices, radius, colour, width) {
    const { ctx } = this;
    ctx.beginPath();
    for (const i of indices) {
      const [sx, sy] = this.toScreen(i);
      ctx.moveTo(sx + radius, sy);
      ctx.arc(sx, sy, radius, 0, 2 * Math.PI);
    }
    ctx.lineWidth = width;
    ctx.strokeStyle = colour;
    ctx.stroke();
  }

  // Greedy, largest theme first: each label goes at its theme's centre, or just above or below
  // it, where it touches no label already placed; one that fits nowhere waits until zooming in
  // makes room. When themes crowd the zoomed-out map, the area names go first instead.
  drawLabels() {
    const themes = this.labels.themes.filter((l) => !this.themeFilter || this.themeFilter.has(l.item.id));
    let placed = this.layout(themes);
    const crowded = placed.length < themes.length && this.view.scale < this.view.fitScale * 2.5;
    if (crowded && this.labels.areas.length && !this.themeFilter) placed = this.layout([...this.labels.areas, ...themes]);
    const { ctx } = this;
    ctx.textBaseline = "top";
    for (const { label, box } of placed) {
      const [x0, y0, x1, y1] = box;
      ctx.font = label.font;
      if (label.kind === "theme") {
        ctx.fillStyle = "rgba(255, 255, 255, 0.8)";
        ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
        ctx.fillStyle = label.item.color;
        ctx.fillRect(x0, y0, 3, y1 - y0);
      }
      ctx.lineJoin = "round";
      label.lines.forEach((line, k) => {
        const y = y0 + 2 + k * LINE[label.kind];
        if (label.kind === "area") {
          ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
          ctx.lineWidth = 4;
          ctx.strokeText(line, x0 + 4, y);
        }
        ctx.fillStyle = label.kind === "area" ? "#333" : "#222";
        ctx.fillText(line, x0 + (label.kind === "area" ? 4 : 8), y);
      });
    }
    this.shownLabels = placed.map(({ label, box }) => ({ text: label.lines.join(" · "), kind: label.kind, box }));
  }

  layout(candidates) {
    const { w, h } = this.size;
    const v = this.view;
    const placed = [];
    const free = (box) => box[0] >= 2 && box[1] >= 2 && box[2] <= w - 2 && box[3] <= h - 2
      && !placed.some(({ box: b }) => box[0] < b[2] + 3 && box[2] + 3 > b[0] && box[1] < b[3] + 2 && box[3] + 2 > b[1]);
    for (const label of candidates) {
      const x = label.item.x * v.scale + v.tx, y = (FULL - label.item.y) * v.scale + v.ty;
      for (const dy of [0, -0.75, 0.75, -1.5, 1.5]) {
        const top = y - label.h / 2 + dy * label.h;
        const box = [x - label.w / 2, top, x + label.w / 2, top + label.h];
        if (free(box)) { placed.push({ label, box }); break; }
      }
    }
    return placed;
  }

  nearest(sx, sy, maxDistance = 8) {
    let best = -1, bestD = maxDistance * maxDistance;
    for (let i = 0; i < this.papers.n; i++) {
      if (!this.visible[i]) continue;
      const [x, y] = this.toScreen(i);
      const d = (x - sx) ** 2 + (y - sy) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  }

  inBox(x0, y0, x1, y1) {
    const v = this.view;
    this.selectedBox = [(x0 - v.tx) / v.scale, FULL - (y1 - v.ty) / v.scale, (x1 - v.tx) / v.scale, FULL - (y0 - v.ty) / v.scale];
    const out = [];
    for (let i = 0; i < this.papers.n; i++) {
      if (!this.visible[i]) continue;
      const [x, y] = this.toScreen(i);
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------- the panel

class Panel {
  constructor(map) {
    this.map = map;
    this.pages = { results: 0, selection: 0 };
  }

  themeLine(i) {
    const t = this.map.themes.get(this.map.papers.theme[i]);
    const line = el("div", null, "muted");
    if (!t) return line;
    const swatch = el("span", null, "swatch");
    swatch.style.background = t.color;
    line.append(swatch, `theme ${t.id}: ${t.label}`);
    return line;
  }

  // A paginated, clickable list of papers: no silent cap, the header says what is shown.
  list(section, key, indices, heading, extra) {
    const box = $(section);
    const total = indices.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(this.pages[key], pages - 1);
    const first = page * PAGE_SIZE;
    const shown = indices.slice(first, first + PAGE_SIZE);
    const head = el("div", null, "row-head");
    head.append(el("h3", heading));
    if (total > PAGE_SIZE) head.append(el("span", `showing ${fmt(first + 1)}–${fmt(first + shown.length)} of ${fmt(total)}`, "muted"));
    box.replaceChildren(head, ...(extra ?? []));
    const ul = el("ul", null, "list");
    for (const i of shown) {
      const li = el("li", this.map.papers.title[i]);
      li.tabIndex = 0;
      li.addEventListener("click", () => { showPaper(this.map, this, i); this.map.centreOn(i); });
      li.addEventListener("keydown", (e) => { if (e.key === "Enter") li.click(); });
      ul.append(li);
    }
    box.append(ul);
    if (pages > 1) {
      const nav = el("div", null, "row-head");
      for (const [label, to] of [["‹ previous", page - 1], ["next ›", page + 1]]) {
        const b = el("button", label, "link");
        b.type = "button";
        b.disabled = to < 0 || to >= pages;
        b.addEventListener("click", () => { this.pages[key] = to; this.list(section, key, indices, heading, extra); });
        nav.append(b);
      }
      box.append(nav);
    }
    box.hidden = false;
  }
}

function claimBox(abstract, claim) {
  const [kind, metric, value, unit, role, s0, s1, start, end] = claim;
  const box = el("div", null, `claim ${role === "baseline" ? "baseline" : "result"}`);
  const what = [kind, metric, valueText(value, unit), role && role !== "result" ? `(${role})` : ""].filter(Boolean);
  box.append(el("div", what.join(" · "), "what"));
  const sentence = el("div");
  sentence.append(abstract.slice(s0, start).join(""), el("mark", abstract.slice(start, end).join("")),
    abstract.slice(end, s1).join(""));
  box.append(sentence);
  return box;
}

const HINT = "Click a dot to read the paper, drag to pan, scroll to zoom, Shift+drag (or “select”) to select a region.";

// The panel's top shows one paper; the lists (search results, selection) stay below it.
function clearPaper(map) {
  map.current = -1;
  $("details").replaceChildren(el("p", HINT, "hint"));
}

function showPaper(map, panel, i) {
  const p = map.papers;
  map.current = i;
  map.request();
  const details = $("details");
  details.replaceChildren();
  const list = ["selection", "results"].find((id) => !$(id).hidden);
  if (list) {
    const back = el("button", `↓ back to the ${list === "results" ? "search results" : "selection"}`, "link");
    back.type = "button";
    back.addEventListener("click", () => $(list).scrollIntoView({ block: "start" }));
    details.append(back);
  }
  details.append(el("h2", p.title[i]), panel.themeLine(i));
  const dates = p.dates[i].map((d) => map.meta.dates.values[d]);
  if (dates.length) details.append(el("div", `${map.meta.dates.unit}: ${dates.join(", ")}`, "muted"));
  const links = el("div", null, "links");
  const paper = safeLink(p.url[i], "paper page ↗"), code = safeLink(p.code_url[i], "code ↗");
  if (paper) links.append(paper); else links.append(el("span", "no link to the paper is known", "muted"));
  if (code) links.append(" ", code);
  details.append(links);
  const abstract = Array.from(p.abstract[i]); // claim offsets count code points, not UTF-16 units
  const claims = p.claims[i];
  details.append(el("h3", claims.length ? `Claims (${claims.length})` : "No numeric claims found"));
  for (const claim of claims) details.append(claimBox(abstract, claim));
  details.append(el("h3", "Abstract"), el("p", p.abstract[i] || "(no abstract)"));
  details.scrollIntoView({ block: "nearest" });
  $("panel").scrollTop = 0;
}

// ---------------------------------------------------------------------------- filters and search

function setupFilters(map, update) {
  const select = $("theme-filter");
  const areas = map.meta.areas;
  if (areas.length) {
    const group = el("optgroup");
    group.label = "areas";
    for (const a of areas) group.append(new Option(`${a.label} (${a.n_themes} themes)`, `a${a.id}`));
    select.append(group);
  }
  const group = el("optgroup");
  group.label = "themes";
  for (const t of map.meta.themes) group.append(new Option(`${t.id}: ${t.label} (${fmt(t.size)})`, `t${t.id}`));
  select.append(group);
  select.addEventListener("change", update);

  const dates = map.meta.dates.values;
  if (dates.length > 1) {
    $("date-filter").hidden = false;
    for (const id of ["date-from", "date-to"]) {
      for (const [k, d] of dates.entries()) $(id).append(new Option(d, String(k)));
      $(id).addEventListener("change", update);
    }
    $("date-to").value = String(dates.length - 1);
  }
}

function applyFilters(map) {
  const value = $("theme-filter").value;
  let themes = null;
  if (value.startsWith("t")) themes = new Set([Number(value.slice(1))]);
  if (value.startsWith("a")) themes = new Set(map.meta.themes.filter((t) => t.area === Number(value.slice(1))).map((t) => t.id));
  const n = map.meta.dates.values.length;
  let from = 0, to = n - 1;
  if (n > 1) { from = Number($("date-from").value); to = Number($("date-to").value); if (from > to) [from, to] = [to, from]; }
  const allDates = from === 0 && to === n - 1;
  const p = map.papers;
  for (let i = 0; i < p.n; i++) {
    map.visible[i] = (!themes || themes.has(p.theme[i])) && (allDates || p.dates[i].some((d) => d >= from && d <= to)) ? 1 : 0;
  }
  map.themeFilter = themes;
  for (const li of $("legend").querySelectorAll("li")) li.classList.toggle("off", !!themes && !themes.has(Number(li.dataset.theme)));
}

function search(map, query) {
  const terms = fold(query).split(/\s+/).filter(Boolean);
  if (!terms.length) return null;
  const keywords = new Map(map.meta.themes.map((t) => [t.id, fold(`${t.label}\n${t.keywords}`)]));
  const p = map.papers, haystack = searchIndex(map);
  const hits = new Uint8Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const text = haystack[i], words = keywords.get(p.theme[i]) ?? "";
    hits[i] = terms.every((t) => text.includes(t) || words.includes(t)) ? 1 : 0;
  }
  return hits;
}

function updateCount(map) {
  const total = map.papers.n;
  let shown = 0, matching = 0;
  for (let i = 0; i < total; i++) {
    shown += map.visible[i];
    if (map.hits) matching += map.hits[i] & map.visible[i];
  }
  const scope = shown === total ? fmt(total) : `${fmt(shown)} shown`;
  $("count").value = map.hits ? `${fmt(matching)} of ${scope} match` : shown === total ? plural(total, "paper")
    : `${fmt(shown)} of ${plural(total, "paper")} shown`;
}

function showResults(map, panel, query) {
  const box = $("results");
  if (!map.hits) { box.hidden = true; return; }
  const p = map.papers;
  const q = fold(query).trim();
  const indices = [];
  for (let i = 0; i < p.n; i++) if (map.hits[i] && map.visible[i]) indices.push(i);
  const inTitle = new Map(indices.map((i) => [i, fold(p.title[i]).includes(q) ? 0 : 1]));
  indices.sort((a, b) => inTitle.get(a) - inTitle.get(b));
  panel.pages.results = 0;
  clearPaper(map);
  panel.list("results", "results", indices, indices.length ? `${plural(indices.length, "paper")} match “${query.trim()}”`
    : `no paper matches “${query.trim()}”`);
}

// ---------------------------------------------------------------------------- selection

function showSelection(map, panel) {
  const box = $("selection");
  if (!map.selected) { box.hidden = true; return; }
  const download = el("button", "Download CSV");
  download.type = "button";
  download.id = "download-csv";
  download.addEventListener("click", () => downloadCsv(map));
  const clear = el("button", "clear", "link");
  clear.type = "button";
  clear.addEventListener("click", () => { map.selected = null; showSelection(map, panel); map.request(); });
  panel.pages.selection = 0;
  clearPaper(map);
  const actions = el("div", null, "row-head");
  actions.append(download, clear);
  panel.list("selection", "selection", map.selected, `${plural(map.selected.length, "paper")} selected`, [actions]);
}

function downloadCsv(map) {
  const p = map.papers;
  const rows = [["paper_id", "title", "theme_id", "theme", map.meta.dates.unit || "date", "url", "code_url"]];
  for (const i of map.selected) {
    const theme = map.themes.get(p.theme[i]);
    rows.push([p.paper_id[i], p.title[i], p.theme[i], theme ? theme.label : "",
      p.dates[i].map((d) => map.meta.dates.values[d]).join("; "), p.url[i], p.code_url[i]]);
  }
  const csv = rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
  const a = el("a");
  a.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  a.download = "map-selection.csv";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// ---------------------------------------------------------------------------- pointer and keys

function setupPointer(map, panel) {
  const canvas = map.canvas, tooltip = $("tooltip"), boxEl = $("box");
  const selectButton = $("select-mode");
  let drag = null;
  const local = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  const selecting = () => selectButton.getAttribute("aria-pressed") === "true";
  selectButton.addEventListener("click", () => {
    selectButton.setAttribute("aria-pressed", String(!selecting()));
    canvas.classList.toggle("selecting", selecting());
  });

  canvas.addEventListener("pointerdown", (e) => {
    const [x, y] = local(e);
    drag = { x, y, tx: map.view.tx, ty: map.view.ty, box: e.shiftKey || selecting(), moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    const [x, y] = local(e);
    if (!drag) { hover(x, y); return; }
    drag.moved ||= Math.abs(x - drag.x) + Math.abs(y - drag.y) > 4;
    if (drag.box) {
      Object.assign(boxEl.style, { left: `${Math.min(x, drag.x)}px`, top: `${Math.min(y, drag.y)}px`,
        width: `${Math.abs(x - drag.x)}px`, height: `${Math.abs(y - drag.y)}px` });
      boxEl.hidden = !drag.moved;
    } else {
      map.view.tx = drag.tx + x - drag.x;
      map.view.ty = drag.ty + y - drag.y;
      map.request();
    }
  });
  canvas.addEventListener("pointerup", (e) => {
    const [x, y] = local(e);
    const d = drag;
    drag = null;
    boxEl.hidden = true;
    if (!d) return;
    if (!d.moved) {
      const i = map.nearest(x, y);
      if (i >= 0) showPaper(map, panel, i);
    } else if (d.box) {
      map.selected = map.inBox(Math.min(x, d.x), Math.min(y, d.y), Math.max(x, d.x), Math.max(y, d.y));
      showSelection(map, panel);
      map.request();
    }
  });
  canvas.addEventListener("pointerleave", () => { tooltip.hidden = true; });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const [x, y] = local(e);
    map.zoomAt(Math.exp(-e.deltaY * 0.0015), x, y);
  }, { passive: false });
  canvas.addEventListener("dblclick", (e) => { const [x, y] = local(e); map.zoomAt(2, x, y); });

  function hover(x, y) {
    const i = map.nearest(x, y, 6);
    tooltip.hidden = i < 0;
    if (i < 0) return;
    tooltip.textContent = map.papers.title[i];
    const { w } = map.size;
    tooltip.style.left = `${Math.min(x + 12, w - 330)}px`;
    tooltip.style.top = `${y + 14}px`;
  }

  const centre = () => [map.size.w / 2, map.size.h / 2];
  $("zoom-in").addEventListener("click", () => map.zoomAt(1.6, ...centre()));
  $("zoom-out").addEventListener("click", () => map.zoomAt(1 / 1.6, ...centre()));
  $("reset").addEventListener("click", () => map.fit());
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    selectButton.setAttribute("aria-pressed", "false");
    canvas.classList.remove("selecting");
    map.selected = null;
    showSelection(map, panel);
    map.request();
  });
}

// ---------------------------------------------------------------------------- legend and start

function setupLegend(map) {
  const ul = $("legend").querySelector("ul");
  for (const t of map.meta.themes) {
    const li = el("li");
    li.dataset.theme = String(t.id);
    const swatch = el("span", null, "swatch");
    swatch.style.background = t.color;
    li.append(swatch, el("span", `${t.id}: ${t.label}`), el("span", fmt(t.size), "n"));
    li.addEventListener("click", () => {
      const select = $("theme-filter");
      select.value = select.value === `t${t.id}` ? "" : `t${t.id}`;
      select.dispatchEvent(new Event("change"));
    });
    ul.append(li);
  }
}

async function main() {
  if (typeof DecompressionStream === "undefined") {
    $("notice").textContent = "This browser cannot open the map (it lacks DecompressionStream: use Chrome 80+, Firefox 113+ or Safari 16.4+).";
    return;
  }
  const map = new MapView(await load());
  const panel = new Panel(map);
  map.maxSpeedup = map.papers.speedup.reduce((top, s) => (s === null ? top : Math.max(top, s)), 2);
  if (map.meta.has_speedups) $("colour-by").hidden = false;
  $("speed-max").textContent = valueText(map.maxSpeedup, "x");
  $("colour-by").addEventListener("change", (e) => {
    map.colourBy = e.target.value;
    $("speed-scale").hidden = map.colourBy !== "speedup";
    map.request();
  });

  let query = "";
  const refresh = () => {
    applyFilters(map);
    map.hits = search(map, query);
    updateCount(map);
    showResults(map, panel, query);
    map.request();
  };
  setupFilters(map, refresh);
  setupLegend(map);
  setupPointer(map, panel);
  let timer = 0;
  $("search").addEventListener("input", (e) => {
    clearTimeout(timer);
    timer = setTimeout(() => { query = e.target.value; refresh(); }, 150);
  });
  new ResizeObserver(() => { const first = !map.size; map.resize(); if (first) map.fit(); else map.request(); }).observe(map.stage);
  map.resize();
  map.fit();
  refresh();
  clearPaper(map);
  $("notice").textContent = "";
  window.trendsMap = map; // for the browser tests and benchmarks
  document.body.dataset.ready = "true";
  setTimeout(() => searchIndex(map), 0);
}

main().catch((error) => {
  $("notice").textContent = `The map could not be opened: ${error.message}`;
  throw error;
});
