/* partnermap layers: every Leaflet layer, built once (build) and restyled on each refresh (apply).
 *
 * Territories, friction outlines, groupings, headquarters marks, links (with their friction
 * marks) and labels are created from the payload when the map opens; a refresh only changes
 * styles, classes and which layers are on the map, so the timeline plays at full speed.
 *
 * Panes, bottom to top: basemap, group tints (only members that are not partners, so a tint
 * never changes a partner's colour), territories, grouping outlines, friction outlines (never
 * hidden by a grouping), links, marks, labels. Only a partner's own territory takes clicks and
 * hovers inside it: grouping outlines and tints and links (which cross other partners) take
 * none. A grouping is opened from its name, its headquarters mark or its legend row.
 */
(function (PM) {
  "use strict";
  var R = PM.rules, dom = PM.dom, D = PM.decode;

  // A refresh restyles only what changed: setting the same style or class again still makes the
  // browser recompute the element's style, and on a 10,000-tie map that was half of a live toggle.
  function classes(layer, list) {
    var name = list.join(" ");
    if (layer.pmClass === name) return;
    layer.pmClass = name;
    var node = layer.getElement ? layer.getElement() : null;
    if (node) node.setAttribute("class", name + (layer.options.interactive === false ? "" : " leaflet-interactive"));
    layer.options.className = name;
  }

  function restyle(layer, opts) {
    var key = JSON.stringify(opts);
    if (layer.pmStyle === key) return;
    layer.pmStyle = key;
    layer.setStyle(opts);
  }

  function setText(node, prop, value) {  // the browser normalises style values: compare with what we set
    var key = "pm_" + prop;
    if (node[key] === value) return;
    node[key] = value;
    node.style[prop] = value;
  }

  function setAttr(node, name, value) {  // true when it changed
    if (node.getAttribute(name) === value) return false;
    node.setAttribute(name, value);
    return true;
  }

  // true when the layer was added (newly on the map)
  function show(group, layer, on) {
    if (on && !group.hasLayer(layer)) { group.addLayer(layer); return true; }
    if (!on && group.hasLayer(layer)) group.removeLayer(layer);
    return false;
  }

  // A name is a permanent tooltip that measures itself once. Leaflet's tooltip reads its size
  // (offsetWidth) each time it is placed, and after the name before it moved, each read lays the
  // page out again: 250 names took 400 ms of drawing a 100,000-tie map (when added, and again when
  // the view was fitted), and a layout a name on every zoom. A name's size never changes (its text
  // and font are set before it is added), so a new name waits in pm.unplaced until placeLabels
  // reads every waiting size at once; after that, placing a name only writes. The arithmetic is
  // Leaflet 1.9.3's Tooltip._setPosition for "center" and "right" (the directions names use;
  // any other goes to Leaflet's own), held to it by a browser test. The class is made on first
  // use: a --cdn page opened offline has no Leaflet (L) when this script runs.
  var Label = null;
  function labelClass() {
    return Label || (Label = L.Tooltip.extend({
      _setPosition: function (pos) {
        var size = this.pmSize;
        if (!size) {
          this.pmAt = pos;
          if (!this.pmWaiting) { this.pmWaiting = true; this.pmOwner.unplaced.push(this); later(this.pmOwner); }
          return;
        }
        var container = this._container, direction = this.options.direction;
        if (direction !== "center" && direction !== "right") return L.Tooltip.prototype._setPosition.call(this, pos);
        // Leaflet's own arithmetic for the two directions names use, with the remembered size
        var sub = L.point(direction === "center" ? size[0] / 2 : 0, size[1] / 2, true);
        pos = pos.subtract(sub).add(L.point(this.options.offset)).add(this._getAnchor());
        L.DomUtil.addClass(container, "leaflet-tooltip-" + direction);  // a name's direction never changes
        L.DomUtil.setPosition(container, pos);
      }
    }));
  }

  // Every waiting name measured (reads, one layout), then placed (writes). At the end of build,
  // before declutter measures the names, and in a microtask for a name added at any other time.
  function placeLabels(pm) {
    var waiting = pm.unplaced;
    if (!waiting.length) return;
    pm.unplaced = [];
    waiting.forEach(function (t) {
      t.pmWaiting = false;
      if (t._map && t._container) t.pmSize = [t._container.offsetWidth, t._container.offsetHeight];
    });
    waiting.forEach(function (t) {
      if (!t._map || !t.pmSize) return;
      t._setPosition(t.pmAt);
      // a name measured 0 x 0 (its map hidden, a closed tab) is measured again next time it is placed
      if (!t.pmSize[0] && !t.pmSize[1]) t.pmSize = null;
    });
  }

  function later(pm) {
    if (pm.unplaced.length === 1) Promise.resolve().then(function () { placeLabels(pm); });
  }

  function label(pm, latlng, text, cls, priority, options) {
    var span = dom.el("span", null, text);
    span.setAttribute("data-priority", String(priority));
    var m = L.circleMarker(latlng, { radius: 0, opacity: 0, fillOpacity: 0, interactive: false, pane: "pm-labels" });
    var tip = new (labelClass())(L.extend({ permanent: true, direction: "center", className: "pm-label " + cls,
                                   pane: "pm-labels" }, options || {}));
    tip.pmOwner = pm;
    tip.setContent(span);
    m.bindTooltip(tip);
    m.pmSpan = span;
    return m;
  }

  // A name that opens its grouping's popup: click, or Enter/Space when focused.
  function opener(pm, span, id, latlng) {
    span.classList.add("pm-opener");
    span.setAttribute("role", "button");
    span.setAttribute("tabindex", "0");
    function go(e) { L.DomEvent.stop(e); PM.popup.open(pm, id, latlng); }
    L.DomEvent.on(span, "click", go);
    L.DomEvent.on(span, "keydown", function (e) { if (e.key === "Enter" || e.key === " ") go(e); });
    L.DomEvent.disableClickPropagation(span);
  }

  // A headquarters mark of its own shape (theme.HQ_MARKERS), opening its organisation's popup;
  // neighbouring marks (the EU and NATO in Brussels) sit a mark apart, as their labels do.
  function hqMark(pm, g) {
    var st = pm.style, web = st.web, r = web.hq_radius, d = 2 * Math.ceil(r * 1.3 + web.hq_halo) + 2;
    var icon = dom.svg("svg", { width: d, height: d, viewBox: "0 0 " + d + " " + d });
    icon.appendChild(dom.svg("path", { d: dom.markerPath(g.marker || "circle", d / 2, d / 2, r), fill: g.color,
                                       stroke: st.halo, "stroke-width": web.hq_halo,
                                       "class": "pm-hq pm-partner-" + g.id }));
    var shift = Math.round(g.hqOffset * (r + web.hq_halo + 1));
    var m = L.marker([g.hq[1], g.hq[0]], { pane: "pm-marks", keyboard: false,
                                           icon: L.divIcon({ html: icon, className: "pm-hq-icon", iconSize: [d, d],
                                                             iconAnchor: [d / 2, d / 2 - shift] }) });
    m.setStyle = function (o) { m.setOpacity(o.opacity); };
    return m;
  }

  function build(pm) {
    var map = pm.map, st = pm.style, data = pm.data, scale = data.view.scale, web = st.web;
    pm.unplaced = [];  // names added and not yet measured (Label)
    if (data.tiles) {
      // Online tiles sit above the bundled basemap: where they fail, the basemap shows.
      map.createPane("pm-tiles").style.zIndex = web.z_tiles;
      L.tileLayer(data.tiles.url, { pane: "pm-tiles", attribution: dom.escapeHtml(data.tiles.attribution),
                                    maxZoom: data.tiles.maxZoom }).addTo(map);
    }
    // The basemap as one path: 242 countries, never interactive.
    var basemap = {}, all = [];
    data.basemap.ids.forEach(function (id, i) {
      var polys = D.decodePolygons(data.basemap.shapes[i], scale);
      basemap[id] = polys;
      Array.prototype.push.apply(all, polys);
    });
    L.polygon(all, { pane: "pm-base", interactive: false, color: st.border, weight: web.border, fillColor: st.land,
                     fillOpacity: 1, className: "pm-basemap" }).addTo(map);

    // Category overlays hold the links: the layer control switches them.
    pm.overlays = {};
    var present = {};
    data.links.forEach(function (l) { present[l.category] = true; });
    data.rules.categoryOrder.forEach(function (c) {
      if (!present[c]) return;
      pm.overlays[c] = L.featureGroup().addTo(map);
      pm.overlays[c].pmCategory = c;
    });
    pm.territoryLayer = L.featureGroup().addTo(map);
    pm.frictionLayer = L.featureGroup().addTo(map);
    pm.territories = {};
    pm.frictionOutlines = {};
    data.partners.forEach(function (p) {
      var polys = [];
      if (p.shape.parts) p.shape.parts.forEach(function (id) { Array.prototype.push.apply(polys, basemap[id] || []); });
      else polys = D.decodePolygons(p.shape, scale);
      if (!polys || !polys.length) return;
      var layer = L.polygon(polys, { pane: "pm-territory", weight: web.outline });
      PM.popup.bind(pm, layer, p.id);
      pm.territories[p.id] = layer;
      pm.frictionOutlines[p.id] = L.polygon(polys, { pane: "pm-friction", interactive: false, fill: false,
                                                     color: st.friction, weight: web.friction_outline,
                                                     dashArray: st.dashFriction, lineCap: "round" });
    });
    // The focal country: its basemap shape filled, a marker at its capital.
    var focal = data.focal;
    var focalPolys = focal.shape === "basemap" ? basemap[focal.id] : D.decodePolygons(focal.shape, scale);
    if (focalPolys && focalPolys.length) {
      L.polygon(focalPolys, { pane: "pm-territory", interactive: false, color: st.focal, weight: web.focal_outline,
                              fillColor: st.focal, fillOpacity: st.focalFill, className: "pm-focal" }).addTo(map);
    }
    var fm = L.circleMarker([focal.anchor[1], focal.anchor[0]], {
      radius: web.focal_radius, color: st.halo, weight: web.focal_halo, fillColor: st.focal, fillOpacity: 1,
      pane: "pm-marks", interactive: false, className: "pm-focal-marker" }).addTo(map);
    pm.focalLabel = label(pm, [focal.anchor[1], focal.anchor[0]], focal.label, "pm-focal-label", 1e9,
                          { direction: "right", offset: [web.focal_radius + web.focal_label_gap, 0] });
    pm.focalLabel.addTo(map);
    void fm;

    // Groupings: one toggleable layer each (outline, tint for groups, label, headquarters mark).
    pm.groupings = data.groups.map(function (g, i) {
      var layer = L.featureGroup(), gs = dom.groupingStyle("grouping:" + g.dash, st);
      var shape = L.polygon(D.decodePolygons(g.shape, scale), {
        pane: "pm-groupings", color: g.color, weight: web.grouping * gs[1], dashArray: gs[0], fill: false,
        opacity: st.outlineOpacity, interactive: false,
        className: "pm-grouping pm-" + g.kind + " pm-partner-" + g.id });
      layer.addLayer(shape);
      var tint = null, tintPolys = [];
      (g.tintMembers || []).forEach(function (id) { Array.prototype.push.apply(tintPolys, basemap[id] || []); });
      if (g.tint && tintPolys.length) {
        tint = L.polygon(tintPolys, { pane: "pm-tints", stroke: false, fillColor: g.color, fillOpacity: st.groupTint,
                                      interactive: false, className: "pm-tint pm-partner-" + g.id });
        layer.addLayer(tint);
      }
      var lab, hq = null, at;
      if (g.hq) {
        hq = hqMark(pm, g);
        PM.popup.bind(pm, hq, g.id);
        layer.addLayer(hq);
        at = [g.hq[1], g.hq[0]];
        lab = label(pm, at, g.label, "pm-grouping-label pm-hq-label", g.priority,
                    { direction: "right", offset: [web.hq_label_gap, Math.round(web.label_px * web.label_line * g.hqOffset)] });
      } else {
        at = [g.labelPoint[1], g.labelPoint[0]];
        lab = label(pm, at, g.label, "pm-grouping-label", g.priority,
                    { offset: [0, g.labelUnder ? Math.round(web.label_px * web.under_line * g.underRank) : 0] });
      }
      lab.pmSpan.style.color = g.color;
      lab.pmSpan.setAttribute("data-grouping", g.id);
      opener(pm, lab.pmSpan, g.id, L.latLng(at));
      layer.addLayer(lab);
      layer.addTo(map);
      return { id: g.id, rec: g, layer: layer, shape: shape, tint: tint, label: lab, hq: hq, index: i, at: L.latLng(at) };
    });

    // Links: a line each, with a friction mark drawn over it when needed. A link crosses other
    // partners on its way (Tokyo–Beijing over Korea): it takes no clicks, its partner's territory
    // or headquarters mark does.
    pm.linkLayers = pm.links.map(function (l) {
      var latlngs = D.decodeLines(l.rec.path, scale);
      var line = L.polyline(latlngs, { pane: "pm-links", lineCap: "round", interactive: false });
      var mark = L.polyline(latlngs, { pane: "pm-links", lineCap: "round", interactive: false });
      return { link: l, line: line, mark: mark };
    });

    // Partner names.
    pm.labelLayer = L.layerGroup().addTo(map);
    pm.partnerLabels = {};
    data.partners.forEach(function (p) {
      if (!p.labelPoint || !p.label) return;
      var m = label(pm, [p.labelPoint[1], p.labelPoint[0]], p.label, "pm-partner-label", p.priority);
      m.pmSpan.setAttribute("data-partner", p.id);
      pm.partnerLabels[p.id] = m;
      pm.labelLayer.addLayer(m);
    });
    placeLabels(pm);  // every name added above, measured together
    map.on("overlayadd overlayremove", function (e) {
      if (e.layer && e.layer.pmCategory) {
        pm.shownCategories[e.layer.pmCategory] = e.type === "overlayadd";
        pm.refresh();
      } else {
        pm.refresh();  // a grouping switched on or off: its legend row and its colour's row follow
      }
    });
  }

  // Returns whether any name came or went (then the names are placed again: pm.declutter).
  function apply(pm, st) {
    var style = pm.style, web = style.web, max = pm.maxCounts(st), changes = pm.changes, names = false;
    // Territories of states: fill from the primary relationship, friction outline over it.
    pm.data.partners.forEach(function (p) {
      var layer = pm.territories[p.id];
      if (!layer) return;
      var s = st.partners[p.id];
      var fs = s.drawn ? R.fillStyle({ fill: s.fill, friction: s.friction, tier: s.tier, pending: s.pending },
                                     style) : null;
      show(pm.territoryLayer, layer, !!fs);
      show(pm.frictionLayer, pm.frictionOutlines[p.id], !!(fs && fs.friction));
      var lab = pm.partnerLabels[p.id];
      if (lab) {
        if (setAttr(lab.pmSpan, "data-off", s.drawn ? "0" : "1")) names = true;  // no name before its first tie
        setText(lab.pmSpan, "opacity", String(Math.max(web.label_min_opacity, pm.dim(p.id))));
      }
      if (!fs) return;
      var color = fs.color || style.contested, k = pm.dim(p.id);
      restyle(pm.frictionOutlines[p.id], { opacity: k });
      // hatched (contested, or only pending): the pattern carries the strength, the path the focus
      var paint = fs.hatch && fs.color ? dom.hatch(fs.color, fs.opacity, web) : color;
      restyle(layer, { color: color, fillColor: paint, fillOpacity: fs.hatch ? k : fs.opacity * k,
                       opacity: style.outlineOpacity * k,
                       dashArray: s.fill === "contested" ? style.dashContested : null, fill: fs.color !== null });
      var cls = ["pm-territory", "pm-partner-" + p.id, "pm-fill-" + (s.fill || "none")];
      if (s.fill && s.fill !== "contested") cls.push("pm-cat-" + s.fill);
      if (s.friction) cls.push("pm-has-friction");
      if (s.pending) cls.push("pm-fill-pending");
      classes(layer, cls);
    });
    // Links.
    st.links.forEach(function (l, i) {
      var ll = pm.linkLayers[i], group = pm.overlays[l.category];
      if (!group) return;
      var on = !!l.state;
      show(group, ll.line, on);
      if (!on) { show(group, ll.mark, false); return; }
      var s = R.linkStyle(l.state, max[l.category] || 1, l.category, style, changes), k = pm.dim(l.partner);
      restyle(ll.line, { color: s.color, weight: s.weight, opacity: s.opacity * k, dashArray: s.dash });
      var cls = ["pm-link", "pm-cat-" + l.category, "pm-partner-" + l.partner];
      if (l.state.pending) cls.push("pm-pending");
      if (l.state.friction) cls.push("pm-friction");
      if (l.state.ended) cls.push("pm-ended");
      if (changes) cls.push(l.state.changed ? "pm-highlight" : "pm-muted");
      classes(ll.line, cls);
      var added = show(group, ll.mark, !!s.overlay);
      if (s.overlay) {
        restyle(ll.mark, { color: s.overlay.color, weight: s.overlay.weight, opacity: s.overlay.opacity * k,
                           dashArray: s.overlay.dash });
        classes(ll.mark, ["pm-friction-mark", "pm-cat-" + l.category, "pm-partner-" + l.partner]);
        if (added) ll.mark.bringToFront();  // over its line; moving nodes again would restyle the page
      }
    });
    // Groupings: hidden while none of their ties is shown; coloured by their primary tie (rules.groupingState).
    pm.groupings.forEach(function (g) {
      var s = st.groups[g.id];
      var on = s.drawn;
      if (setAttr(g.label.pmSpan, "data-off", on && pm.map.hasLayer(g.layer) ? "0" : "1")) names = true;
      var color = s.color, k = pm.dim(g.id);
      restyle(g.shape, { color: color, opacity: on ? style.outlineOpacity * k : 0 });
      if (g.tint) restyle(g.tint, { fillColor: color, fillOpacity: on ? style.groupTint * k : 0 });
      if (g.hq) restyle(g.hq, { opacity: on ? k : 0, fillOpacity: on ? k : 0 });
      setText(g.label.pmSpan, "color", color);
      setText(g.label.pmSpan, "opacity", String(Math.max(web.label_min_opacity, k)));
    });
    return names;
  }

  PM.layers = { build: build, apply: apply, placeLabels: placeLabels };
})(window.partnermap = window.partnermap || {});
