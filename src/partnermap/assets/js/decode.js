/* partnermap decode: the payload's encoded coordinates (geo.py) to Leaflet latlngs.
 * A ring arrives as one string: the differences x0, y0, dx1, dy1, ... in 1/scale degrees as
 * zigzag varints, 5 bits a character from a base64url alphabet (32 added while more follow).
 * decodeRing is the twin of geo.decode_ring (shared vectors); pure functions (node-tested). */
(function (PM) {
  "use strict";

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var d = 0; d < 64; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;

  // One pass from the string to [lat, lng] pairs: this runs over every vertex of every shape
  // when the map is drawn. At most 30 bits a value (geo._GROUPS): 32-bit integer operations
  // are exact.
  function decodeRing(s, scale) {
    var out = [], x = 0, y = 0, v = 0, shift = 0, odd = false;
    for (var i = 0, n = s.length; i < n; i++) {
      var c = s.charCodeAt(i), b = c < 128 ? DIGIT[c] : -1;
      if (b < 0 || shift > 25) throw new Error("not an encoded ring: bad character at " + i);
      v |= (b & 31) << shift;
      shift += 5;
      if (b < 32) {
        if (odd) { y += (v >>> 1) ^ -(v & 1); out.push([y / scale, x / scale]); }
        else x += (v >>> 1) ^ -(v & 1);
        odd = !odd; v = 0; shift = 0;
      }
    }
    if (shift || odd) throw new Error("not an encoded ring: it ends mid-coordinate");
    return out;
  }

  // {e: [[ring, ...] polygon, ...]} -> [[[lat, lng], ...] ring ...] polygon ...] for L.polygon
  function decodePolygons(g, scale) {
    if (!g || !g.e) return [];
    return g.e.map(function (poly) { return poly.map(function (r) { return decodeRing(r, scale); }); });
  }

  // {e: [ring, ...]} -> [[[lat, lng], ...], ...] for L.polyline
  function decodeLines(g, scale) {
    if (!g || !g.e) return [];
    return g.e.map(function (r) { return decodeRing(r, scale); });
  }

  // A big payload arrives deflated and base64-encoded (render.PACK_OVER): inflate it with the
  // browser's own DecompressionStream (no library, no network), then hand the JSON to `then`.
  function unpack(b64, then, box) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var fail = function (err) {
      var p = document.createElement("p");
      p.className = "pm-offline";
      p.textContent = "This map could not be unpacked in this browser (" + err + ").";
      (box || document.body).appendChild(p);
    };
    if (typeof DecompressionStream === "undefined") { fail("no DecompressionStream"); return; }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    new Response(stream).text().then(function (text) { then(JSON.parse(text)); }, fail);
  }

  // The texts of a big map (render.split_details), inflated once it is drawn: popups and the table
  // ask `whenDetails` and show "Loading…" until then (a moment after the first paint).
  function details(pm, b64) {
    pm.detailsLoaded = false;
    var waiting = [];
    pm.whenDetails = function (fn) { if (pm.detailsLoaded) fn(); else waiting.push(fn); };
    unpack(b64, function (d) {
      Object.keys(d.ties).forEach(function (k) { pm.data.ties[k] = d.ties[k]; });
      pm.data.sources = d.sources;
      pm.detailsLoaded = true;
      pm.map.getContainer().setAttribute("data-pm-details", "1");
      waiting.forEach(function (fn) { fn(); });
      waiting = [];
    }, pm.map.getContainer());
  }

  PM.decode = { decodeRing: decodeRing, decodePolygons: decodePolygons, decodeLines: decodeLines, unpack: unpack,
                details: details };
})((function (root) { return root.partnermap || (root.partnermap = {}); })(typeof window !== "undefined" ? window : globalThis));
