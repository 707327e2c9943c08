/* partnermap decode: the payload's integer delta-encoded coordinates (geo.py) to Leaflet latlngs.
 * A ring arrives as [x0, y0, dx1, dy1, ...] in 1/scale degrees; pure functions (node-tested). */
(function (PM) {
  "use strict";

  function decodeRing(a, scale) {
    var out = new Array(a.length / 2), x = 0, y = 0;
    for (var i = 0, j = 0; i < a.length; i += 2, j++) { x += a[i]; y += a[i + 1]; out[j] = [y / scale, x / scale]; }
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

  PM.decode = { decodeRing: decodeRing, decodePolygons: decodePolygons, decodeLines: decodeLines };
})((function (root) { return root.partnermap || (root.partnermap = {}); })(typeof window !== "undefined" ? window : globalThis));
