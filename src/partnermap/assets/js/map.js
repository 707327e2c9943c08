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
    this.tieIndex = {};
    for (var i = 0; i < n; i++) this.tieIndex[t.id[i]] = i;
    // Ties of each partner (by id), in file order.
    this.byPartner = {};
    data.partnerIds.forEach(function (id) { self.byPartner[id] = []; });
    for (i = 0; i < n; i++) this.byPartner[data.partnerIds[t.partner[i]]].push(i);
    this.partnerById = {};
    data.partners.forEach(function (p) { self.partnerById[p.id] = p; });
    this.groupById = {};
    data.groups.forEach(function (g) { self.groupById[g.id] = g; });
    this.links = data.links.map(function (l) {
      return { rec: l, ties: l.ties.map(function (id) { return self.tieIndex[id]; }) };
    });
    // What the viewer has chosen to see.
    this.shownTypes = {};
    this.shownStatuses = {};
    for (i = 0; i < n; i++) {
      this.shownTypes[t.type[i]] = true;
      t.steps[i].forEach(function (s) { self.shownStatuses[s[1]] = true; });
    }
    this.shownCategories = {};
    data.rules.categoryOrder.forEach(function (c) { self.shownCategories[c] = true; });
    this.day = data.meta.lastDay;
    this.status = new Array(n);
    this.shown = new Array(n);
    this.facts = new Array(n);
    this.changes = !!data.meta.changesSince;
    this.setFocus(data.meta.focus || []);
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
                             tier: prim ? prim.tier : null, drawn: facts.length > 0, counts: R.tally(facts) };
    });
    this.links.forEach(function (l) {
      var facts = self.factsOf(l.ties.filter(function (k) { return self.shown[k]; }));
      out.links.push({ partner: l.rec.partner, category: l.rec.category, state: R.linkState(facts) });
    });
    this.data.groups.forEach(function (g) {
      var facts = self.factsOf(self.shownTies(g.id));
      var prim = R.primary(facts, "partner");
      out.groups[g.id] = { drawn: facts.length > 0, category: prim ? prim.fill : null,
                           friction: prim ? prim.friction : false, counts: R.tally(facts) };
    });
    var fills = this.data.partners.map(function (p) {
      var s = out.partners[p.id];
      return s.drawn ? { fill: s.fill, friction: s.friction, tier: s.tier } : null;
    });
    var shownLinks = out.links.filter(function (l) { return l.state; })
      .map(function (l) { return [l.category, l.state]; });
    var grouped = [];
    this.data.groups.forEach(function (g) {
      var s = out.groups[g.id];
      if (g.kind === "group" && s.drawn && s.category && self.groupVisible(g.id)) grouped.push(s.category);
    });
    out.legend = R.legendKeys(fills, shownLinks, this.changes, grouped);
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
    PM.layers.apply(this, st);
    PM.controls.update(this, st);
    this.declutter();
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
    [["pm-base", web.z_base], ["pm-territory", web.z_territory], ["pm-groupings", web.z_groupings],
     ["pm-links", web.z_links], ["pm-marks", web.z_marks], ["pm-labels", web.z_labels]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = p[1];
    });
    this.narrow = box.clientWidth < web.narrow_px;
    box.classList.toggle("pm-narrow", this.narrow);
    PM.layers.build(this);
    PM.controls.build(this);
    this.refresh();
    var e = this.data.view.extent;  // the scene's extent: the same view the static figure shows
    map.fitBounds([[e[2], e[0]], [e[3], e[1]]], { padding: [10, 10] });
    map.on("zoomend", function () { self.declutter(); });
    map.on("resize", function () { PM.controls.fit(self); self.declutter(); });
    PM.controls.fit(this);
    this.declutter();
    box.setAttribute("data-pm-ready", "1");
    PM.last = this;
    return this;
  };

  // Hide a name that would overlap a more important one (data-priority), so labels stay readable.
  PartnerMap.prototype.declutter = function () {
    var labels = Array.prototype.slice.call(this.map.getContainer().querySelectorAll(".pm-label"));
    var rows = labels.map(function (l) {
      l.style.visibility = "";
      var span = l.firstChild;
      var off = span && span.getAttribute && span.getAttribute("data-off") === "1";
      var pr = span && span.getAttribute ? +(span.getAttribute("data-priority") || 0) : 0;
      return { el: l, priority: off ? -1 : pr, off: off };
    });
    rows.sort(function (a, b) { return b.priority - a.priority; });
    var kept = [];
    rows.forEach(function (row) {
      if (row.off) { row.el.style.visibility = "hidden"; return; }
      var r = row.el.getBoundingClientRect();
      var hit = kept.some(function (k) {
        return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top;
      });
      if (hit) row.el.style.visibility = "hidden"; else kept.push(r);
    });
  };

  PM.draw = function (map, data) { return new PartnerMap(map, data).draw(); };
  PM.PartnerMap = PartnerMap;
  PM.escapeHtml = dom.escapeHtml;
})(window.partnermap = window.partnermap || {});
