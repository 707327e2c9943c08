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

  // An SVG path for a headquarters mark (theme.HQ_MARKERS) of radius r centred on (cx, cy).
  function markerPath(shape, cx, cy, r) {
    if (shape === "square") return "M" + (cx - r) + " " + (cy - r) + "h" + 2 * r + "v" + 2 * r + "h" + -2 * r + "z";
    if (shape === "diamond") {
      var d = r * 1.3;
      return "M" + cx + " " + (cy - d) + "L" + (cx + d) + " " + cy + "L" + cx + " " + (cy + d) + "L" + (cx - d) + " " + cy + "z";
    }
    if (shape === "triangle") {
      var t = r * 1.3;
      return "M" + cx + " " + (cy - t) + "L" + (cx + t) + " " + (cy + t * 0.8) + "L" + (cx - t) + " " + (cy + t * 0.8) + "z";
    }
    return "M" + (cx - r) + " " + cy + "a" + r + " " + r + " 0 1 0 " + 2 * r + " 0a" + r + " " + r + " 0 1 0 " + -2 * r + " 0z";
  }

  // Hatching (contested and pending fills): an SVG pattern per colour and strength, defined once
  // in a hidden <svg> of the page; returns the paint to use as a fill ("url(#...)").
  var hatches = {};
  function hatch(color, opacity, web) {
    var key = color + "|" + opacity;
    if (hatches[key]) return hatches[key];
    var defs = document.getElementById("pm-hatches");
    if (!defs) {
      var holder = svg("svg", { width: 0, height: 0, "aria-hidden": "true", style: "position:absolute;width:0;height:0" });
      defs = svg("defs", { id: "pm-hatches" });
      holder.appendChild(defs);
      document.body.appendChild(holder);
    }
    var id = "pm-hatch-" + Object.keys(hatches).length, n = web.hatch_px;
    var pattern = svg("pattern", { id: id, patternUnits: "userSpaceOnUse", width: n, height: n,
                                   patternTransform: "rotate(45)" });
    pattern.appendChild(svg("rect", { width: n, height: n, fill: color, "fill-opacity": opacity }));
    pattern.appendChild(svg("line", { x1: 0, y1: 0, x2: 0, y2: n, stroke: color, "stroke-width": web.hatch_width }));
    defs.appendChild(pattern);
    hatches[key] = "url(#" + id + ")";
    return hatches[key];
  }

  // A legend sample drawn with the very stroke and fill the map uses (scene.Swatch).
  function swatch(spec, style) {
    var web = style.web;
    var box = svg("svg", { width: 28, height: 14, viewBox: "0 0 28 14", "class": "pm-swatch", "aria-hidden": "true" });
    var dash = dashFor(spec.dash, style);
    if (spec.kind === "fill") {
      box.appendChild(svg("rect", { x: 1, y: 1, width: 26, height: 12, rx: 2,
                                    fill: spec.hatch ? hatch(spec.color, spec.opacity, web) : spec.color,
                                    "fill-opacity": spec.hatch ? 1 : spec.opacity, stroke: spec.color,
                                    "stroke-dasharray": spec.dash === "contested" ? dash : null }));
    } else if (spec.kind === "outline") {
      var gs = groupingStyle(spec.dash, style);
      box.appendChild(svg("rect", { x: 1.5, y: 1.5, width: 25, height: 11, rx: 2, fill: "none", stroke: spec.color,
                                    "stroke-width": web.swatch_outline * (gs ? gs[1] : 1), "stroke-dasharray": dash }));
      if (spec.marker) {
        box.appendChild(svg("path", { d: markerPath(spec.marker, 14, 7, web.hq_radius), fill: spec.color,
                                      stroke: style.halo, "stroke-width": 1 }));
      }
    } else if (spec.kind === "mark") {
      box.appendChild(svg("path", { d: markerPath(spec.marker || "circle", 14, 7, web.hq_radius), fill: spec.color,
                                    stroke: style.halo }));
    } else {
      box.appendChild(svg("line", { x1: 1, y1: 7, x2: 27, y2: 7, stroke: spec.color, "stroke-opacity": spec.opacity,
                                    "stroke-width": web.swatch_line, "stroke-dasharray": dash,
                                    "stroke-linecap": spec.dash === "friction" ? "round" : "butt" }));
    }
    return box;
  }

  // [dash, width factor] of a grouping style ("grouping:N"), or null.
  function groupingStyle(name, style) {
    if (!name || name.indexOf("grouping:") !== 0) return null;
    var table = style.groupingStyles;
    return table[parseInt(name.slice(9), 10) % table.length];
  }

  function dashFor(name, style) {
    if (!name) return null;
    var gs = groupingStyle(name, style);
    if (gs) return gs[0];
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
             groupingStyle: groupingStyle, markerPath: markerPath, hatch: hatch, control: control, fill: fill };
})(window.partnermap = window.partnermap || {});
