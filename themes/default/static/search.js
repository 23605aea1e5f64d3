/*
 * 站内搜索: searches the static index in search/ (built by generator/search/index.py) in the browser.
 *
 * Substring search: a query finds every document whose text contains it (after the
 * normalisation below, which must stay identical to generator/search/text.py). Terms separated
 * by spaces must all occur. Results: title matches first, then newest first.
 *
 * No inline script, no third party, no server code: it only fetches files of this site, so it
 * works under `Content-Security-Policy: default-src 'self'` on any static server.
 * window.ZwgkSearch.Index is the engine alone (the tests and tests/search_recall.py use it).
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ text (mirror of text.py)
  var IGNORED = new Set(["\t", "\n", "\v", "\f", "\r", " ", "\x85", "\u1680", "\u2028", "\u2029",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]);

  function fnv1a(term) {
    var h = 0x811c9dc5;
    for (var ch of term) {
      h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function readVarint(bytes, state) {
    var value = 0, shift = 0, byte;
    do {
      byte = bytes[state.p++];
      value += (byte & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (byte >= 0x80);
    return value;
  }

  function lowerBound(arr, from, to, value) {
    while (from < to) {
      var mid = (from + to) >>> 1;
      if (arr[mid] < value) from = mid + 1; else to = mid;
    }
    return from;
  }

  // ------------------------------------------------------------------ the index
  function Index(base) {
    this.base = new URL(base, document.baseURI);
    this.shards = new Map();
    this.files = new Map();
    this.docs = new Map();
    this.normCache = new Map();
    this.ready = null;
  }

  Index.prototype.fetch = function (path, kind, fresh) {
    var url = new URL(path, this.base);
    if (!fresh) url.search = "v=" + this.manifest.build;
    return fetch(url.href, fresh ? { cache: "no-cache" } : {}).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + url.href);
      return kind === "json" ? response.json() : response.arrayBuffer();
    });
  };

  Index.prototype.load = function () {
    var self = this;
    if (!this.ready) {
      this.ready = this.fetch("manifest.json", "json", true).then(function (manifest) {
        if (manifest.format !== 1) throw new Error("unknown search index format " + manifest.format);
        self.manifest = manifest;
        self.fold = new Map();
        var pairs = Array.from(manifest.fold);
        for (var i = 0; i + 1 < pairs.length; i += 2) self.fold.set(pairs[i], pairs[i + 1]);
        return self.fetch("docs.bin", "bin");
      }).then(function (buffer) {
        var bytes = new Uint8Array(buffer), record = self.manifest.record, size = 0;
        record.forEach(function (field) { size += field[1]; });
        self.count = self.manifest.count;
        self.records = {};
        record.forEach(function (field, k) {
          var offset = 0;
          for (var j = 0; j < k; j++) offset += record[j][1];
          var column = new Uint16Array(self.count);
          for (var n = 0; n < self.count; n++) {
            var at = n * size + offset;
            column[n] = field[1] === 1 ? bytes[at] : bytes[at] | (bytes[at + 1] << 8);
          }
          self.records[field[0]] = column;
        });
        return self;
      });
      this.ready.catch(function () { self.ready = null; });  // a later search may try again
    }
    return this.ready;
  };

  Index.prototype.normChar = function (ch) {
    var out = this.normCache.get(ch);
    if (out === undefined) {
      out = "";
      for (var c of ch.normalize("NFKC").toLowerCase()) {
        if (!IGNORED.has(c)) out += this.fold.get(c) || c;
      }
      this.normCache.set(ch, out);
    }
    return out;
  };

  /** Normalised text and, per normalised code unit, where the character it came from starts and ends. */
  Index.prototype.normalizeMapped = function (text) {
    var out = "", map = [], ends = [], i = 0;
    for (var ch of text) {
      var n = this.normChar(ch);
      for (var k = 0; k < n.length; k++) {
        map.push(i);
        ends.push(i + ch.length);
      }
      out += n;
      i += ch.length;
    }
    return { text: out, map: map, ends: ends };
  };

  Index.prototype.isSeparator = function (ch) {
    var nfkc = ch.normalize("NFKC");
    if (!nfkc) return false;
    for (var c of nfkc) if (!IGNORED.has(c)) return false;
    return true;
  };

  /** The query's terms: split at spaces, normalised, without repeats. */
  Index.prototype.terms = function (query) {
    var terms = [], current = "";
    var push = function () {
      if (current && terms.indexOf(current) < 0) terms.push(current);
      current = "";
    };
    for (var ch of query) {
      if (this.isSeparator(ch)) push(); else current += this.normChar(ch);
    }
    push();
    return terms;
  };

  /** A shard's table: term → {doc, pos} (byte arrays), or {docFile, posFile} for a hot term. */
  Index.prototype.shard = function (n) {
    var self = this;
    if (!this.shards.has(n)) {
      var promise = this.fetch("i/" + n + ".bin", "bin").then(function (buffer) {
        var bytes = new Uint8Array(buffer), state = { p: 0 }, table = new Map(), entries = [];
        var count = bytes.length ? readVarint(bytes, state) : 0;
        for (var k = 0; k < count; k++) {
          var length = readVarint(bytes, state), term = "";
          for (var j = 0; j < length; j++) term += String.fromCodePoint(readVarint(bytes, state));
          var flag = readVarint(bytes, state), posSize = readVarint(bytes, state);
          entries.push({ term: term, docSize: Math.floor(flag / 2), posSize: posSize, external: flag % 2, k: k });
        }
        var offset = state.p;
        entries.forEach(function (e) {
          if (e.external) {
            table.set(e.term, { docFile: "t/" + n + "-" + e.k + ".bin",
              posFile: e.posSize ? "t/" + n + "-" + e.k + "-p.bin" : null });
          } else {
            table.set(e.term, { doc: bytes.subarray(offset, offset + e.docSize),
              pos: bytes.subarray(offset + e.docSize, offset + e.docSize + e.posSize) });
            offset += e.docSize + e.posSize;
          }
        });
        return table;
      });
      promise.catch(function () { self.shards.delete(n); });
      this.shards.set(n, promise);
    }
    return this.shards.get(n);
  };

  Index.prototype.bytes = function (path) {
    var self = this;
    if (!this.files.has(path)) {
      var promise = this.fetch(path, "bin").then(function (buffer) { return new Uint8Array(buffer); });
      promise.catch(function () { self.files.delete(path); });
      this.files.set(path, promise);
    }
    return this.files.get(path);
  };

  /**
   * A term's posting list, decoded: docs and title flags; with `withPositions` (bigrams) also
   * `starts` (per document, where its positions begin in `pos`) and `pos`.
   */
  Index.prototype.posting = function (term, withPositions) {
    var self = this;
    return this.shard(fnv1a(term) & (this.manifest.shards - 1)).then(function (table) {
      var entry = table.get(term);
      if (entry === undefined) return null;
      if (entry.docFile === undefined) return decode(entry.doc, withPositions ? entry.pos : null);
      return Promise.all([self.bytes(entry.docFile),
        withPositions && entry.posFile ? self.bytes(entry.posFile) : null]).then(function (parts) {
        return decode(parts[0], parts[1]);
      });
    });

    function decode(docBytes, posBytes) {
      var state = { p: 0 }, docs = [], title = [], last = -1;
      while (state.p < docBytes.length) {
        var v = readVarint(docBytes, state);
        last += Math.floor(v / 2) + 1;
        docs.push(last);
        title.push(v % 2);
      }
      var out = { docs: docs, title: title, starts: null, pos: null };
      if (posBytes) {
        var starts = [], pos = [];
        state = { p: 0 };
        for (var k = 0; k < docs.length; k++) {
          starts.push(pos.length);
          var count = readVarint(posBytes, state) + 1, p = readVarint(posBytes, state);
          pos.push(p);
          for (var j = 1; j < count; j++) {
            p += readVarint(posBytes, state) + 1;
            pos.push(p);
          }
        }
        starts.push(pos.length);
        out.starts = starts;
        out.pos = pos;
      }
      return out;
    }
  };

  /**
   * Documents containing the (normalised) term: Map doc → true when it occurs in the title.
   * One or two characters: one document list. Longer: the documents that have every covering
   * bigram, then the exact test — on the bigrams' positions, or, when a position list would have
   * to be fetched and at most `verifyLimit` documents remain (after the filters in `allowed`), on
   * their result records (fetched anyway to show them).
   */
  Index.prototype.matchTerm = function (term, allowed) {
    var chars = Array.from(term), self = this;
    if (chars.length <= 2) {
      return this.posting(term, false).then(function (p) {
        var out = new Map();
        if (p) p.docs.forEach(function (d, k) { out.set(d, p.title[k] === 1); });
        return out;
      });
    }
    var offsets = [];
    for (var o = 0; o < chars.length - 1; o += 2) offsets.push(o);
    if (offsets[offsets.length - 1] !== chars.length - 2) offsets.push(chars.length - 2);
    var bigrams = offsets.map(function (off) { return chars[off] + chars[off + 1]; });
    return Promise.all(bigrams.map(function (b) {
      return self.shard(fnv1a(b) & (self.manifest.shards - 1)).then(function (table) { return table.get(b); });
    })).then(function (entries) {
      if (entries.some(function (e) { return e === undefined; })) return new Map();
      var inline = entries.every(function (e) { return e.docFile === undefined; });
      if (inline) return self.matchByPositions(bigrams, offsets);
      return Promise.all(bigrams.map(function (b) { return self.posting(b, false); })).then(function (lists) {
        var candidates = intersect(lists.map(function (p) { return p.docs; }), allowed);
        if (!candidates.length) return new Map();
        if (candidates.length > self.verifyLimit) return self.matchByPositions(bigrams, offsets);
        return self.matchByText(term, candidates);
      });
    });
  };

  Index.prototype.verifyLimit = 20;

  function intersect(lists, allowed) {
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var at = lists.map(function () { return 0; }), out = [];
    lists[0].forEach(function (doc) {
      if (allowed && !allowed[doc]) return;
      for (var r = 1; r < lists.length; r++) {
        var docs = lists[r];
        while (at[r] < docs.length && docs[at[r]] < doc) at[r]++;
        if (at[r] >= docs.length || docs[at[r]] !== doc) return;
      }
      out.push(doc);
    });
    return out;
  }

  /** The exact test on the result records: the term in the title or in one of the other fields. */
  Index.prototype.matchByText = function (term, candidates) {
    var self = this;
    return Promise.all(candidates.map(function (id) { return self.doc(id); })).then(function (records) {
      var out = new Map();
      records.forEach(function (record, k) {
        var fields = self.normalizedFields(candidates[k], record);
        if (fields[0].indexOf(term) >= 0) out.set(candidates[k], true);
        else if (fields.some(function (f) { return f.indexOf(term) >= 0; })) out.set(candidates[k], false);
      });
      return out;
    });
  };

  Index.prototype.normalizedFields = function (id, record) {
    if (!this.normalized) this.normalized = new Map();
    var fields = this.normalized.get(id);
    if (!fields) {
      var self = this;
      fields = [record.t].concat(record.x || []).map(function (f) { return self.normalizeMapped(f).text; });
      this.normalized.set(id, fields);
    }
    return fields;
  };

  /** The exact test on positions: the covering bigrams at p + offset, for some p. */
  Index.prototype.matchByPositions = function (bigrams, offsets) {
    var zone = this.manifest.titleZone, self = this;
    return Promise.all(bigrams.map(function (b) { return self.posting(b, true); })).then(function (lists) {
      var out = new Map();
      var items = lists.map(function (p, k) { return { off: offsets[k], p: p, at: 0 }; });
      items.sort(function (a, b) { return a.p.docs.length - b.p.docs.length; });
      var lead = items[0], rest = items.slice(1);
      for (var k = 0; k < lead.p.docs.length; k++) {
        var doc = lead.p.docs[k], present = true;
        for (var r = 0; r < rest.length; r++) {
          var it = rest[r], docs = it.p.docs;
          while (it.at < docs.length && docs[it.at] < doc) it.at++;
          if (it.at >= docs.length || docs[it.at] !== doc) { present = false; break; }
        }
        if (!present) continue;
        for (var s = lead.p.starts[k]; s < lead.p.starts[k + 1]; s++) {
          var start = lead.p.pos[s] - lead.off, all = true;
          for (r = 0; r < rest.length && all; r++) {
            var q = rest[r].p, i = rest[r].at, want = start + rest[r].off;
            var from = q.starts[i], to = q.starts[i + 1], at = lowerBound(q.pos, from, to, want);
            all = at < to && q.pos[at] === want;
          }
          if (all) { out.set(doc, start < zone); break; }
        }
      }
      return out;
    });
  };

  /** Which documents pass the filters ({column: url, topic: name, …}); null when there is none. */
  Index.prototype.allowed = function (filters) {
    var m = this.manifest, count = this.count, ok = null, self = this;
    Object.keys(filters).forEach(function (name) {
      var value = filters[name];
      if (!value) return;
      var pass = new Uint8Array(count);
      if (name === "column") {
        var index = m.columns.findIndex(function (c) { return c.url === value; });
        var inside = new Set();
        m.columns.forEach(function (c, n) {
          for (var k = n; k >= 0; k = m.columns[k].parent) if (k === index) { inside.add(n); break; }
        });
        var sets = new Set();
        m.colsets.forEach(function (members, k) {
          if (members.some(function (c) { return inside.has(c); })) sets.add(k + 1);
        });
        var colset = self.records.colset;
        for (var n = 0; n < count; n++) pass[n] = sets.has(colset[n]) ? 1 : 0;
      } else if (m.facets[name]) {
        var code = m.facets[name].map(String).indexOf(String(value)) + 1, codes = self.records[name];
        for (n = 0; n < count; n++) pass[n] = code > 0 && codes[n] === code ? 1 : 0;
      } else {
        return;
      }
      if (ok === null) ok = pass;
      else for (n = 0; n < count; n++) ok[n] &= pass[n];
    });
    return ok;
  };

  /** {terms, hits: [{doc, title}]}: every document with every term, passing the filters, best first. */
  Index.prototype.search = function (query, filters) {
    var self = this;
    return this.load().then(function () {
      var terms = self.terms(query), allowed = self.allowed(filters || {});
      if (!terms.length) {
        var all = [];
        if (allowed) for (var n = 0; n < self.count; n++) if (allowed[n]) all.push({ doc: n, title: 0 });
        return { terms: terms, hits: all };
      }
      var ordered = terms.slice().sort(function (a, b) { return b.length - a.length; });
      return Promise.all(ordered.map(function (t) { return self.matchTerm(t, allowed); })).then(function (maps) {
        var hits = [];
        maps[0].forEach(function (inTitle, doc) {
          if (allowed && !allowed[doc]) return;
          var score = inTitle ? 1 : 0;
          for (var k = 1; k < maps.length; k++) {
            if (!maps[k].has(doc)) return;
            if (maps[k].get(doc)) score++;
          }
          hits.push({ doc: doc, title: score });
        });
        hits.sort(function (a, b) { return b.title - a.title || a.doc - b.doc; });
        return { terms: terms, hits: hits };
      });
    });
  };

  /** What a result shows: url, title, date, kind, column, issuer, validity, summary, text. */
  Index.prototype.doc = function (id) {
    var self = this;
    if (!this.docs.has(id)) {
      var bucket = Math.floor(id / this.manifest.docBucket);
      var promise = this.fetch("d/" + bucket + "/" + id + ".json", "json");
      promise.catch(function () { self.docs.delete(id); });
      this.docs.set(id, promise);
    }
    return this.docs.get(id);
  };

  /** Ranges [from, to) of `text` (original indices) where any term occurs. */
  Index.prototype.highlights = function (text, terms) {
    var mapped = this.normalizeMapped(text), ranges = [];
    terms.forEach(function (term) {
      var at = mapped.text.indexOf(term);
      while (at >= 0) {
        ranges.push([mapped.map[at], mapped.ends[at + term.length - 1]]);
        at = mapped.text.indexOf(term, at + 1);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r.slice());
    });
    return merged;
  };

  // ------------------------------------------------------------------ the page
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
    " 条，共 ": " 條，共 "
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
    this.run = 0;
    this.hits = [];
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
    var params = new URLSearchParams();
    if (this.input.value.trim()) params.set("q", this.input.value.trim());
    var filters = this.filters();
    Object.keys(filters).forEach(function (k) { params.set(k, filters[k]); });
    var query = params.toString(), url = window.location.pathname + (query ? "?" + query : "");
    if (url !== window.location.pathname + window.location.search) {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }
    this.search();
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
      self.terms = result.terms;
      self.hits = result.hits;
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
      return self.showMore(false).then(function () {
        if (run !== self.run) return;
        self.say("找到 " + self.hits.length + t(" 条") + where + scope + "。");
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
        appendMarked(link, record.t, self.terms.length ? self.index.highlights(record.t, self.terms) : []);
        heading.appendChild(link);
        item.appendChild(heading);
        var text = el("p", "search-result-snippet");
        if (record.l) text.lang = record.l;
        snippet(self.index, record, self.terms, text);
        item.appendChild(text);
        var meta = el("ul", "search-result-meta");
        [record.k, record.c, record.i, record.n].forEach(function (value) {
          if (value) appendMarked(meta.appendChild(el("li")), value, self.index.highlights(value, self.terms));
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

  window.ZwgkSearch = { Index: Index, fnv1a: fnv1a };

  function init() {
    var form = document.getElementById("search-form");
    if (form && form.getAttribute("data-index") !== null && window.fetch && window.URLSearchParams) {
      new Page(form).start();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
