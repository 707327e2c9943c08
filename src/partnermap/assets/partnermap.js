/* partnermap map script: draws the payload built by partnermap/layers.py.
 *
 * Safety rule for this file: text from the data file reaches the page only
 * through textContent / createTextNode (never innerHTML), and links only when
 * their scheme is http or https. Leaflet APIs that take HTML strings (layer
 * control names) get escapeHtml()'d text.
 *
 * The lifecycle rule is not re-implemented here: each tie carries `steps`
 * (the days its status changes, computed in Python), and the timeline only
 * looks statuses up.
 */
(function (global) {
  "use strict";

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
    return /^\s*https?:\/\/[^\s]/i.test(url) ? url.trim() : null;
  }

  function swatch(style) {
    var s = el("span", "pm-swatch");
    for (var k in style) s.style[k] = style[k];
    return s;
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

  // Coordinates arrive as integer rings [x0, y0, dx1, dy1, ...] in 1/scale degrees (geo.py).
  function decodeRing(a, scale) {
    var out = new Array(a.length / 2), x = 0, y = 0;
    for (var i = 0, j = 0; i < a.length; i += 2, j++) { x += a[i]; y += a[i + 1]; out[j] = [x / scale, y / scale]; }
    return out;
  }

  function decodePolygons(g, scale) {
    if (!g || !g.e) return g;
    return { type: "MultiPolygon", coordinates: g.e.map(function (p) {
      return p.map(function (r) { return decodeRing(r, scale); });
    }) };
  }

  function decodeLines(g, scale) {
    if (!g || !g.e) return g;
    return { type: "MultiLineString", coordinates: g.e.map(function (r) { return decodeRing(r, scale); }) };
  }

  function PartnerMap(map, data) {
    this.map = map;
    this.data = data;
    this.style = data.style;
    this.labels = data.labels;
    this.active = {};
    this.terminal = {};
    var self = this;
    data.vocab.active.forEach(function (s) { self.active[s] = true; });
    data.vocab.terminal.forEach(function (s) { self.terminal[s] = true; });
    this.tieById = {};
    data.ties.forEach(function (t) { self.tieById[t.id] = t; });
    this.partnerById = {};
    var basemap = {}, scale = data.view.scale;
    data.basemap.features.forEach(function (f) {
      f.geometry = decodePolygons(f.geometry, scale);
      basemap[f.properties.id] = f.geometry;
    });
    data.partners.features.forEach(function (f) {
      self.partnerById[f.properties.id] = f.properties;
      // a shape equal to the bundled country's is sent once (layers.py)
      f.geometry = f.properties.shape === "basemap" ? basemap[f.properties.id] : decodePolygons(f.geometry, scale);
    });
    data.links.features.forEach(function (f) { f.geometry = decodeLines(f.geometry, scale); });
    data.focal.geometry = basemap[data.focal.id] || null;
    this.overlays = {};
    // What the viewer has chosen to see: types and statuses shown, the timeline day.
    this.shownTypes = {};
    this.shownStatuses = {};
    data.ties.forEach(function (t) { self.shownTypes[t.type] = true; self.shownStatuses[t.status] = true; });
    this.day = null;
  }

  PartnerMap.prototype.ui = function (key) { return this.labels.ui[key] || key; };

  /* ---- which ties are on the map ---------------------------------- */

  PartnerMap.prototype.statusOf = function (t) {
    if (this.day === null) return t.status;
    var status = null;
    for (var i = 0; i < t.steps.length && t.steps[i][0] <= this.day; i++) status = t.steps[i][1];
    return status;
  };

  PartnerMap.prototype.visible = function (t) {
    var status = this.statusOf(t);
    if (status === null) return false;
    if (this.day !== null && this.terminal[status]) return false;  // ended before that day
    return !!this.shownTypes[t.type] && !!this.shownStatuses[t.status];
  };

  PartnerMap.prototype.partnerTies = function (props, cat) {
    var out = [];
    for (var i = 0; i < props.ties.length; i++) {
      var t = this.tieById[props.ties[i]];
      if (t && (!cat || t.category === cat) && this.visible(t)) out.push(t);
    }
    return out;
  };

  PartnerMap.prototype.counts = function (props) {
    var out = {}, self = this;
    this.partnerTies(props).forEach(function (t) {
      if (!self.terminal[self.statusOf(t)]) out[t.category] = (out[t.category] || 0) + 1;
    });
    return out;
  };

  PartnerMap.prototype.linkState = function (props, cat) {
    var ties = this.partnerTies(props, cat), self = this;
    if (!ties.length) return null;
    var live = ties.filter(function (t) { return !self.terminal[self.statusOf(t)]; });
    return {
      count: live.length || ties.length,
      pending: !live.some(function (t) { return self.active[self.statusOf(t)]; }),
      ended: !live.length,
      friction: ties.every(function (t) { return t.nature === "friction"; }),
      changed: ties.some(function (t) { return !!t.change; })
    };
  };

  /* ---- drawing ---------------------------------------------------- */

  PartnerMap.prototype.draw = function () {
    var map = this.map, st = this.style, self = this, meta = this.data.meta;
    var box = map.getContainer();
    box.style.background = st.water;
    box.classList.add("pm-theme");
    box.style.setProperty("--pm-font", st.fontSize + "px");
    box.style.setProperty("--pm-label", st.labelSize + "px");
    box.style.setProperty("--pm-text", st.text);
    box.style.setProperty("--pm-halo", st.halo);
    box.style.setProperty("--pm-panel", st.panel);
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", meta.title + ". " + meta.description);
    map.createPane("pm-base").style.zIndex = 200;
    map.createPane("pm-territory").style.zIndex = 300;
    map.createPane("pm-links").style.zIndex = 420;
    map.createPane("pm-labels").style.zIndex = 640;

    if (this.data.tiles) {
      // Online tiles sit above the bundled basemap: where they fail, the basemap shows.
      map.createPane("pm-tiles").style.zIndex = 250;
      var attribution = escapeHtml(this.data.tiles.attribution);
      L.tileLayer(this.data.tiles.url, { pane: "pm-tiles", attribution: attribution,
                                         maxZoom: this.data.tiles.maxZoom }).addTo(map);
    }
    L.geoJSON(this.data.basemap, {
      pane: "pm-base", interactive: false,
      style: function () { return { color: st.border, weight: 0.6, fillColor: st.land, fillOpacity: 1 }; }
    }).addTo(map);

    var present = {};
    this.data.links.features.forEach(function (f) { present[f.properties.category] = true; });
    Object.keys(this.labels.category).forEach(function (cat) {
      if (!present[cat]) return;
      self.overlays[cat] = L.featureGroup().addTo(map);
      self.overlays[cat].pmCategory = cat;
    });
    this.territoryLayer = L.featureGroup().addTo(map);
    this.groups = this.groupLayers();
    this.focalLayer().addTo(map);
    this.labelLayer = this.nameLabels().addTo(map);

    control("topleft", function () { return self.titleBox(); }).addTo(map);
    if (meta.controls) {
      // A list, not an object keyed by name: a group called "__proto__" or "Security ties"
      // must not replace another entry.
      var entries = [];
      for (var cat in this.overlays) entries.push([this.overlays[cat], this.labels.category[cat]]);
      this.groups.forEach(function (g) { entries.push([g.layer, g.name]); });
      entries.push([this.labelLayer, this.ui("labels")]);
      // Expanded when short; a long list (many groupings) folds behind the layers icon.
      this.layerControl = L.control.layers(null, null, { collapsed: entries.length > 6, position: "topright" });
      entries.forEach(function (e) { self.layerControl.addOverlay(e[0], escapeHtml(e[1])); });
      this.layerControl.addTo(map);
      control("topleft", function () { return self.fullscreenButton(); }).addTo(map);
      control("topright", function () { return self.filterBox(); }).addTo(map);
    }
    if (meta.timeline) control("bottomleft", function () { return self.timelineBox(); }).addTo(map);
    control("bottomleft", function () { return el("div", "pm-panel pm-credit", meta.credit); }).addTo(map);
    control("bottomright", function () {
      self.legendBox = el("div", "pm-panel pm-legend");
      self.legendBox.setAttribute("aria-label", self.ui("legend"));
      return self.legendBox;
    }).addTo(map);
    var table = control("bottomleft", function () { return self.tableBox(); }).addTo(map);
    if (!meta.controls) table.getContainer().classList.add("pm-visually-hidden");  // still read by screen readers
    map.on("overlayadd overlayremove", function (e) {
      if (e.layer && e.layer.pmCategory) self.refresh(); else self.updateLegend();
    });
    if (meta.timeline) this.day = meta.lastDay;
    this.refresh();

    var bounds = L.latLngBounds([]);
    for (var c in this.overlays) if (this.overlays[c].getLayers().length) bounds.extend(this.overlays[c].getBounds());
    if (this.territoryLayer.getLayers().length) bounds.extend(this.territoryLayer.getBounds());
    bounds.extend(L.latLng(this.data.focal.anchor[1], this.data.focal.anchor[0]));
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
    this.declutter();
    box.setAttribute("data-pm-ready", "1");
    return this;
  };

  PartnerMap.prototype.refresh = function () {
    for (var cat in this.overlays) {
      var group = this.overlays[cat];
      group.clearLayers();
      // A hidden overlay is rebuilt when shown again: during Leaflet's "remove"
      // event the group still has its map, and adding to it would redraw it.
      if (this.map.hasLayer(group)) this.links(cat).addTo(group);
    }
    this.territoryLayer.clearLayers();
    this.territories().addTo(this.territoryLayer);
    this.updateLegend();
    this.updateTable();
  };

  PartnerMap.prototype.shownCategories = function () {
    var out = [];
    for (var cat in this.overlays) if (this.map.hasLayer(this.overlays[cat])) out.push(cat);
    return out;
  };

  PartnerMap.prototype.territories = function () {
    // One fill per partner, in the colour of its most numerous category among the
    // overlays shown (stacked translucent fills would mix into muddy colours);
    // darker for more ties. Switching an overlay off recolours accordingly.
    var self = this, st = this.style, cats = this.shownCategories(), info = {}, maxCount = 1;
    var feats = this.data.partners.features.filter(function (f) {
      var p = f.properties;
      if (p.kind === "group") return false;
      var counts = self.counts(p), best = null, total = 0;
      cats.forEach(function (c) {
        total += counts[c] || 0;
        if ((counts[c] || 0) > 0 && (best === null || counts[c] > counts[best])) best = c;
      });
      if (best === null) {  // only ended ties shown: outline in the first category that has any
        best = cats.filter(function (c) { return self.partnerTies(p, c).length; })[0];
        if (!best) return false;
      }
      info[p.id] = { cat: best, total: total };
      maxCount = Math.max(maxCount, total);
      return true;
    });
    return L.geoJSON({ type: "FeatureCollection", features: feats }, {
      pane: "pm-territory",
      style: function (f) {
        var p = f.properties, i = info[p.id];
        var contested = p.relationship === "contested";
        var color = contested ? st.contested : st.category[i.cat];
        var cls = "pm-territory pm-cat-" + i.cat + " pm-partner-" + p.id;
        if (p.kind !== "state") {
          // organisations: outline only, so member states stay readable beneath
          return { color: color, weight: 1.5, dashArray: "4 3", fill: false, opacity: 0.9, className: cls };
        }
        var op = st.fillMin + (st.fillMax - st.fillMin) * Math.min(1, i.total / maxCount);
        return { color: color, weight: 1, fillColor: color, fillOpacity: contested ? 0.25 : op,
                 dashArray: contested ? "3 3" : null, opacity: 0.9, className: cls };
      },
      onEachFeature: function (f, layer) { self.bindPartner(f.properties, layer); }
    });
  };

  PartnerMap.prototype.links = function (cat) {
    var self = this, st = this.style, states = {}, maxCount = 1;
    var feats = this.data.links.features.filter(function (f) {
      if (f.properties.category !== cat) return false;
      var s = self.linkState(self.partnerById[f.properties.partner], cat);
      if (!s) return false;
      states[f.properties.partner] = s;
      maxCount = Math.max(maxCount, s.count);
      return true;
    });
    var changesSince = this.data.meta.changesSince;
    return L.geoJSON({ type: "FeatureCollection", features: feats }, {
      pane: "pm-links",
      style: function (f) {
        var p = f.properties, s = states[p.partner];
        var w = st.weightMin + (st.weightMax - st.weightMin) * Math.sqrt(s.count / maxCount);
        var color = s.ended ? st.contested : (s.friction ? st.friction : st.category[cat]);
        var muted = changesSince && !s.changed;
        var cls = "pm-link pm-cat-" + cat + " pm-partner-" + p.partner;
        if (s.pending) cls += " pm-pending";
        if (s.friction) cls += " pm-friction";
        if (changesSince) cls += muted ? " pm-muted" : " pm-highlight";
        return {
          color: color, weight: changesSince && !muted ? w + 2 : w,
          opacity: muted ? 0.25 : st.lineOpacity,
          dashArray: s.friction ? st.dashFriction : (s.pending || s.ended ? st.dashPending : null),
          lineCap: "round", className: cls
        };
      },
      onEachFeature: function (f, layer) { self.bindPartner(self.partnerById[f.properties.partner], layer); }
    });
  };

  PartnerMap.prototype.groupLayers = function () {
    // One toggleable outline per framework (Quad, CPTPP, TICAD states...), off by
    // default, so groupings never swamp the bilateral picture.
    var self = this, st = this.style;
    return this.data.partners.features.filter(function (f) { return f.properties.kind === "group"; })
      .map(function (f) {
        var layer = L.geoJSON(f, {
          pane: "pm-territory",
          style: function () {
            return { color: st.group, weight: 2, dashArray: "5 4", fill: true, fillOpacity: 0.04, opacity: 0.9,
                     className: "pm-group pm-partner-" + f.properties.id };
          },
          onEachFeature: function (feat, l) { self.bindPartner(feat.properties, l); }
        });
        return { name: f.properties.name, layer: layer, id: f.properties.id };
      });
  };

  PartnerMap.prototype.focalLayer = function () {
    var st = this.style, f = this.data.focal, group = L.featureGroup();
    if (f.geometry) {
      L.geoJSON({ type: "Feature", properties: {}, geometry: f.geometry }, {
        pane: "pm-territory", interactive: false,
        style: function () {
          return { color: st.focal, weight: 2, fillColor: st.focal, fillOpacity: 0.75, className: "pm-focal" };
        }
      }).addTo(group);
    }
    var marker = L.circleMarker([f.anchor[1], f.anchor[0]], {
      pane: "pm-labels", radius: 7, color: st.halo, weight: 2, fillColor: st.focal, fillOpacity: 1
    });
    marker.bindTooltip(el("span", null, f.name),
      { permanent: true, direction: "right", className: "pm-label pm-focal-label", offset: [8, 0] });
    return marker.addTo(group) && group;
  };

  PartnerMap.prototype.nameLabels = function () {
    var group = L.layerGroup(), self = this;
    this.data.partners.features.forEach(function (f) {
      var p = f.properties;
      if (!p.label) return;
      var m = L.circleMarker([p.label[1], p.label[0]],
        { radius: 0, opacity: 0, fillOpacity: 0, interactive: false, pane: "pm-labels" });
      var span = el("span", null, p.name);
      span.setAttribute("data-priority", String(p.ties.length));
      m.bindTooltip(span, { permanent: true, direction: "center", className: "pm-label" });
      m.addTo(group);
    });
    this.map.on("zoomend", function () { self.declutter(); });
    return group;
  };

  PartnerMap.prototype.declutter = function () {
    // Hide a name that would overlap a name with more ties (the focal name always shows),
    // so labels stay readable at slide size instead of printing over each other.
    var labels = Array.prototype.slice.call(this.map.getContainer().querySelectorAll(".pm-label"));
    labels.forEach(function (l) { l.style.visibility = ""; });
    labels.sort(function (a, b) {
      var pa = a.classList.contains("pm-focal-label") ? 1e9 : +(a.firstChild && a.firstChild.getAttribute
        ? a.firstChild.getAttribute("data-priority") : 0);
      var pb = b.classList.contains("pm-focal-label") ? 1e9 : +(b.firstChild && b.firstChild.getAttribute
        ? b.firstChild.getAttribute("data-priority") : 0);
      return pb - pa;
    });
    var kept = [];
    labels.forEach(function (l) {
      var r = l.getBoundingClientRect();
      var hit = kept.some(function (k) {
        return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top;
      });
      if (hit) l.style.visibility = "hidden"; else kept.push(r);
    });
  };

  /* ---- popups and tooltips ---------------------------------------- */

  PartnerMap.prototype.tooltipContent = function (props) {
    var box = el("div", "pm-tooltip"), labels = this.labels, counts = this.counts(props);
    box.appendChild(el("strong", null, props.name));
    Object.keys(labels.category).forEach(function (cat) {
      if (counts[cat]) box.appendChild(el("div", null, labels.category[cat] + ": " + counts[cat]));
    });
    return box;
  };

  PartnerMap.prototype.popupContent = function (props) {
    var self = this, labels = this.labels;
    var box = el("div", "pm-popup");
    box.appendChild(el("h3", null, props.name));
    if (props.members && props.members.length) {
      box.appendChild(el("p", "pm-members", this.ui("members") + ": " + props.members.join(", ")));
    }
    var any = false;
    Object.keys(labels.category).forEach(function (cat) {
      var ties = self.partnerTies(props, cat);
      if (!ties.length) return;
      any = true;
      var section = el("section", "pm-cat pm-cat-" + cat);
      var h = el("h4", null, labels.category[cat] + " (" + ties.length + ")");
      h.style.borderColor = self.style.category[cat];
      section.appendChild(h);
      var list = el("ol", "pm-ties");
      ties.forEach(function (t) { list.appendChild(self.tieItem(t)); });
      section.appendChild(list);
      box.appendChild(section);
    });
    if (!any) box.appendChild(el("p", null, this.ui("nothing_shown")));
    return box;
  };

  PartnerMap.prototype.tieItem = function (t) {
    var labels = this.labels, self = this;
    var li = el("li", "pm-tie" + (t.change ? " pm-changed" : ""));
    li.setAttribute("data-tie", t.id);
    li.appendChild(el("div", "pm-tie-title", t.title));
    var status = this.statusOf(t);
    var meta = (labels.type[t.type] || t.type) + " · " + (labels.status[status] || status);
    if (t.nature === "friction") meta += " · " + this.ui("friction");
    if (t.change) meta += " · " + this.ui("change_" + t.change);
    li.appendChild(el("div", "pm-tie-meta", meta));
    var dates = t.dates.filter(function (d) { return self.day === null || d[1] <= self.day; })
      .map(function (d) { return (labels.status[d[0]] || d[0]) + " " + d[1]; }).join("; ");
    li.appendChild(el("div", "pm-tie-dates", dates));
    li.appendChild(el("div", "pm-tie-summary", t.summary));
    if (t.parties && t.parties.length) {
      li.appendChild(el("div", "pm-tie-parties", this.ui("parties") + ": " + t.parties.join(", ")));
    }
    if (t.note) li.appendChild(el("div", "pm-tie-note", this.ui("note") + ": " + t.note));
    var src = el("ul", "pm-sources");
    t.sources.forEach(function (s) {
      var item = el("li");
      var cite = [s.author, s.title, s.container, s.publisher, s.date].filter(Boolean).join(", ");
      var url = safeUrl(s.url);
      if (url) {
        var a = el("a", null, cite);
        a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
        item.appendChild(a);
      } else {
        item.appendChild(document.createTextNode(cite));
      }
      if (s.locator) item.appendChild(el("span", "pm-locator", " [" + s.locator + "]"));
      src.appendChild(item);
    });
    var details = el("details", "pm-sources-box");
    details.appendChild(el("summary", null, self.ui("sources") + " (" + t.sources.length + ")"));
    details.appendChild(src);
    li.appendChild(details);
    return li;
  };

  PartnerMap.prototype.bindPartner = function (props, layer) {
    var self = this;
    layer.bindTooltip(function () { return self.tooltipContent(props); }, { sticky: true });
    layer.bindPopup(function () { return self.popupContent(props); },
      { maxWidth: 420, maxHeight: 360, autoPanPadding: [30, 30] });
  };

  /* ---- controls --------------------------------------------------- */

  PartnerMap.prototype.titleBox = function () {
    var meta = this.data.meta, box = el("div", "pm-panel pm-title");
    box.appendChild(el("h1", null, meta.title));
    if (meta.subtitle) box.appendChild(el("p", "pm-subtitle", meta.subtitle));
    if (meta.changesSince) {
      box.appendChild(el("p", "pm-subtitle pm-changes", this.ui("changed_since").replace("{date}", meta.changesSince)));
    }
    return box;
  };

  PartnerMap.prototype.fullscreenButton = function () {
    var box = this.map.getContainer(), self = this;
    var button = el("a", "pm-fullscreen leaflet-bar-part");
    // Drawn as SVG: icon fonts and rare symbols are not available offline everywhere.
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16"); svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5");
    path.setAttribute("fill", "none"); path.setAttribute("stroke", "currentColor"); path.setAttribute("stroke-width", "2");
    svg.appendChild(path);
    button.appendChild(svg);
    button.href = "#";
    button.setAttribute("role", "button");
    button.title = this.ui("fullscreen");
    button.setAttribute("aria-label", this.ui("fullscreen"));
    button.addEventListener("click", function (e) {
      e.preventDefault();
      if (document.fullscreenElement) document.exitFullscreen();
      else if (box.requestFullscreen) box.requestFullscreen().then(function () { self.map.invalidateSize(); });
    });
    var bar = el("div", "leaflet-bar pm-fullscreen-bar");
    bar.appendChild(button);
    return bar;
  };

  PartnerMap.prototype.filterBox = function () {
    // The live counterpart of --type and --status, for use in a talk.
    var self = this, labels = this.labels;
    var box = el("details", "pm-panel pm-filter");
    box.appendChild(el("summary", null, this.ui("filter")));
    function group(title, shown, labelTable, key) {
      var fs = el("fieldset", "pm-filter-" + key);
      fs.appendChild(el("legend", null, title));
      Object.keys(shown).sort(function (a, b) {
        return (labelTable[a] || a).localeCompare(labelTable[b] || b);
      }).forEach(function (value) {
        var lab = el("label", "pm-check");
        var input = el("input");
        input.type = "checkbox"; input.checked = true; input.value = value;
        input.setAttribute("data-" + key, value);
        input.addEventListener("change", function () { shown[value] = input.checked; self.refresh(); });
        lab.appendChild(input);
        lab.appendChild(document.createTextNode(" " + (labelTable[value] || value)));
        fs.appendChild(lab);
      });
      return fs;
    }
    box.appendChild(group(this.ui("types"), this.shownTypes, labels.type, "type"));
    box.appendChild(group(this.ui("statuses"), this.shownStatuses, labels.status, "status"));
    return box;
  };

  PartnerMap.prototype.timelineBox = function () {
    var self = this, meta = this.data.meta;
    var box = el("div", "pm-panel pm-timeline");
    var last = parseInt(meta.lastDay.slice(0, 4), 10);
    var input = el("input");
    input.type = "range"; input.min = meta.firstYear; input.max = last; input.step = 1; input.value = last;
    input.setAttribute("aria-label", this.ui("year"));
    var out = el("output", "pm-year", String(last));
    var button = el("button", "pm-play", this.ui("play"));
    button.type = "button";
    function setYear(year) {
      input.value = year;
      out.textContent = String(year);
      self.day = year >= last ? meta.lastDay : year + "-12-31";
      self.refresh();
    }
    input.addEventListener("input", function () { self.stop(button); setYear(parseInt(input.value, 10)); });
    button.addEventListener("click", function () {
      if (self.timer) { self.stop(button); return; }
      var year = parseInt(input.value, 10);
      if (year >= last) year = meta.firstYear - 1;
      button.textContent = self.ui("pause");
      self.timer = setInterval(function () {
        year += 1;
        setYear(year);
        if (year >= last) self.stop(button);
      }, 700);
    });
    box.appendChild(button);
    box.appendChild(input);
    box.appendChild(out);
    return box;
  };

  PartnerMap.prototype.stop = function (button) {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    button.textContent = this.ui("play");
  };

  PartnerMap.prototype.tableBox = function () {
    // The text alternative: every tie on the map, as a table, for screen readers
    // and for readers who prefer tables.
    var details = el("details", "pm-panel pm-table");
    this.tableSummary = el("summary");
    details.appendChild(el("p", "pm-description", this.data.meta.description));
    details.insertBefore(this.tableSummary, details.firstChild);
    var table = el("table");
    var head = el("tr");
    ["partner", "category", "type", "status", "dates", "title"].forEach(function (k) {
      head.appendChild(el("th", null, this.ui(k)));
    }, this);
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    this.tableBody = el("tbody");
    table.appendChild(this.tableBody);
    details.appendChild(table);
    return details;
  };

  PartnerMap.prototype.updateTable = function () {
    var body = this.tableBody, labels = this.labels, self = this, n = 0;
    while (body.firstChild) body.removeChild(body.firstChild);
    this.data.partners.features.forEach(function (f) {
      self.partnerTies(f.properties).forEach(function (t) {
        var status = self.statusOf(t);
        var row = el("tr");
        row.setAttribute("data-tie", t.id);
        [f.properties.name, labels.category[t.category], labels.type[t.type], labels.status[status],
         t.dates.map(function (d) { return (labels.status[d[0]] || d[0]) + " " + d[1]; }).join("; "),
         t.title].forEach(function (v) { row.appendChild(el("td", null, v)); });
        body.appendChild(row);
        n += 1;
      });
    });
    this.tableSummary.textContent = this.ui("table") + " (" + n + ")";
  };

  PartnerMap.prototype.updateLegend = function () {
    var self = this, st = this.style, box = this.legendBox, map = this.map;
    if (!box) return;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(el("h2", null, this.ui("legend")));
    function row(sw, text, key) {
      var r = el("div", "pm-legend-row");
      r.setAttribute("data-legend", key);
      r.appendChild(sw);
      r.appendChild(el("span", null, text));
      box.appendChild(r);
    }
    function line(style) { return swatch({ borderTop: style, height: "0", marginTop: "8px" }); }
    row(swatch({ background: st.focal }), this.data.focal.name + " (" + this.ui("focal") + ")", "focal");
    var visible = [], seen = { pending: false, friction: false, ended: false, contested: false, drawn: false,
                                organisation: false };
    for (var cat in this.overlays) {
      if (!map.hasLayer(this.overlays[cat])) continue;
      var drawn = this.overlays[cat].getLayers().some(function (g) { return g.getLayers().length; });
      if (!drawn) continue;
      visible.push(cat);
      this.data.partners.features.forEach(function (f) {
        var s = f.properties.kind !== "group" && self.linkState(f.properties, cat);
        if (!s) return;
        seen.drawn = true;
        if (s.pending && !s.ended) seen.pending = true;
        if (s.friction) seen.friction = true;
        if (s.ended) seen.ended = true;
        if (f.properties.relationship === "contested") seen.contested = true;
        if (f.properties.kind === "organisation") seen.organisation = true;
      });
    }
    visible.forEach(function (c) { row(swatch({ background: st.category[c] }), self.labels.category[c], c); });
    if (seen.drawn) row(line("3px solid " + st.text), this.ui("in_force"), "in_force");
    if (seen.pending) row(line("3px dashed " + st.text), this.ui("not_in_force"), "pending");
    if (seen.friction) row(line("3px dotted " + st.friction), this.ui("friction"), "friction");
    if (seen.ended) row(line("3px dashed " + st.contested), this.ui("ended"), "ended");
    if (seen.contested) row(swatch({ background: st.contested, opacity: "0.5" }), this.ui("contested"), "contested");
    if (seen.organisation) {  // drawn as a dashed outline so member states stay readable
      row(swatch({ border: "2px dashed " + st.text }), this.labels.kind.organisation, "organisation");
    }
    if (this.data.meta.changesSince && seen.drawn) {
      row(line("3px solid " + st.text), this.ui("changed_since").replace("{date}", this.data.meta.changesSince), "changed");
      row(line("2px solid rgba(128,128,128,.35)"), this.ui("unchanged"), "unchanged");
    }
    (this.groups || []).forEach(function (g) {
      if (map.hasLayer(g.layer)) row(swatch({ border: "2px dashed " + st.group }), g.name, "group-" + g.id);
    });
    if (seen.drawn) box.appendChild(el("div", "pm-legend-note", this.ui("link_width")));
  };

  global.partnermap = {
    draw: function (map, data) { return new PartnerMap(map, data).draw(); },
    escapeHtml: escapeHtml
  };
})(window);
