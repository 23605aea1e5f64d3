/*
 * 站内搜索, the page (templates/search.html): the form, the filters, the results with their count
 * (announced in the status live region), the order (相关度 or 发布日期) and "显示更多". The search
 * itself is search-index.js and search-rank.js, loaded before this file.
 *
 * No inline script, no third party, no server code: it only fetches files of this site, so it
 * works under `Content-Security-Policy: default-src 'self'` on any static server.
 */
(function () {
  "use strict";

  var Index = window.ZwgkSearch.Index;
  var PAGE = 20;
  var LABELS = { column: "栏目", topic: "主题分类", issuer: "发布机构", year: "发布年份", validity: "有效性", kind: "类型" };
  /* The script's own messages on a Traditional Chinese page (the 繁體 mirror): OpenCC's s2t forms of the
     Simplified ones (tests/test_mirror.py checks them). Filter names come from the page's own labels. */
  var TRADITIONAL = {
    "请输入关键词，或选择筛选条件。": "請輸入關鍵詞，或選擇篩選條件。",
    "与“": "與“",
    "”相关的": "”相關的",
    "结果": "結果",
    "（筛选条件：": "（篩選條件：",
    "没有找到": "沒有找到",
    "。请检查用字，或减少关键词和筛选条件。": "。請檢查用字，或減少關鍵詞和篩選條件。",
    " 条": " 條",
    "搜索暂时无法使用：搜索索引加载失败。": "搜索暫時無法使用：搜索索引加載失敗。",
    "显示更多结果（还有 ": "顯示更多結果（還有 ",
    "已显示第 ": "已顯示第 ",
    " 条，共 ": " 條，共 ",
    "已按相关度排序": "已按相關度排序",
    "已按发布日期排序（最新在前）": "已按發佈日期排序（最新在前）",
    " 条。": " 條。",
    "没有同时包含全部关键词的结果": "沒有同時包含全部關鍵詞的結果",
    "按发布日期排序（最新在前）": "按發佈日期排序（最新在前）",
    "按相关度排序": "按相關度排序",
    " 条包含其中部分关键词，": " 條包含其中部分關鍵詞，"
  };
  var HANT = /^zh-(hant|tw|hk|mo)\b/i.test(document.documentElement.lang || "");
  function t(text) { return (HANT && TRADITIONAL[text]) || text; }

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Append `text` to `parent`, with the given ranges in <mark>. */
  function appendMarked(parent, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      parent.appendChild(el("mark", "", text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function isLowSurrogate(text, at) {
    var code = text.charCodeAt(at);
    return code >= 0xdc00 && code <= 0xdfff;
  }

  /** The text around the first match in a longer field (the body, a section); else the summary. */
  function snippet(index, record, terms, parent) {
    var WIDTH = 110, BEFORE = 30, LONG = 30;
    var fields = record.x || [];
    for (var f = 0; f < fields.length && terms.length; f++) {
      if (fields[f].length < LONG && record.s) continue;
      var ranges = index.highlights(fields[f], terms);
      if (!ranges.length) continue;
      var text = fields[f], from = Math.max(0, ranges[0][0] - BEFORE), to = Math.min(text.length, from + WIDTH);
      if (isLowSurrogate(text, from)) from--;
      if (isLowSurrogate(text, to)) to++;
      var inside = ranges.filter(function (r) { return r[0] >= from && r[1] <= to; })
        .map(function (r) { return [r[0] - from, r[1] - from]; });
      if (from > 0) parent.appendChild(document.createTextNode("…"));
      appendMarked(parent, text.slice(from, to), inside);
      if (to < text.length) parent.appendChild(document.createTextNode("…"));
      return;
    }
    var summary = (record.s || "").slice(0, WIDTH);
    appendMarked(parent, summary, terms.length ? index.highlights(summary, terms) : []);
  }

  function dateCn(iso) {
    var p = iso.split("-");
    return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  function Page(form) {
    this.form = form;
    this.index = new Index(form.getAttribute("data-index"));
    this.root = form.getAttribute("data-root") || "";
    this.input = form.querySelector("input[name=q]");
    this.selects = Array.from(form.querySelectorAll("select"));
    this.status = document.getElementById("search-status");
    this.section = document.getElementById("search-results-section");
    this.list = document.getElementById("search-results");
    this.more = document.getElementById("search-more");
    this.error = document.getElementById("search-error");
    this.sort = document.getElementById("search-sort");
    this.run = 0;
    this.hits = [];
    this.ranked = [];
    this.marks = [];
    this.shown = 0;
  }

  Page.prototype.start = function () {
    var self = this;
    var fallback = document.getElementById("search-fallback");
    if (fallback) fallback.hidden = true;
    this.form.hidden = false;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.go(true);
    });
    this.selects.forEach(function (select) {
      select.addEventListener("change", function () { self.go(false); });
    });
    var clear = document.getElementById("search-clear");
    if (clear) {
      clear.addEventListener("click", function () {
        self.selects.forEach(function (s) { s.value = ""; });
        self.go(false);
        self.input.focus();
      });
    }
    this.more.addEventListener("click", function () { self.showMore(true); });
    if (this.sort) this.sort.addEventListener("change", function () { self.resort(); });
    window.addEventListener("popstate", function () { self.fromUrl(); });
    this.fromUrl();
  };

  Page.prototype.filters = function () {
    var out = {};
    this.selects.forEach(function (s) { if (s.value) out[s.name] = s.value; });
    return out;
  };

  Page.prototype.fromUrl = function () {
    var params = new URLSearchParams(window.location.search);
    this.input.value = params.get("q") || "";
    if (this.sort) this.sort.value = params.get("sort") === "date" ? "date" : "";
    this.selects.forEach(function (s) {
      var value = params.get(s.name) || "";
      s.value = Array.from(s.options).some(function (o) { return o.value === value; }) ? value : "";
    });
    // The filters are folded on phones (a <details>): open where there is room, or when one is chosen.
    var fold = document.getElementById("search-filters-fold");
    if (fold && (Object.keys(this.filters()).length || window.matchMedia("(min-width: 40rem)").matches)) {
      fold.open = true;
    }
    if (this.input.value.trim() || Object.keys(this.filters()).length) this.search();
  };

  Page.prototype.go = function (push) {
    this.remember(push);
    this.search();
  };

  /** The search in the page's URL (q, the filters, sort), so that it can be bookmarked and shared. */
  Page.prototype.remember = function (push) {
    var params = new URLSearchParams();
    if (this.input.value.trim()) params.set("q", this.input.value.trim());
    var filters = this.filters();
    Object.keys(filters).forEach(function (k) { params.set(k, filters[k]); });
    if (this.byDate()) params.set("sort", "date");
    var query = params.toString(), url = window.location.pathname + (query ? "?" + query : "");
    if (url !== window.location.pathname + window.location.search) {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }
  };

  Page.prototype.byDate = function () {
    return Boolean(this.sort && this.sort.value === "date");
  };

  /** The hits in the chosen order: by relevance as ranked, or newest first (documents are numbered so). */
  Page.prototype.ordered = function () {
    if (!this.byDate()) return this.ranked;
    return this.ranked.slice().sort(function (a, b) { return a.doc - b.doc; });
  };

  /** Show the same results in the other order, from the first, and say so. */
  Page.prototype.resort = function () {
    var self = this, run = ++this.run;
    this.remember(false);
    if (!this.ranked.length) return Promise.resolve();
    this.hits = this.ordered();
    this.shown = 0;
    this.list.textContent = "";
    return this.showMore(false).then(function () {
      if (run !== self.run) return;
      self.say((self.byDate() ? t("已按发布日期排序（最新在前）") : t("已按相关度排序")) + "，共 " + self.hits.length + t(" 条。"));
    });
  };

  Page.prototype.say = function (text) {
    this.status.textContent = text;
  };

  Page.prototype.search = function () {
    var self = this, run = ++this.run;
    var query = this.input.value.trim(), filters = this.filters();
    if (this.error) this.error.hidden = true;
    if (!query && !Object.keys(filters).length) {
      this.section.hidden = true;
      this.say(t("请输入关键词，或选择筛选条件。"));
      return Promise.resolve();
    }
    this.say("正在搜索…");
    return this.index.search(query, filters).then(function (result) {
      if (run !== self.run) return;
      self.marks = result.marks;
      self.ranked = result.hits;
      self.hits = self.ordered();
      self.shown = 0;
      self.list.textContent = "";
      var chosen = Object.keys(filters).map(function (k) {
        var select = self.form.elements[k];
        var label = select ? select.options[select.selectedIndex].textContent.trim() : filters[k];
        var name = self.form.querySelector("label[for='search-" + k + "']");
        return (name ? name.textContent.trim() : LABELS[k] || k) + "：" + label;
      });
      var where = (query ? t("与“") + query + t("”相关的") : "") + t("结果");
      var scope = chosen.length ? t("（筛选条件：") + chosen.join("，") + "）" : "";
      if (!self.hits.length) {
        self.section.hidden = true;
        self.say(t("没有找到") + where + scope + t("。请检查用字，或减少关键词和筛选条件。"));
        return;
      }
      self.section.hidden = false;
      var order = self.byDate() ? t("按发布日期排序（最新在前）") : t("按相关度排序");
      return self.showMore(false).then(function () {
        if (run !== self.run) return;
        if (result.complete) {
          self.say("找到 " + self.hits.length + t(" 条") + where + scope + "，" + order + "。");
        } else {
          self.say(t("没有同时包含全部关键词的结果") + scope + "；以下 " + self.hits.length +
            t(" 条包含其中部分关键词，") + order + "。");
        }
      });
    }).catch(function (error) {
      if (run !== self.run) return;
      self.section.hidden = true;
      self.say(t("搜索暂时无法使用：搜索索引加载失败。"));
      if (self.error) self.error.hidden = false;
      if (window.console) console.error(error);
    });
  };

  Page.prototype.showMore = function (moveFocus) {
    var self = this, run = this.run;
    var batch = this.hits.slice(this.shown, this.shown + PAGE);
    return Promise.all(batch.map(function (hit) { return self.index.doc(hit.doc); })).then(function (records) {
      if (run !== self.run) return;
      var first = null;
      records.forEach(function (record) {
        var item = el("li", "search-result");
        var heading = el("h3", "search-result-title");
        var link = el("a");
        link.href = self.root + record.u;
        if (record.l) link.lang = record.l;
        appendMarked(link, record.t, self.index.highlights(record.t, self.marks));
        heading.appendChild(link);
        item.appendChild(heading);
        var text = el("p", "search-result-snippet");
        if (record.l) text.lang = record.l;
        snippet(self.index, record, self.marks, text);
        item.appendChild(text);
        var meta = el("ul", "search-result-meta");
        [record.k, record.c, record.i, record.n].forEach(function (value) {
          if (value) appendMarked(meta.appendChild(el("li")), value, self.index.highlights(value, self.marks));
        });
        var date = el("time", "", dateCn(record.d));
        date.dateTime = record.d;
        meta.appendChild(el("li")).appendChild(date);
        if (record.v) meta.appendChild(el("li", "search-result-validity", record.v));
        item.appendChild(meta);
        self.list.appendChild(item);
        if (!first) first = link;
      });
      self.shown += records.length;
      var left = self.hits.length - self.shown;
      self.more.hidden = left <= 0;
      self.more.textContent = t("显示更多结果（还有 ") + left + t(" 条") + "）";
      if (moveFocus && first) {
        first.focus();
        self.say(t("已显示第 ") + (self.shown - records.length + 1) + "–" + self.shown + t(" 条，共 ") +
          self.hits.length + t(" 条") + "。");
      }
    });
  };

  function init() {
    var form = document.getElementById("search-form");
    if (form && form.getAttribute("data-index") !== null && window.fetch && window.URLSearchParams) {
      new Page(form).start();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
