/* partnermap map: the state of one map and the refresh cycle.
 *
 * State: the day shown (the timeline), the agreement types and statuses ticked ("Show ties"),
 * the category overlays switched on. refresh() recomputes every partner's fill, every link's
 * look, the legend and the counts with the rules (rules.js, the twin of rules.py) and applies
 * them to layers built once (layers.js): no layer is rebuilt while a presenter plays the
 * timeline. On load the state equals the scene Python computed (a browser test checks).
 */
(function (PM) {
  "use strict";
  var R = PM.rules, dom = PM.dom;

  function PartnerMap(map, data) {
    this.map = map;
    this.data = data;
    this.style = data.style;
    this.words = data.words;
    R.configure(data.rules);
    var t = data.ties, n = t.id.length, self = this;
    this.n = n;
    var i;
    // Ties of each partner (by id), in file order.
    this.byPartner = {};
    data.partnerIds.forEach(function (id) { self.byPartner[id] = []; });
    for (i = 0; i < n; i++) this.byPartner[data.partnerIds[t.partner[i]]].push(i);
    this.partnerById = {};
    data.partners.forEach(function (p) { self.partnerById[p.id] = p; });
    this.groupById = {};
    data.groups.forEach(function (g) { self.groupById[g.id] = g; });
    this.links = data.links.map(function (l) { return { rec: l, ties: l.ties }; });  // indices (payload.py)
    // What the viewer has chosen to see.
    this.shownTypes = {};
    this.shownStatuses = {};
    for (i = 0; i < n; i++) {
      this.shownTypes[t.type[i]] = true;
      for (var j = 0, steps = t.steps[i]; j < steps.length; j++) this.shownStatuses[steps[j][1]] = true;
    }
    this.shownCategories = {};
    data.rules.categoryOrder.forEach(function (c) { self.shownCategories[c] = true; });
    this.day = data.meta.lastDay;
    this.status = new Array(n);
    this.shown = new Array(n);
    this.facts = new Array(n);
    this.changes = !!data.meta.changesSince;
    this.setFocus(data.meta.focus || []);
    // The ties' texts: here already, or on their way (decode.details, a big map).
    this.detailsLoaded = true;
    this.whenDetails = function (fn) { fn(); };
  }

  // What a story step is about: the rest is drawn muted (theme "unfocused").
  PartnerMap.prototype.setFocus = function (ids) {
    this.focus = {};
    this.focused = ids.length > 0;
    for (var i = 0; i < ids.length; i++) this.focus[ids[i]] = true;
  };

  PartnerMap.prototype.dim = function (id) {
    return this.focused && !this.focus[id] ? this.style.unfocused : 1;
  };

  PartnerMap.prototype.ui = function (key, values) {
    var text = this.words.ui[key];
    if (text === undefined) text = key;
    return values ? dom.fill(text, values) : text;
  };

  /* ---- state ------------------------------------------------------- */

  // A story step (story.js) narrows what is shown to its view's ties and marks its changes.
  PartnerMap.prototype.compute = function () {
    var t = this.data.ties, day = this.day, only = this.stepTies || null, marks = this.changeOverride || null;
    for (var i = 0; i < this.n; i++) {
      var status = R.statusAt(t.steps[i], day);
      this.status[i] = status;
      var change = marks ? (marks[i] || null) : t.change[i];
      var f = { category: t.category[i], type: t.type[i], friction: !!t.friction[i], status: status,
                change: change };
      this.facts[i] = f;
      this.shown[i] = (!only || !!only[i]) && !!this.shownCategories[f.category] &&
        R.isShown(f, this.shownTypes, this.shownStatuses);
    }
  };

  PartnerMap.prototype.shownTies = function (id, category) {
    var out = [], list = this.byPartner[id] || [], t = this.data.ties;
    for (var i = 0; i < list.length; i++) {
      var k = list[i];
      if (this.shown[k] && (!category || t.category[k] === category)) out.push(k);
    }
    return out;
  };

  PartnerMap.prototype.factsOf = function (indices) {
    var self = this;
    return indices.map(function (k) { return self.facts[k]; });
  };

  // The whole drawn state, as the scene describes it (tests compare it with Scene.to_dict()).
  PartnerMap.prototype.state = function () {
    var self = this, out = { partners: {}, links: [], groups: {}, legend: null, day: this.day };
    this.data.partners.forEach(function (p) {
      var facts = self.factsOf(self.shownTies(p.id));
      var prim = R.primary(facts, self.data.relationships[p.id]);
      out.partners[p.id] = { fill: prim ? prim.fill : null, friction: prim ? prim.friction : false,
                             tier: prim ? prim.tier : null, pending: prim ? prim.pending : false,
                             drawn: facts.length > 0, counts: R.tally(facts) };
    });
    this.links.forEach(function (l) {
      var facts = self.factsOf(l.ties.filter(function (k) { return self.shown[k]; }));
      out.links.push({ partner: l.rec.partner, category: l.rec.category, state: R.linkState(facts) });
    });
    this.data.groups.forEach(function (g) {
      var facts = self.factsOf(self.shownTies(g.id));
      var s = R.groupingState(g.kind, facts, self.style);
      s.counts = R.tally(facts);
      s.visible = s.drawn && self.groupVisible(g.id);
      out.groups[g.id] = s;
    });
    var fills = this.data.partners.map(function (p) {
      var s = out.partners[p.id];
      return s.drawn ? { fill: s.fill, friction: s.friction, tier: s.tier, pending: s.pending } : null;
    });
    var shownLinks = out.links.filter(function (l) { return l.state; })
      .map(function (l) { return [l.category, l.state]; });
    var grouped = [];
    this.data.groups.forEach(function (g) {
      var s = out.groups[g.id];
      if (g.kind === "group" && s.visible && s.category) grouped.push(s.category);
    });
    out.legend = R.legendKeys(fills, shownLinks, this.changes, grouped);
    out.legendRows = R.legendRows(out.legend, this.data.groups.map(function (g) {
      return [g.id, g.kind, out.groups[g.id].visible];
    }));
    return out;
  };

  PartnerMap.prototype.groupVisible = function (id) {
    var g = (this.groupings || []).filter(function (x) { return x.id === id; })[0];
    return !g || this.map.hasLayer(g.layer);
  };

  PartnerMap.prototype.maxCounts = function (st) {
    var out = {};
    st.links.forEach(function (l) {
      if (l.state) out[l.category] = Math.max(out[l.category] || 1, l.state.count);
    });
    return out;
  };

  /* ---- the refresh cycle ------------------------------------------- */

  PartnerMap.prototype.refresh = function () {
    this.compute();
    var st = this.state();
    this.current = st;
    var names = PM.layers.apply(this, st);
    PM.controls.update(this, st);
    // Names are placed again only when one came or went, or a panel may have changed size (its
    // legend rows, the table's count): measuring them costs a layout of the whole map.
    var panels = JSON.stringify(st.legend) + "|" + this.tableSummary.textContent;
    if (names || panels !== this.panelsDrawn) this.declutter();
    this.panelsDrawn = panels;
  };

  PartnerMap.prototype.setDay = function (day) {
    this.day = day;
    this.refresh();
  };

  PartnerMap.prototype.draw = function () {
    var map = this.map, st = this.style, self = this, box = map.getContainer(), web = st.web;
    box.style.background = st.water;
    box.classList.add("pm-theme");
    box.style.setProperty("--pm-font", web.font_px + "px");
    box.style.setProperty("--pm-label", web.label_px + "px");
    box.style.setProperty("--pm-legend", web.legend_px + "px");
    box.style.setProperty("--pm-text", st.text);
    box.style.setProperty("--pm-halo", st.halo);
    box.style.setProperty("--pm-panel", st.panel);
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", this.data.meta.title + ". " + this.data.meta.description);
    box.setAttribute("lang", this.data.meta.lang);
    [["pm-base", web.z_base], ["pm-tints", web.z_tints], ["pm-territory", web.z_territory],
     ["pm-groupings", web.z_groupings], ["pm-friction", web.z_friction], ["pm-links", web.z_links],
     ["pm-marks", web.z_marks], ["pm-labels", web.z_labels]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = p[1];
    });
    // a map drawn unseen has no width yet: laid out as on a screen (controls.fit narrows it later)
    this.narrow = box.clientWidth > 0 && box.clientWidth < web.narrow_px;
    box.classList.toggle("pm-narrow", this.narrow);
    PM.layers.build(this);
    PM.controls.build(this);
    this.refresh();
    this.fitView();
    map.on("zoomend", function () { self.declutter(); });
    map.on("resize", function () { if (self.fitPending) self.fitView(); PM.controls.fit(self); self.declutter(); });
    if (this.fitPending && typeof ResizeObserver !== "undefined") {
      // drawn unseen (see fitView): shown later without a window resize (a tab opened, a
      // notebook cell expanded), Leaflet is told the new size, and the resize above fits the view
      var watch = new ResizeObserver(function () {
        if (!box.clientWidth || !box.clientHeight) return;
        watch.disconnect();
        map.invalidateSize({ animate: false });
      });
      watch.observe(box);
    }
    PM.controls.fit(this);
    this.declutter();
    // Ready once the view has settled (no animation runs at load): a screenshot then is the map.
    box.setAttribute("data-pm-ready", "1");
    if (this.data.sources) box.setAttribute("data-pm-details", "1");
    PM.last = this;
    return this;
  };

  // The scene's extent (the same view the static figure shows), fitted at once, without animation.
  // On a phone too: the whole network stays in view, as a band across a tall screen if it must
  // (pinch to zoom). Zooming in to fill the height cut the United States out of Japan's map, and
  // a picture that drops the main ally tells the wrong story (docs/scene.md, "Phone").
  PartnerMap.prototype.fitView = function () {
    var map = this.map, e = this.data.view.extent, web = this.style.web, size = map.getSize();
    var bounds = L.latLngBounds([[e[2], e[0]], [e[3], e[1]]]);
    // A map drawn where it cannot be seen (display none: a closed tab) has no size, and fitting
    // it gives an infinite zoom that breaks the map once shown. It waits at the extent's centre
    // until it has a size (the resize handler in draw), then fits. (Leaflet's cached size, as
    // fitBounds reads it: reading the box here would lay out the freshly drawn map once more.)
    this.fitPending = !size.x || !size.y;
    if (this.fitPending) {
      map.setView(bounds.getCenter(), map.getMinZoom(), { animate: false });
      return;
    }
    map.fitBounds(bounds, { padding: [web.fit_padding, web.fit_padding], animate: false });
  };

  // Names, most important first (data-priority: the focal country, partners by rank, then
  // organisations and groups): each goes where it was placed, or a line above or below, or a
  // little aside — whichever first overlaps no name kept and no open panel — moved inward whole
  // at the map's edge; a name with no free spot is hidden (a grouping stays named in the legend).
  // Reads first, then writes, so the browser lays the page out once: every label is measured
  // where it stands, less the shift this function gave it last time (span.pmShift), and only
  // labels whose shift or visibility changes are written. Measuring in the loop made each read
  // force a layout after the previous label's write (60 ms for 250 labels); putting every label
  // back before measuring still cost a second layout (~10 ms of a 10,000-tie toggle).
  PartnerMap.prototype.declutter = function () {
    PM.layers.placeLabels(this);  // a name added since (a grouping switched on) is placed first
    var shifts = this.style.labelShifts;  // theme.LABEL_SHIFTS: widths and lines, up positive
    var box = this.map.getContainer();
    var labels = Array.prototype.slice.call(box.querySelectorAll(".pm-label"));
    var rows = labels.map(function (l) {
      var span = l.firstChild && l.firstChild.getAttribute ? l.firstChild : null;
      var off = span && span.getAttribute("data-off") === "1";
      var pr = span ? +(span.getAttribute("data-priority") || 0) : 0;
      return { el: l, span: span, priority: off ? -1 : pr, off: off, dx: 0, dy: 0, show: false };
    });
    var frame = box.getBoundingClientRect();
    var kept = Array.prototype.slice.call(box.querySelectorAll(".pm-panel, .leaflet-control-layers"))
      .map(function (n) { return n.getBoundingClientRect(); }).filter(function (r) { return r.width > 0; });
    rows.forEach(function (row) {
      if (!row.span || row.off) return;
      var r = row.span.getBoundingClientRect(), was = row.span.pmShift || [0, 0];
      row.rect = { left: r.left - was[0], right: r.right - was[0], top: r.top - was[1], bottom: r.bottom - was[1],
                   width: r.width, height: r.height };
    });
    rows.sort(function (a, b) { return b.priority - a.priority; });
    function free(r) {
      return !kept.some(function (k) { return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top; });
    }
    rows.forEach(function (row) {
      if (row.off || !row.span) return;
      var r = row.rect, w = r.width, h = r.height;
      if (r.right < frame.left || r.left > frame.right || r.bottom < frame.top || r.top > frame.bottom) {
        row.show = true;  // off screen: nothing to collide with; shown when panned to
        return;
      }
      var ix = Math.max(0, frame.left + 2 - r.left) - Math.max(0, r.right - (frame.right - 2));
      var iy = Math.max(0, frame.top + 2 - r.top) - Math.max(0, r.bottom - (frame.bottom - 2));
      for (var i = 0; i < shifts.length; i++) {
        var dx = ix + shifts[i][0] * w, dy = iy - shifts[i][1] * h;
        var c = { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy };
        if (c.left < frame.left || c.right > frame.right || !free(c)) continue;
        row.dx = dx; row.dy = dy; row.show = true;
        kept.push(c);
        return;
      }
    });
    rows.forEach(function (row) {
      var visibility = row.show ? "" : "hidden";
      if (row.el.style.visibility !== visibility) row.el.style.visibility = visibility;
      if (!row.show || !row.span) return;  // a hidden name keeps its shift: it is measured less it
      var dx = Math.round(row.dx), dy = Math.round(row.dy), was = row.span.pmShift || [0, 0];
      if (dx === was[0] && dy === was[1]) return;
      row.span.style.position = "relative";
      row.span.style.left = dx ? dx + "px" : "";
      row.span.style.top = dy ? dy + "px" : "";
      row.span.pmShift = [dx, dy];
    });
  };

  PM.draw = function (map, data) { return new PartnerMap(map, data).draw(); };
  PM.PartnerMap = PartnerMap;
  PM.escapeHtml = dom.escapeHtml;
})(window.partnermap = window.partnermap || {});
