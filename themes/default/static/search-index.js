/*
 * 站内搜索, the index: reads the static index in search/ (built by generator/search/index.py) and
 * finds where a normalised text occurs, with the zone of its best occurrence (title, key field,
 * elsewhere, only inside a name). search-rank.js ranks queries on top of it; search.js is the page.
 *
 * The normalisation below must stay identical to generator/search/text.py, and the reading to
 * generator/search/query.py (the tests compare them).
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
  // Brackets of a 文号 folded to 〔〕; marks readers leave out dropped (text.py: BRACKETS, DROPPED).
  var BRACKETS = new Map([["(", "〔"], ["[", "〔"], ["【", "〔"], ["〖", "〔"],
    [")", "〕"], ["]", "〕"], ["】", "〕"], ["〗", "〕"]]);
  var DROPPED = new Set(Array.from("、·・•“”‘’\"'「」『』《》〈〉"));
  var ZONE = { NAME: 0, BODY: 1, KEY: 2, TITLE: 3 };

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
        if (manifest.format !== 2) throw new Error("unknown search index format " + manifest.format);
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
        if (!IGNORED.has(c) && !DROPPED.has(c)) out += BRACKETS.get(c) || this.fold.get(c) || c;
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
   * A term's posting list, decoded: docs and zones; with `withPositions` (bigrams) also
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
      var state = { p: 0 }, docs = [], zones = [], last = -1;
      while (state.p < docBytes.length) {
        var v = readVarint(docBytes, state);
        last += Math.floor(v / 4) + 1;
        docs.push(last);
        zones.push(v % 4);
      }
      var out = { docs: docs, zones: zones, starts: null, pos: null };
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

  /** Documents (passing the filter) having the character or bigram `term`: Map doc → its best zone. */
  Index.prototype.zones = function (term, allowed) {
    // Cached for one filter (a search's `allowed`): ranking asks for the same pairs many times.
    if (!this.zoneCache || this.zoneCache.allowed !== allowed) this.zoneCache = { allowed: allowed, maps: new Map() };
    var maps = this.zoneCache.maps;
    if (!maps.has(term)) {
      maps.set(term, this.posting(term, false).then(function (p) {
        var out = new Map();
        if (p) p.docs.forEach(function (d, k) { if (!allowed || allowed[d]) out.set(d, p.zones[k]); });
        return out;
      }));
    }
    return maps.get(term);
  };

  /**
   * Documents (passing the filter) containing the (normalised) term: Map doc → the zone of its
   * first occurrence. One or two characters: one document list. Longer: the documents that have
   * every covering bigram, then the exact test — on the bigrams' positions, or, when a position
   * list would have to be fetched and at most `verifyLimit` documents remain (after the filters
   * in `allowed`), on their result records (fetched anyway to show them).
   */
  Index.prototype.matchTerm = function (term, allowed) {
    var chars = Array.from(term), self = this;
    if (chars.length <= 2) return this.zones(term, allowed);
    var offsets = [];
    for (var o = 0; o < chars.length - 1; o += 2) offsets.push(o);
    if (offsets[offsets.length - 1] !== chars.length - 2) offsets.push(chars.length - 2);
    var bigrams = offsets.map(function (off) { return chars[off] + chars[off + 1]; });
    return Promise.all(bigrams.map(function (b) {
      return self.shard(fnv1a(b) & (self.manifest.shards - 1)).then(function (table) { return table.get(b); });
    })).then(function (entries) {
      if (entries.some(function (e) { return e === undefined; })) return new Map();
      var inline = entries.every(function (e) { return e.docFile === undefined; });
      if (inline) return self.matchByPositions(bigrams, offsets, allowed);
      return Promise.all(bigrams.map(function (b) { return self.posting(b, false); })).then(function (lists) {
        var candidates = intersect(lists.map(function (p) { return p.docs; }), allowed);
        if (!candidates.length) return new Map();
        if (candidates.length > self.verifyLimit) return self.matchByPositions(bigrams, offsets, allowed);
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

  /** The exact test on the result records: the term in the title, a key field or another field. */
  Index.prototype.matchByText = function (term, candidates) {
    var self = this;
    return Promise.all(candidates.map(function (id) { return self.doc(id); })).then(function (records) {
      var out = new Map();
      records.forEach(function (record, k) {
        var fields = self.normalizedFields(candidates[k], record), keys = record.z || [];
        var has = function (f) { return f.indexOf(term) >= 0; };
        if (has(fields[0])) out.set(candidates[k], ZONE.TITLE);
        else if (fields.slice(1).some(function (f, n) { return keys.indexOf(n) >= 0 && has(f); })) {
          out.set(candidates[k], ZONE.KEY);
        } else if (fields.slice(1).some(has)) out.set(candidates[k], ZONE.BODY);
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

  /** The zone of a text position: the title, the key fields or the rest (query.py: zone_at). */
  function zoneAt(position, titleZone) {
    return position < titleZone ? ZONE.TITLE : position < 2 * titleZone ? ZONE.KEY : ZONE.BODY;
  }

  /** The exact test on positions: the covering bigrams at p + offset, for some p. */
  Index.prototype.matchByPositions = function (bigrams, offsets, allowed) {
    var zone = this.manifest.titleZone, self = this;
    return Promise.all(bigrams.map(function (b) { return self.posting(b, true); })).then(function (lists) {
      var out = new Map();
      var items = lists.map(function (p, k) { return { off: offsets[k], p: p, at: 0 }; });
      items.sort(function (a, b) { return a.p.docs.length - b.p.docs.length; });
      var lead = items[0], rest = items.slice(1);
      for (var k = 0; k < lead.p.docs.length; k++) {
        var doc = lead.p.docs[k], present = !allowed || allowed[doc] === 1;
        for (var r = 0; present && r < rest.length; r++) {
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
          if (all) { out.set(doc, zoneAt(start, zone)); break; }
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

  window.ZwgkSearch = { Index: Index, fnv1a: fnv1a, ZONE: ZONE };
})();
