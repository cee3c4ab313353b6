// zhenggai search page. Every piece of notice text goes into the page through
// textContent (el() below), never as HTML. The page's state lives in the URL's
// query string (q, agency, status, level, year, page, id), so a page can be
// bookmarked, shared and reloaded.
"use strict";

const PAGE_SIZE = 10;
const STATUS_LABEL = {
  completed: "已完成",
  basically_completed: "基本完成",
  phased: "阶段性完成",
  in_progress: "正在整改",
  unspecified: "未说明",
};
const FACET_NAMES = [
  ["agency", "机构"],
  ["status", "状态"],
  ["level", "层级"],
  ["year", "年份"],
];
const KEYS = ["q", "agency", "status", "level", "year", "page", "id"];

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return e;
}

/** The text with the char ranges [start, end) wrapped in <mark>. */
function highlighted(text, ranges) {
  const chars = Array.from(text || "");
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [s, e] of ranges || []) {
    if (s < at || e > chars.length || s >= e) continue;
    frag.append(document.createTextNode(chars.slice(at, s).join("")));
    frag.append(el("mark", { text: chars.slice(s, e).join("") }));
    at = e;
  }
  frag.append(document.createTextNode(chars.slice(at).join("")));
  return frag;
}

function state() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of KEYS) s[k] = p.get(k) || "";
  s.page = Math.max(1, parseInt(s.page, 10) || 1);
  return s;
}

function urlOf(s) {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = s[k];
    if (v && !(k === "page" && v === 1)) p.set(k, v);
  }
  const qs = p.toString();
  return qs ? "/?" + qs : "/";
}

function go(changes, replace) {
  const s = Object.assign(state(), changes);
  const url = urlOf(s);
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render();
}

async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = body.error || {};
    throw new Error((err.parameter ? "参数 " + err.parameter + "：" : "") + (err.message || res.status));
  }
  return body;
}

function statusBadge(h) {
  if (h.kind === "paragraph") return el("span", { class: "badge paragraph", text: "其他段落" });
  let label = STATUS_LABEL[h.status] || h.status;
  if (h.status === "unspecified") label = "未说明状态";
  return el("span", { class: "badge " + h.status, title: h.status_text || null, text: label });
}

function pathOf(h) {
  const parts = [h.category, h.item, h.problem ? "问题：" + h.problem : ""].filter(Boolean);
  return parts.join(" › ");
}

function hitItem(h, rank) {
  const open = () => go({ id: h.id });
  return el(
    "li",
    { class: "hit", "data-id": h.id },
    el(
      "div",
      { class: "meta" },
      el("span", { text: rank + "." }),
      el("span", { class: "agency", text: h.agency_short || h.agency || "（未署名）" }),
      statusBadge(h),
      h.published ? el("span", { class: "date", text: h.published }) : null,
      h.level ? el("span", { text: h.level + "级" }) : null,
      h.deadline ? el("span", { text: "时限 " + h.deadline }) : null
    ),
    pathOf(h) ? el("div", { class: "path", text: pathOf(h) }) : null,
    el(
      "p",
      { class: "measure" },
      h.kind === "measure" ? el("b", { text: "措施" + h.measure_n + "：" }) : null,
      highlighted(h.measure, h.highlights)
    ),
    el("button", { class: "more", type: "button", onclick: open, text: "查看详情 ›" }),
    " ",
    el("span", { class: "src", text: h.source + ":" + h.line })
  );
}

function searchParams(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  if (s.agency) p.set("agency", s.agency);
  if (s.status) p.set("status", s.status);
  if (s.level) p.set("level", s.level);
  if (s.year) {
    p.set("since", s.year);
    p.set("until", s.year);
  }
  p.set("limit", PAGE_SIZE);
  p.set("offset", (s.page - 1) * PAGE_SIZE);
  p.set("facets", "true");
  return p;
}

function facetLabel(name, key) {
  if (name === "status") return STATUS_LABEL[key] || key;
  if (key === "") return "未知";
  return key;
}

