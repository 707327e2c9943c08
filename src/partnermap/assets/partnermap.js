/* partnermap map script: draws the payload built by partnermap/layers.py.
 *
 * Safety rule for this file: text from the data file reaches the page only
 * through textContent / createTextNode (never innerHTML), and links only when
 * their scheme is http or https. Leaflet APIs that take HTML strings (layer
 * control names) get escapeHtml()'d text.
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
    var m = /^\s*(https?):\/\//i.exec(url);
    return m ? url.trim() : null;
  }

  function swatch(style) {
    var s = el("span", "pm-swatch");
    for (var k in style) s.style[k] = style[k];
    return s;
  }

  function PartnerMap(map, data) {
    this.map = map;
    this.data = data;
    this.style = data.style;
    this.labels = data.labels;
    this.tieById = {};
    for (var i = 0; i < data.ties.length; i++) this.tieById[data.ties[i].id] = data.ties[i];
    this.overlays = {};
    this.legendItems = [];
  }

  PartnerMap.prototype.ui = function (key) { return this.labels.ui[key] || key; };

  PartnerMap.prototype.draw = function () {
    var map = this.map, st = this.style, self = this;
    map.getContainer().style.background = st.water;
    map.getContainer().classList.add("pm-theme");
    map.getContainer().style.setProperty("--pm-font", st.fontSize + "px");
    map.getContainer().style.setProperty("--pm-label", st.labelSize + "px");
    map.getContainer().style.setProperty("--pm-text", st.text);
    map.getContainer().style.setProperty("--pm-halo", st.halo);
    map.getContainer().style.setProperty("--pm-panel", st.panel);
    map.createPane("pm-base").style.zIndex = 200;
    map.createPane("pm-territory").style.zIndex = 300;
    map.createPane("pm-links").style.zIndex = 420;
    map.createPane("pm-labels").style.zIndex = 640;

    this.basemap = L.geoJSON(this.data.basemap, {
      pane: "pm-base", interactive: false,
      style: function () { return { color: st.border, weight: 0.6, fillColor: st.land, fillOpacity: 1 }; }
    }).addTo(map);

    var cats = Object.keys(this.labels.category);
    var present = {};
    this.data.links.features.forEach(function (f) { present[f.properties.category] = true; });
    cats.forEach(function (cat) {
      if (!present[cat]) return;
      var group = L.featureGroup([], { pmCategory: cat });
      self.territories(cat).addTo(group);
      self.links(cat).addTo(group);
      group.addTo(map);
      self.overlays[cat] = group;
    });
    this.groups = this.groupLayers();
    this.focalLayer().addTo(map);
    this.labelLayer = this.nameLabels();
    this.labelLayer.addTo(map);

    var overlayNames = {};
    cats.forEach(function (cat) {
      if (self.overlays[cat]) overlayNames[escapeHtml(self.labels.category[cat])] = self.overlays[cat];
    });
    this.groups.forEach(function (g) { overlayNames[escapeHtml(g.name)] = g.layer; });
    overlayNames[escapeHtml(this.ui("labels"))] = this.labelLayer;
    this.layerControl = L.control.layers(null, overlayNames, { collapsed: false, position: "topright" }).addTo(map);
    this.titleControl().addTo(map);
    this.legend = this.legendControl();
    this.legend.addTo(map);
    this.creditControl().addTo(map);
    map.on("overlayadd overlayremove", function () { self.updateLegend(); });
    this.updateLegend();
    var bounds = L.latLngBounds([]);
    for (var c in this.overlays) bounds.extend(this.overlays[c].getBounds());
    if (this.data.focal.anchor) bounds.extend(L.latLng(this.data.focal.anchor[1], this.data.focal.anchor[0]));
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
    map.getContainer().setAttribute("data-pm-ready", "1");
    return this;
  };

  PartnerMap.prototype.partnerTies = function (props, cat) {
    var out = [];
    for (var i = 0; i < props.ties.length; i++) {
      var t = this.tieById[props.ties[i]];
      if (t && (!cat || t.category === cat)) out.push(t);
    }
    return out;
  };

  PartnerMap.prototype.territories = function (cat) {
    var self = this, st = this.style;
    var maxCount = 1;
    this.data.partners.features.forEach(function (f) { maxCount = Math.max(maxCount, f.properties.counts[cat] || 0); });
    var feats = this.data.partners.features.filter(function (f) {
      return f.properties.kind !== "group" && self.partnerTies(f.properties, cat).length;
    });
    return L.geoJSON({ type: "FeatureCollection", features: feats }, {
      pane: "pm-territory",
      style: function (f) {
        var p = f.properties, n = p.counts[cat] || 0;
        var contested = p.relationship === "contested";
        var color = contested ? st.contested : st.category[cat];
        var cls = "pm-territory pm-cat-" + cat + " pm-partner-" + p.id;
        if (p.kind !== "state") {
          // organisations: outline only, so member states stay readable beneath
          return { color: color, weight: 1.5, dashArray: "4 3", fill: false, opacity: 0.9, className: cls };
        }
        var op = st.fillMin + (st.fillMax - st.fillMin) * Math.min(1, n / maxCount);
        return { color: color, weight: 1, fillColor: color, fillOpacity: contested ? 0.2 : op / 2,
                 dashArray: contested ? "3 3" : null, opacity: 0.8, className: cls };
      },
      onEachFeature: function (f, layer) { self.bindPartner(f.properties, layer); }
    });
  };

  PartnerMap.prototype.links = function (cat) {
    var self = this, st = this.style;
    var feats = this.data.links.features.filter(function (f) { return f.properties.category === cat; });
    var maxCount = 1;
    feats.forEach(function (f) { maxCount = Math.max(maxCount, f.properties.count); });
    var partners = {};
    this.data.partners.features.forEach(function (f) { partners[f.properties.id] = f.properties; });
    return L.geoJSON({ type: "FeatureCollection", features: feats }, {
      pane: "pm-links",
      style: function (f) {
        var p = f.properties;
        var w = st.weightMin + (st.weightMax - st.weightMin) * Math.sqrt(p.count / maxCount);
        var color = p.friction ? st.friction : st.category[cat];
        var muted = self.data.meta.changesSince && !p.changed;
        return {
          color: p.ended ? st.contested : color, weight: w,
          opacity: muted ? 0.25 : st.lineOpacity,
          dashArray: p.friction ? st.dashFriction : (p.pending || p.ended ? st.dashPending : null),
          lineCap: "round", className: "pm-link pm-cat-" + cat + " pm-partner-" + p.partner
        };
      },
      onEachFeature: function (f, layer) {
        var props = partners[f.properties.partner];
        if (props) self.bindPartner(props, layer);
      }
    });
  };

  PartnerMap.prototype.groupLayers = function () {
    // One toggleable outline per framework (Quad, CPTPP, TICAD states...), off by default
    // except the first, so groupings never swamp the bilateral picture.
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
        style: function () { return { color: st.focal, weight: 2, fillColor: st.focal, fillOpacity: 0.75 }; }
      }).addTo(group);
    }
    var marker = L.circleMarker([f.anchor[1], f.anchor[0]], {
      pane: "pm-labels", radius: 7, color: st.halo, weight: 2, fillColor: st.focal, fillOpacity: 1
    });
    var tip = el("span", "pm-focal-name", f.name);
    marker.bindTooltip(tip, { permanent: true, direction: "right", className: "pm-label pm-focal-label", offset: [8, 0] });
    marker.addTo(group);
    return group;
  };

  PartnerMap.prototype.nameLabels = function () {
    var group = L.layerGroup();
    this.data.partners.features.forEach(function (f) {
      var p = f.properties;
      if (!p.label) return;
      var m = L.circleMarker([p.label[1], p.label[0]], { radius: 0, opacity: 0, fillOpacity: 0, interactive: false, pane: "pm-labels" });
      m.bindTooltip(el("span", null, p.name), { permanent: true, direction: "center", className: "pm-label" });
      m.addTo(group);
    });
    return group;
  };

  PartnerMap.prototype.tooltipContent = function (props) {
    var box = el("div", "pm-tooltip");
    box.appendChild(el("strong", null, props.name));
    var labels = this.labels;
    Object.keys(labels.category).forEach(function (cat) {
      if (props.counts[cat]) box.appendChild(el("div", null, labels.category[cat] + ": " + props.counts[cat]));
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
    Object.keys(labels.category).forEach(function (cat) {
      var ties = self.partnerTies(props, cat);
      if (!ties.length) return;
      var section = el("section", "pm-cat pm-cat-" + cat);
      var h = el("h4", null, labels.category[cat] + " (" + ties.length + ")");
      h.style.borderColor = self.style.category[cat];
      section.appendChild(h);
      var list = el("ol", "pm-ties");
      ties.forEach(function (t) { list.appendChild(self.tieItem(t)); });
      section.appendChild(list);
      box.appendChild(section);
    });
    return box;
  };

  PartnerMap.prototype.tieItem = function (t) {
    var labels = this.labels, self = this;
    var li = el("li", "pm-tie" + (t.change ? " pm-changed" : ""));
    li.setAttribute("data-tie", t.id);
    li.appendChild(el("div", "pm-tie-title", t.title));
    var meta = (labels.type[t.type] || t.type) + " · " + (labels.status[t.status] || t.status);
    if (t.nature === "friction") meta += " · " + this.ui("friction");
    if (t.change) meta += " · " + t.change;
    li.appendChild(el("div", "pm-tie-meta", meta));
    var dates = t.dates.map(function (d) { return (labels.status[d[0]] || d[0]) + " " + d[1]; }).join("; ");
    li.appendChild(el("div", "pm-tie-dates", dates));
    li.appendChild(el("div", "pm-tie-summary", t.summary));
    if (t.parties && t.parties.length) li.appendChild(el("div", "pm-tie-parties", this.ui("parties") + ": " + t.parties.join(", ")));
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
    layer.bindPopup(function () { return self.popupContent(props); }, { maxWidth: 420, maxHeight: 360, autoPanPadding: [30, 30] });
  };

  PartnerMap.prototype.titleControl = function () {
    var meta = this.data.meta;
    var Ctl = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = el("div", "pm-panel pm-title");
        box.appendChild(el("h1", null, meta.title));
        if (meta.subtitle) box.appendChild(el("p", "pm-subtitle", meta.subtitle));
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    return new Ctl();
  };

  PartnerMap.prototype.creditControl = function () {
    var meta = this.data.meta;
    var Ctl = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () { return el("div", "pm-panel pm-credit", meta.credit); }
    });
    return new Ctl();
  };

  PartnerMap.prototype.legendControl = function () {
    var self = this;
    var Ctl = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        self.legendBox = el("div", "pm-panel pm-legend");
        self.legendBox.setAttribute("role", "region");
        self.legendBox.setAttribute("aria-label", self.ui("legend"));
        L.DomEvent.disableClickPropagation(self.legendBox);
        return self.legendBox;
      }
    });
    return new Ctl();
  };

  PartnerMap.prototype.updateLegend = function () {
    var self = this, st = this.style, box = this.legendBox, map = this.map;
    if (!box) return;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(el("h2", null, this.ui("legend")));
    function row(sw, text, key) {
      var r = el("div", "pm-legend-row");
      if (key) r.setAttribute("data-legend", key);
      r.appendChild(sw);
      r.appendChild(el("span", null, text));
      box.appendChild(r);
    }
    row(swatch({ background: st.focal }), this.data.focal.name + " (" + this.ui("focal") + ")", "focal");
    var visible = [];
    for (var cat in this.overlays) if (map.hasLayer(this.overlays[cat])) visible.push(cat);
    visible.forEach(function (cat) { row(swatch({ background: st.category[cat] }), self.labels.category[cat], cat); });
    var props = { pending: false, friction: false, ended: false };
    this.data.links.features.forEach(function (f) {
      if (visible.indexOf(f.properties.category) < 0) return;
      if (f.properties.pending && !f.properties.ended) props.pending = true;
      if (f.properties.friction) props.friction = true;
      if (f.properties.ended) props.ended = true;
    });
    if (visible.length) row(swatch({ borderTop: "3px solid " + st.text, height: "0", marginTop: "8px" }), this.ui("in_force"), "in_force");
    if (props.pending) row(swatch({ borderTop: "3px dashed " + st.text, height: "0", marginTop: "8px" }), this.ui("not_in_force"), "pending");
    if (props.friction) row(swatch({ borderTop: "3px dotted " + st.friction, height: "0", marginTop: "8px" }), this.ui("friction"), "friction");
    if (props.ended) row(swatch({ borderTop: "3px dashed " + st.contested, height: "0", marginTop: "8px" }), this.ui("ended"), "ended");
    var contested = this.data.partners.features.some(function (f) {
      return f.properties.relationship === "contested" && visible.some(function (c) { return f.properties.counts[c]; });
    });
    if (contested) row(swatch({ background: st.contested, opacity: "0.5" }), this.ui("contested"), "contested");
    (this.groups || []).forEach(function (g) {
      if (map.hasLayer(g.layer)) row(swatch({ border: "2px dashed " + st.group }), g.name, "group-" + g.id);
    });
    if (visible.length) box.appendChild(el("div", "pm-legend-note", this.ui("link_width")));
  };

  global.partnermap = {
    draw: function (map, data) { return new PartnerMap(map, data).draw(); },
    escapeHtml: escapeHtml
  };
})(window);
