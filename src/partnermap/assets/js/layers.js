/* partnermap layers: every Leaflet layer, built once (build) and restyled on each refresh (apply).
 *
 * Territories, friction outlines, groupings, headquarters marks, links (with their friction
 * marks) and labels are created from the payload when the map opens; a refresh only changes
 * styles, classes and which layers are on the map, so the timeline plays at full speed.
 */
(function (PM) {
  "use strict";
  var R = PM.rules, dom = PM.dom, D = PM.decode;

  function classes(layer, list) {
    var node = layer.getElement ? layer.getElement() : null;
    if (node) node.setAttribute("class", list.join(" ") + " leaflet-interactive");
    layer.options.className = list.join(" ");
  }

  function show(group, layer, on) {
    if (on && !group.hasLayer(layer)) group.addLayer(layer);
    else if (!on && group.hasLayer(layer)) group.removeLayer(layer);
  }

  function label(pm, latlng, text, cls, priority, options) {
    var span = dom.el("span", null, text);
    span.setAttribute("data-priority", String(priority));
    var m = L.circleMarker(latlng, { radius: 0, opacity: 0, fillOpacity: 0, interactive: false, pane: "pm-labels" });
    m.bindTooltip(span, L.extend({ permanent: true, direction: "center", className: "pm-label " + cls,
                                   pane: "pm-labels" }, options || {}));
    m.pmSpan = span;
    return m;
  }

  function build(pm) {
    var map = pm.map, st = pm.style, data = pm.data, scale = data.view.scale, web = st.web;
    if (data.tiles) {
      // Online tiles sit above the bundled basemap: where they fail, the basemap shows.
      map.createPane("pm-tiles").style.zIndex = 250;
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
      pm.frictionOutlines[p.id] = L.polygon(polys, { pane: "pm-territory", interactive: false, fill: false,
                                                     color: st.friction, weight: web.friction_outline,
                                                     dashArray: st.dashFriction, lineCap: "round" });
    });
    // The focal country: its basemap shape filled, a marker at its capital.
    var focal = data.focal;
    var focalPolys = focal.shape === "basemap" ? basemap[focal.id] : D.decodePolygons(focal.shape, scale);
    if (focalPolys && focalPolys.length) {
      L.polygon(focalPolys, { pane: "pm-territory", interactive: false, color: st.focal, weight: 1.5,
                                     fillColor: st.focal, fillOpacity: st.focalFill, className: "pm-focal" }).addTo(map);
    }
    var fm = L.circleMarker([focal.anchor[1], focal.anchor[0]], {
      radius: web.focal_radius, color: st.halo, weight: 2, fillColor: st.focal, fillOpacity: 1, pane: "pm-marks",
      interactive: false, className: "pm-focal-marker" }).addTo(map);
    pm.focalLabel = label(pm, [focal.anchor[1], focal.anchor[0]], focal.label, "pm-focal-label", 1e9,
                          { direction: "right", offset: [web.focal_radius + 4, 0] });
    pm.focalLabel.addTo(map);
    void fm;

    // Groupings: one toggleable layer each (outline, tint for groups, label, headquarters mark).
    pm.groupings = data.groups.map(function (g, i) {
      var layer = L.featureGroup();
      var dash = st.groupingDashes[g.dash % st.groupingDashes.length];
      var shape = L.polygon(D.decodePolygons(g.shape, scale), {
        pane: "pm-groupings", color: g.color, weight: web.grouping, dashArray: dash, fill: g.tint,
        fillColor: g.color, fillOpacity: g.tint ? st.groupTint : 0, opacity: 0.9,
        className: "pm-grouping pm-" + g.kind + " pm-partner-" + g.id });
      PM.popup.bind(pm, shape, g.id);
      layer.addLayer(shape);
      var lab, hq = null;
      if (g.hq) {
        hq = L.circleMarker([g.hq[1], g.hq[0]], { radius: 4, color: st.halo, weight: 1.5, fillColor: g.color,
                                                      fillOpacity: 1, pane: "pm-marks",
                                                      className: "pm-hq pm-partner-" + g.id });
        PM.popup.bind(pm, hq, g.id);
        layer.addLayer(hq);
        lab = label(pm, [g.hq[1], g.hq[0]], g.label, "pm-grouping-label pm-hq-label", g.priority,
                    { direction: "right", offset: [7, Math.round(web.label_px * 1.1 * g.hqOffset)] });
      } else {
        lab = label(pm, [g.labelPoint[1], g.labelPoint[0]], g.label, "pm-grouping-label", g.priority,
                    { offset: [0, g.labelUnder ? Math.round(web.label_px * 1.5 * g.underRank) : 0] });
      }
      lab.pmSpan.style.color = g.color;
      layer.addLayer(lab);
      layer.addTo(map);
      return { id: g.id, rec: g, layer: layer, shape: shape, label: lab, hq: hq, index: i };
    });

    // Links: a line each, with a friction mark drawn over it when needed.
    pm.linkLayers = pm.links.map(function (l) {
      var latlngs = D.decodeLines(l.rec.path, scale);
      var line = L.polyline(latlngs, { pane: "pm-links", lineCap: "round" });
      var mark = L.polyline(latlngs, { pane: "pm-links", lineCap: "round", interactive: false });
      var target = pm.partnerById[l.rec.partner] ? l.rec.partner : l.rec.partner;
      PM.popup.bind(pm, line, target);
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
    map.on("overlayadd overlayremove", function (e) {
      if (e.layer && e.layer.pmCategory) {
        pm.shownCategories[e.layer.pmCategory] = e.type === "overlayadd";
        pm.refresh();
      } else {
        PM.controls.update(pm, pm.current);
        pm.declutter();
      }
    });
  }

  function apply(pm, st) {
    var style = pm.style, max = pm.maxCounts(st), changes = pm.changes;
    // Territories of states: fill from the primary relationship, friction outline over it.
    pm.data.partners.forEach(function (p) {
      var layer = pm.territories[p.id];
      if (!layer) return;
      var s = st.partners[p.id];
      var fs = s.drawn ? R.fillStyle({ fill: s.fill, friction: s.friction, tier: s.tier }, style) : null;
      show(pm.territoryLayer, layer, !!fs);
      show(pm.frictionLayer, pm.frictionOutlines[p.id], !!(fs && fs.friction));
      var lab = pm.partnerLabels[p.id];
      if (lab) {
        lab.pmSpan.setAttribute("data-off", s.drawn ? "0" : "1");  // no name before its first tie
        lab.pmSpan.style.opacity = String(Math.max(0.5, pm.dim(p.id)));
      }
      if (!fs) return;
      var color = fs.color || style.contested, k = pm.dim(p.id);
      pm.frictionOutlines[p.id].setStyle({ opacity: k });
      layer.setStyle({ color: color, fillColor: color, fillOpacity: fs.opacity * k, opacity: 0.9 * k,
                       dashArray: s.fill === "contested" ? style.dashContested : null, fill: fs.color !== null });
      var cls = ["pm-territory", "pm-partner-" + p.id, "pm-fill-" + (s.fill || "none")];
      if (s.fill && s.fill !== "contested") cls.push("pm-cat-" + s.fill);
      if (s.friction) cls.push("pm-has-friction");
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
      ll.line.setStyle({ color: s.color, weight: s.weight, opacity: s.opacity * k, dashArray: s.dash });
      var cls = ["pm-link", "pm-cat-" + l.category, "pm-partner-" + l.partner];
      if (l.state.pending) cls.push("pm-pending");
      if (l.state.friction) cls.push("pm-friction");
      if (l.state.ended) cls.push("pm-ended");
      if (changes) cls.push(l.state.changed ? "pm-highlight" : "pm-muted");
      classes(ll.line, cls);
      show(group, ll.mark, !!s.overlay);
      if (s.overlay) {
        ll.mark.setStyle({ color: s.overlay.color, weight: s.overlay.weight, opacity: s.overlay.opacity * k,
                           dashArray: s.overlay.dash });
        classes(ll.mark, ["pm-friction-mark", "pm-cat-" + l.category, "pm-partner-" + l.partner]);
        if (group.hasLayer(ll.mark)) ll.mark.bringToFront();
      }
    });
    // Groupings: hidden while none of their ties is shown; coloured by their primary tie.
    pm.groupings.forEach(function (g) {
      var s = st.groups[g.id];
      var on = s.drawn;
      g.label.pmSpan.setAttribute("data-off", on && pm.map.hasLayer(g.layer) ? "0" : "1");
      var color = g.rec.kind === "organisation" ? style.organisation
        : (s.category && style.category[s.category]) || style.group;
      var k = pm.dim(g.id);
      g.shape.setStyle({ color: color, fillColor: color, opacity: on ? 0.9 * k : 0,
                         fillOpacity: on && g.rec.tint ? style.groupTint * k : 0 });
      if (g.hq) g.hq.setStyle({ opacity: on ? k : 0, fillOpacity: on ? k : 0 });
      g.label.pmSpan.style.color = color;
      g.label.pmSpan.style.opacity = String(Math.max(0.5, k));
    });
  }

  PM.layers = { build: build, apply: apply };
})(window.partnermap = window.partnermap || {});