function renderFacets(s, facets) {
  const box = $("facets");
  box.replaceChildren();
  if (!facets) return;
  for (const [name, title] of FACET_NAMES) {
    const rows = facets[name] || [];
    if (!rows.length && !s[name]) continue;
    const list = el("ul");
    for (const [key, n] of rows) {
      if (name === "agency" && key === "") continue;
      const on = s[name] === key;
      list.append(
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: on ? "on" : null,
              "data-facet": name,
              "data-key": key,
              "aria-pressed": on ? "true" : "false",
              onclick: () => go({ [name]: on ? "" : key, page: 1 }),
            },
            el("span", { text: facetLabel(name, key) }),
            el("span", { class: "n", text: String(n) })
          )
        )
      );
    }
    box.append(el("div", { class: "facet", "data-name": name }, el("h2", { text: title }), list));
  }
}

function renderChips(s) {
  const box = $("chips");
  box.replaceChildren();
  for (const [name, title] of FACET_NAMES) {
    if (!s[name]) continue;
    box.append(
      el("button", {
        type: "button",
        class: "chip",
        "data-facet": name,
        onclick: () => go({ [name]: "", page: 1 }),
        text: title + "：" + facetLabel(name, s[name]) + " ×",
      })
    );
  }
}

function renderPager(s, total) {
  const nav = $("pager");
  nav.replaceChildren();
  const pages = Math.ceil(Math.min(total, 10000) / PAGE_SIZE);
  if (pages <= 1) return;
  nav.append(
    el("button", { type: "button", id: "prev", disabled: s.page <= 1, onclick: () => go({ page: s.page - 1 }), text: "‹ 上一页" }),
    el("span", { id: "page-no", text: "第 " + s.page + " / " + pages + " 页" }),
    el("button", { type: "button", id: "next", disabled: s.page >= pages, onclick: () => go({ page: s.page + 1 }), text: "下一页 ›" })
  );
}

let searchSeq = 0;

async function renderSearch(s) {
  $("detail").hidden = true;
  $("hits").hidden = false;
  $("pager").hidden = false;
  renderChips(s);
  const line = $("status-line");
  line.classList.remove("error");
  if (!s.q && !s.agency && !s.status && !s.level && !s.year) {
    line.textContent = "请输入检索词，或在左侧选择筛选条件。";
    $("hits").replaceChildren();
    $("pager").replaceChildren();
    await renderStartFacets();
    return;
  }
  const seq = ++searchSeq;
  let r;
  try {
    r = await api("/api/search?" + searchParams(s));
  } catch (e) {
    if (seq !== searchSeq) return;
    line.classList.add("error");
    line.textContent = "检索出错：" + e.message;
    $("hits").replaceChildren();
    $("pager").replaceChildren();
    return;
  }
  if (seq !== searchSeq) return; // a newer search has started
  const from = (s.page - 1) * PAGE_SIZE;
  line.textContent = r.total
    ? "共 " + r.total + " 条结果，显示第 " + (from + 1) + "–" + (from + r.hits.length) + " 条"
    : "没有找到匹配的措施。";
  line.dataset.total = r.total;
  const list = $("hits");
  list.replaceChildren(...r.hits.map((h, i) => hitItem(h, from + i + 1)));
  renderFacets(s, r.facets);
  renderPager(s, r.total);
}

/** Facets of everything, for the empty page: what there is to choose from. */
async function renderStartFacets() {
  try {
    const r = await api("/api/search?measures_only=true&limit=0&facets=true");
    renderFacets(state(), r.facets);
  } catch (e) {
    $("facets").replaceChildren();
  }
}

function row(dl, term, value) {
  if (!value) return;
  dl.append(el("dt", { text: term }), el("dd", { text: value }));
}

