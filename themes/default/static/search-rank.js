/*
 * 站内搜索, the ranking: which documents a query finds, and in what order. The same algorithm as
 * generator/search/rank.py (documented there; the tests compare the two on the demo site): terms
 * split at spaces, cut at the words of the synonym table, matched exactly or in part, scored
 * weight (rarity) × place (title, key field, elsewhere, only in a name), newest first on a tie.
 * Every number is an integer, so both rank identically. Needs search-index.js first.
 */
(function () {
  "use strict";

  var Index = window.ZwgkSearch.Index, ZONE = window.ZwgkSearch.ZONE;
  var ZONE_WEIGHT = [1, 4, 12, 16];
  var PART = [3, 5], PART_WEIGHT = [2, 5], PART_MIN_LENGTH = 4, MAX_ALTERNATIVES = 16;
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;
  var DOC_NO = /^(.*?)((?:19|20)[0-9]{2})年?第?([0-9]+号.*)$/;

  /** BM25's inverse document frequency, in thousandths. */
  function idf(df, n) {
    return Math.floor(1000 * Math.log(1 + (n - df + 0.5) / (df + 0.5)) + 0.5);
  }

  function length(text) { return Array.from(text).length; }

  /** The term cut at the words of the synonym table: per piece, its alternatives; a single character
   *  joined to the next piece (the last to the one before). */
  function segment(term, synonyms) {
    var lengths = Array.from(new Set(Object.keys(synonyms).map(length))).sort(function (a, b) { return b - a; });
    var chars = Array.from(term), pieces = [], literal = "", i = 0;
    while (i < chars.length) {
      var key = null;
      for (var k = 0; k < lengths.length && key === null; k++) {
        var word = chars.slice(i, i + lengths[k]).join("");
        if (Object.prototype.hasOwnProperty.call(synonyms, word)) key = word;
      }
      if (key === null) {
        literal += chars[i++];
        continue;
      }
      if (literal) pieces.push([literal]);
      literal = "";
      pieces.push([key].concat(synonyms[key]));
      i += length(key);
    }
    if (literal) pieces.push([literal]);
    var n = 0;
    while (pieces.length > 1 && n < pieces.length) {
      if (length(pieces[n][0]) === 1) {
        var at = n + 1 < pieces.length ? n : n - 1;
        pieces.splice(at, 2, combine(pieces.slice(at, at + 2)));
      } else {
        n++;
      }
    }
    return pieces;
  }

  /** The alternatives of pieces written one after another (every combination, the originals first). */
  function combine(pieces) {
    var out = [""];
    pieces.forEach(function (options) {
      var next = [];
      out.forEach(function (a) { options.forEach(function (o) { next.push(a + o); }); });
      out = next.slice(0, MAX_ALTERNATIVES);
    });
    return out;
  }

  /** The whole term's alternatives: the pieces' combined, then the 文号 form of each; no repeats. */
  function alternatives(pieces) {
    var out = combine(pieces);
    out.slice().forEach(function (alt) {
      var m = DOC_NO.exec(alt);
      if (m && alt.indexOf("〔") < 0) out.push(m[1] + "〔" + m[2] + "〕" + m[3]);
    });
    return Array.from(new Set(out)).slice(0, MAX_ALTERNATIVES);
  }

  function pairs(text) {
    var chars = Array.from(text), out = [];
    for (var i = 0; i + 1 < chars.length; i++) {
      var pair = chars[i] + chars[i + 1];
      if (out.indexOf(pair) < 0) out.push(pair);
    }
    return out;
  }

  function addAll(list, items) {
    items.forEach(function (item) { if (list.indexOf(item) < 0) list.push(item); });
  }

  /** One term: `scores`, Map document → score for every document it matches; `marks` to highlight. */
  function Term(index, allowed, n) {
    this.index = index;
    this.allowed = allowed;
    this.n = n;
    this.names = index.manifest.names || [];
    this.agency = index.manifest.agency || "";
    this.marks = [];
  }

  Term.prototype.run = async function (text) {
    var pieces = segment(text, this.index.manifest.synonyms || {});
    var scores = new Map();
    if (pieces.length > 1) {  // 文旅局电话: 文化和旅游局 … 联系方式, each piece on its own
      var whole = await this.unit(alternatives(pieces), false), parts = [];
      for (var k = 0; k < pieces.length; k++) parts.push((await this.unit(pieces[k])).scores);
      parts[0].forEach(function (_, doc) {
        if (!parts.every(function (p) { return p.has(doc); })) return;
        var sum = 0;
        parts.forEach(function (p) { sum += p.get(doc); });
        scores.set(doc, sum * (whole.exact.has(doc) ? 2 : 1));
      });
      whole.scores.forEach(function (score, doc) { if (!scores.has(doc)) scores.set(doc, score); });
    }
    // One piece, or no document has them all: the whole term, also in part.
    this.scores = scores.size ? scores : (await this.unit(alternatives(pieces))).scores;
    return this;
  };

  /** {scores: Map doc → score, exact: Map doc → zone} of a unit given by its alternatives (`inPart`: also
   *  the documents matching in part; by default). */
  Term.prototype.unit = async function (alts, inPart) {
    var index = this.index, allowed = this.allowed, self = this, exact = new Map();
    for (var a = 0; a < alts.length; a++) {
      var alt = alts[a], caps = [];
      if (length(alt) >= 3 && this.names.some(function (name) { return name.indexOf(alt) >= 0; })) {
        caps = await Promise.all(pairs(alt).map(function (b) { return index.zones(b, allowed); }));
      }
      (await index.matchTerm(alt, allowed)).forEach(function (zone, doc) {
        caps.forEach(function (cap) { zone = Math.min(zone, cap.has(doc) ? cap.get(doc) : ZONE.NAME); });
        exact.set(doc, Math.max(zone, exact.has(doc) ? exact.get(doc) : ZONE.NAME));
      });
    }
    var agency = this.agency;
    if (alts.some(function (alt) { return length(alt) >= 3 && agency.indexOf(alt) >= 0; })) {
      for (var d = 0; d < index.count; d++) {  // 文旅局: every page of the site is its own
        if ((!allowed || allowed[d]) && !exact.has(d)) exact.set(d, ZONE.NAME);
      }
    }
    var weight = idf(exact.size, this.n), scores = new Map();
    exact.forEach(function (zone, doc) { scores.set(doc, weight * ZONE_WEIGHT[zone]); });
    addAll(this.marks, alts);
    if (inPart !== false && length(alts[0]) >= PART_MIN_LENGTH && (alts[0].match(HAN) || []).length >= 2) {
      (await this.part(alts[0], exact, weight)).forEach(function (score, doc) {  // as typed
        scores.set(doc, Math.max(scores.has(doc) ? scores.get(doc) : 0, score));
      });
    }
    return { scores: scores, exact: exact };
  };

  /** Documents (not matching exactly) with most of the alternative's pairs → weight × half their places. */
  Term.prototype.part = async function (alt, exact, weight) {
    var index = this.index, allowed = this.allowed, n = this.n, out = new Map();
    var all = pairs(alt), maps = await Promise.all(all.map(function (b) { return index.zones(b, allowed); }));
    var lists = [];
    maps.forEach(function (zones, k) {
      if (zones.size) lists.push({ zones: zones, pair: all[k], w: idf(zones.size, n) });
    });
    if (lists.length < 2) return out;
    var total = 0, found = new Map();
    lists.forEach(function (l) { total += l.w; });
    lists.forEach(function (l) {
      l.zones.forEach(function (zone, doc) {
        if (exact.has(doc)) return;
        var acc = found.get(doc);
        if (!acc) found.set(doc, acc = [0, 0, 0]);
        acc[0] += 1;
        acc[1] += l.w;
        acc[2] += l.w * ZONE_WEIGHT[zone];
      });
    });
    found.forEach(function (acc, doc) {
      if (acc[0] >= 2 && acc[0] * PART[1] >= lists.length * PART[0] &&
          acc[1] * PART_WEIGHT[1] >= total * PART_WEIGHT[0]) {
        out.set(doc, Math.floor(weight * acc[2] / (2 * total)));
      }
    });
    if (out.size) addAll(this.marks, lists.map(function (l) { return l.pair; }));
    return out;
  };

  /**
   * {terms, hits: [{doc, score, terms}], complete, marks}: every document matching the query and
   * passing the filters, best first; `complete` is false when no document matches every term and
   * the hits are those matching some; `marks` are the texts to highlight.
   */
  Index.prototype.search = async function (query, filters) {
    await this.load();
    var texts = this.terms(query), allowed = this.allowed(filters || {});
    if (!texts.length) {
      var all = [];
      if (allowed) for (var d = 0; d < this.count; d++) if (allowed[d]) all.push({ doc: d, score: 0, terms: 0 });
      return { terms: texts, hits: all, complete: true, marks: [] };
    }
    var n = this.count;
    if (allowed) n = allowed.reduce(function (sum, v) { return sum + v; }, 0);
    var terms = [];
    for (var t = 0; t < texts.length; t++) terms.push(await new Term(this, allowed, n).run(texts[t]));
    var totals = new Map();
    terms.forEach(function (term) {
      term.scores.forEach(function (score, doc) {
        var acc = totals.get(doc);
        if (!acc) totals.set(doc, acc = [0, 0]);
        acc[0] += score;
        acc[1] += 1;
      });
    });
    var complete = false;
    totals.forEach(function (acc) { if (acc[1] === terms.length) complete = true; });
    var hits = [];
    totals.forEach(function (acc, doc) {
      if (!complete || acc[1] === terms.length) hits.push({ doc: doc, score: acc[0], terms: acc[1] });
    });
    hits.sort(function (a, b) { return b.terms - a.terms || b.score - a.score || a.doc - b.doc; });
    var marks = [];
    terms.forEach(function (term) { addAll(marks, term.marks); });
    return { terms: texts, hits: hits, complete: complete || !hits.length, marks: marks };
  };

  window.ZwgkSearch.rank = { idf: idf, segment: segment, alternatives: alternatives };
})();
