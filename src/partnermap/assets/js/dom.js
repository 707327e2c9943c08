/* partnermap dom: the only ways data text reaches the page.
 *
 * Safety rule for every script of the map: text from the data file reaches the page only
 * through textContent / createTextNode (never innerHTML); links only when their scheme is
 * http or https; Leaflet APIs that take HTML strings (layer control names, tile attribution)
 * get escapeHtml()'d text.
 */
(function (PM) {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function escapeHtml(s) {
    return String(s)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;").replace(/`/g, "&#96;")
      .replace(/\$/g, "&#36;").replace(/\\/g, "&#92;");
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    if (typeof url !== "string") return null;
    // the validator refuses URLs with whitespace or control characters; check again here
    return /^https?:\/\/[^\s\u0000-\u001f\u007f<>"{}\\^`|]+$/i.test(url) ? url : null;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, String(attrs[k]));
    return node;
  }

  // A legend sample drawn with the very stroke and fill the map uses (scene.Swatch).
  function swatch(spec, style) {
    var box = svg("svg", { width: 28, height: 14, viewBox: "0 0 28 14", "class": "pm-swatch", "aria-hidden": "true" });
    var dash = dashFor(spec.dash, style);
    if (spec.kind === "fill") {
      box.appendChild(svg("rect", { x: 1, y: 1, width: 26, height: 12, rx: 2, fill: spec.color,
                                    "fill-opacity": spec.opacity, stroke: spec.color,
                                    "stroke-dasharray": spec.hatch ? dash : null }));
    } else if (spec.kind === "outline") {
      box.appendChild(svg("rect", { x: 1.5, y: 1.5, width: 25, height: 11, rx: 2, fill: "none", stroke: spec.color,
                                    "stroke-width": 2, "stroke-dasharray": dash }));
    } else if (spec.kind === "mark") {
      box.appendChild(svg("circle", { cx: 14, cy: 7, r: 4, fill: spec.color, stroke: style.halo }));
    } else {
      box.appendChild(svg("line", { x1: 1, y1: 7, x2: 27, y2: 7, stroke: spec.color, "stroke-opacity": spec.opacity,
                                    "stroke-width": 3, "stroke-dasharray": dash,
                                    "stroke-linecap": spec.dash === "friction" ? "round" : "butt" }));
    }
    return box;
  }

  function dashFor(name, style) {
    if (!name) return null;
    if (name.indexOf("grouping:") === 0) {
      var d = style.groupingDashes;
      return d[parseInt(name.slice(9), 10) % d.length];
    }
    return { pending: style.dashPending, friction: style.dashFriction, contested: style.dashContested }[name] || null;
  }

  function control(position, build) {
    var Ctl = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = build();
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    return new Ctl();
  }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  PM.dom = { escapeHtml: escapeHtml, el: el, safeUrl: safeUrl, svg: svg, swatch: swatch, dashFor: dashFor,
             control: control, fill: fill };
})(window.partnermap = window.partnermap || {});