async function renderDetail(s) {
  const box = $("detail");
  $("hits").hidden = true;
  $("pager").hidden = true;
  $("chips").replaceChildren();
  box.hidden = false;
  box.replaceChildren(el("p", { text: "正在载入…" }));
  let d;
  try {
    d = await api("/api/records/" + encodeURIComponent(s.id));
  } catch (e) {
    box.replaceChildren(backButton(), el("p", { class: "error", text: "无法显示：" + e.message }));
    return;
  }
  const h = d.hit;
  $("status-line").textContent = "";
  const dl = el("dl");
  row(dl, "机构", h.agency);
  row(dl, "发布日期", h.published);
  row(dl, "层级", h.level ? h.level + "级" : "");
  row(dl, "类别", h.category);
  row(dl, "条目", h.item);
  row(dl, "状态", (STATUS_LABEL[h.status] || h.status) + (h.status_text ? "（" + h.status_text + "）" : ""));
  row(dl, "完成时限", h.deadline);
  row(dl, "出处", h.source + ":" + h.line);
  const measures = el("ol", { class: "measures" });
  for (const m of d.problem_records) {
    measures.append(
      el(
        "li",
        { class: m.id === h.id ? "current" : null, "data-id": m.id, value: m.measure_n || null },
        m.id === h.id ? el("b", { text: "▶ " }) : null,
        m.measure,
        " ",
        el("span", { class: "src", text: "[" + m.id + "]" })
      )
    );
  }
  const noticeBox = el("div", { class: "notice-text", id: "notice" }, el("p", { text: "正在载入通报…" }));
  const similarBox = el("ol", { class: "similar", id: "similar" }, el("li", { text: "正在查找…" }));
  box.replaceChildren(
    backButton(),
    el("h2", { id: "problem-title", text: h.problem ? "问题：" + h.problem : h.title || h.source }),
    dl,
    el("h3", { text: h.kind === "measure" ? "该问题的全部整改措施" : "段落" }),
    measures,
    el("h3", { text: "所在通报" + (h.title ? "：" + h.title : "") }),
    noticeBox,
    el("h3", { text: "其他机构对类似问题的整改措施" }),
    similarBox
  );
  renderNotice(noticeBox, d.notice, h.id);
  renderSimilar(similarBox, h.id);
}

function backButton() {
  return el("button", {
    type: "button",
    class: "back",
    id: "back",
    onclick: () => go({ id: "" }),
    text: "‹ 返回结果",
  });
}

async function renderNotice(box, noticeId, currentId) {
  let n;
  try {
    n = await api("/api/notices/" + encodeURIComponent(noticeId));
  } catch (e) {
    box.replaceChildren(el("p", { text: "无法载入通报：" + e.message }));
    return;
  }
  box.replaceChildren();
  let lastCat = null;
  let lastProblem = null;
  let list = null;
  let current = null;
  for (const r of n.records) {
    if (r.kind !== "measure") continue;
    if (r.category !== lastCat && r.category) {
      box.append(el("h4", { text: r.category }));
      lastCat = r.category;
    }
    if (r.problem_n !== lastProblem) {
      box.append(
        el("p", {}, el("b", { text: "问题" + r.problem_n + "：" + (r.problem || "") + " " }), statusBadge(r))
      );
      list = el("ol");
      box.append(list);
      lastProblem = r.problem_n;
    }
    const item = el("li", { class: r.id === currentId ? "current" : null, "data-id": r.id, value: r.measure_n || null }, r.measure);
    if (r.id === currentId) current = item;
    list.append(item);
  }
  if (!box.childElementCount) box.append(el("p", { text: "（此文件不是整改通报，按段落索引）" }));
  if (current) box.scrollTop = Math.max(0, current.offsetTop - box.offsetTop - 40);
}

async function renderSimilar(box, id) {
  let r;
  try {
    r = await api("/api/similar/" + encodeURIComponent(id) + "?limit=5");
  } catch (e) {
    box.replaceChildren(el("li", { text: "无法查找：" + e.message }));
    return;
  }
  if (!r.hits.length) {
    box.replaceChildren(el("li", { text: "没有找到其他机构的相似措施。" }));
    return;
  }
  box.replaceChildren(
    ...r.hits.map((h) =>
      el(
        "li",
        { "data-id": h.id },
        el("a", { href: urlOf({ id: h.id }), onclick: (ev) => { ev.preventDefault(); go({ id: h.id }); } , text: (h.agency_short || h.agency) + (h.published ? " · " + h.published : "") }),
        " ",
        statusBadge(h),
        el("div", { class: "path", text: pathOf(h) }),
        el("div", { text: h.measure })
      )
    )
  );
}

function render() {
  const s = state();
  const input = $("q");
  if (document.activeElement !== input) input.value = s.q;
  if (s.id) renderDetail(s);
  else renderSearch(s);
}

let typing = null;

function init() {
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    clearTimeout(typing);
    go({ q: $("q").value.trim(), page: 1, id: "" });
  });
  // Answer as you type, after a short pause; the URL follows without new history entries.
  $("q").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => go({ q: $("q").value.trim(), page: 1, id: "" }, true), 250);
  });
  $("home").addEventListener("click", (ev) => {
    ev.preventDefault();
    go({ q: "", agency: "", status: "", level: "", year: "", page: 1, id: "" });
  });
  window.addEventListener("popstate", render);
  render();
}

document.addEventListener("DOMContentLoaded", init);
