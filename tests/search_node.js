// Runs the browser's search engine (themes/default/static/search-index.js and search-rank.js) under
// Node on an index written to a folder, so that tests can compare it with generator/search/rank.py.
//
//     node tests/search_node.js SITE_DIR STATIC_DIR < request.json
//
// SITE_DIR holds search/ (manifest.json, shards …); request: {queries: [...], filters: {...},
// verifyLimit: n}. Prints, per query, {hits: [[doc, score, terms]…], complete, marks}.
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");
const { pathToFileURL, fileURLToPath } = require("url");

const [root, staticDir] = process.argv.slice(2);
globalThis.window = globalThis;
globalThis.document = { baseURI: pathToFileURL(path.resolve(root) + path.sep).href };
// fetch of the site's own files, as a static server would answer (the ?v= build tag ignored).
globalThis.fetch = async (href) => {
  let data;
  try {
    data = fs.readFileSync(fileURLToPath(href.split("?")[0]));
  } catch (error) {
    return { ok: false, status: 404 };
  }
  return {
    ok: true,
    status: 200,
    json: async () => JSON.parse(data.toString("utf8")),
    arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  };
};

for (const name of ["search-index.js", "search-rank.js"]) {
  vm.runInThisContext(fs.readFileSync(path.join(staticDir, name), "utf8"), { filename: name });
}

(async () => {
  const request = JSON.parse(fs.readFileSync(0, "utf8"));
  const index = new window.ZwgkSearch.Index("search/");
  if (request.verifyLimit !== undefined) index.verifyLimit = request.verifyLimit;
  const out = [];
  for (const query of request.queries) {
    const result = await index.search(query, request.filters || {});
    const hits = result.hits.map((h) => [h.doc, h.score, h.terms]);
    out.push({ hits: hits, complete: result.complete, marks: result.marks });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
