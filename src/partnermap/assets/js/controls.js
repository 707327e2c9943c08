/* partnermap controls: title, legend, live filters, timeline, table of ties, credit.
 *
 * The legend and the panel with the timeline, credit and table go in the corners the scene
 * chose (placement.py: free of the focal country, partners and their names). Panels are capped
 * at a share of the map's height and scroll (theme web sizes), and an open table never runs
 * under the legend beside it; on a narrow map (a phone) the legend starts folded and opening
 * one panel folds the others, so none covers another.
 */
(function (PM) {
  "use strict";
  var dom = PM.dom, el = dom.el;

  function dayOfYearEnd(year) { return Math.round(Date.UTC(year, 11, 31) / 864e5); }

  function titleBox(pm) {
    var meta = pm.data.meta, box = pm.titleEl = el("div", "pm-panel pm-title");
    box.appendChild(el("h1", null, meta.title));
    pm.subtitleEl = el("p", "pm-subtitle", meta.subtitle);
    if (!meta.subtitle) pm.subtitleEl.style.display = "none";
    box.appendChild(pm.subtitleEl);
    return box;
  }

  function fullscreenButton(pm) {
    var box = pm.map.getContainer();
    var button = el("a", "pm-fullscreen leaflet-bar-part");
    var icon = dom.svg("svg", { viewBox: "0 0 16 16", width: 16, height: 16 });
    icon.appendChild(dom.svg("path", { d: "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5", fill: "none",
                                       stroke: "currentColor", "stroke-width": 2 }));
    button.appendChild(icon);
    button.href = "#";
    button.setAttribute("role", "button");
    button.title = pm.ui("fullscreen");
    button.setAttribute("aria-label", pm.ui("fullscreen"));
    button.addEventListener("click", function (e) {
      e.preventDefault();
      if (document.fullscreenElement) document.exitFullscreen();
      else if (box.requestFullscreen) box.requestFullscreen().then(function () { pm.map.invalidateSize(); });
    });
    var bar = el("div", "leaflet-bar pm-fullscreen-bar");
    bar.appendChild(button);
    return bar;
  }

  // The live counterpart of --type and --status, grouped by category, with all/none per group.
  function filterBox(pm) {
    var w = pm.words, t = pm.data.ties, box = el("details", "pm-panel pm-filter");
    box.appendChild(el("summary", null, pm.ui("filter")));
    box.addEventListener("toggle", function () { exclusive(pm, box); });
    var body = el("div", "pm-scroll");
    box.appendChild(body);
    function group(title, values, shown, labels, key) {
      var fs = el("fieldset", "pm-filter-" + key);
      fs.appendChild(el("legend", null, title));
      var inputs = [];
      var bar = el("span", "pm-allnone");
      [["all", true], ["none", false]].forEach(function (pair) {
        var b = el("button", "pm-link-button", pm.ui(pair[0]));
        b.type = "button";
        b.addEventListener("click", function () {
          inputs.forEach(function (input) { input.checked = pair[1]; shown[input.value] = pair[1]; });
          pm.refresh();
        });
        bar.appendChild(b);
      });
      fs.appendChild(bar);
      values.forEach(function (value) {
        var lab = el("label", "pm-check"), input = el("input");
        input.type = "checkbox"; input.checked = true; input.value = value;
        input.setAttribute("data-" + key, value);
        input.addEventListener("change", function () { shown[value] = input.checked; pm.refresh(); });
        inputs.push(input);
        lab.appendChild(input);
        lab.appendChild(document.createTextNode(" " + (labels[value] || value)));
        fs.appendChild(lab);
      });
      return fs;
    }
    pm.data.rules.categoryOrder.forEach(function (cat) {
      var types = {};
      for (var i = 0; i < pm.n; i++) if (t.category[i] === cat) types[t.type[i]] = true;
      var values = Object.keys(types).sort(function (a, b) { return (w.type[a] || a).localeCompare(w.type[b] || b); });
      if (values.length) body.appendChild(group(w.category[cat], values, pm.shownTypes, w.type, "type"));
    });
    var order = Object.keys(w.status);
    var statuses = Object.keys(pm.shownStatuses).sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    body.appendChild(group(pm.ui("statuses"), statuses, pm.shownStatuses, w.status, "status"));
    return box;
  }

  function timelineBox(pm) {
    var meta = pm.data.meta, box = el("div", "pm-panel pm-timeline");
    var last = parseInt(meta.lastDayText.slice(0, 4), 10);
    var input = el("input");
    input.type = "range"; input.min = meta.firstYear; input.max = last; input.step = 1; input.value = last;
    input.setAttribute("aria-label", pm.ui("year"));
    var out = el("output", "pm-year", String(last));
    var button = el("button", "pm-play", pm.ui("play"));
    button.type = "button";
    function setYear(year) {
      input.value = year;
      out.textContent = String(year);
      pm.year = year >= last ? null : year;
      pm.setDay(year >= last ? meta.lastDay : dayOfYearEnd(year));
    }
    function stop() {
      if (pm.timer) clearInterval(pm.timer);
      pm.timer = null;
      button.textContent = pm.ui("play");
    }
    input.addEventListener("input", function () { stop(); setYear(parseInt(input.value, 10)); });
    button.addEventListener("click", function () {
      if (pm.timer) { stop(); return; }
      var year = parseInt(input.value, 10);
      if (year >= last) year = meta.firstYear - 1;
      button.textContent = pm.ui("pause");
      pm.timer = setInterval(function () {
        year += 1;
        setYear(year);
        if (year >= last) stop();
      }, pm.style.web.play_ms);
    });
    pm.setYear = setYear;
    box.appendChild(button);
    box.appendChild(input);
    box.appendChild(out);
    return box;
  }

  function tableBox(pm) {
    var details = el("details", "pm-panel pm-table");
    pm.tableSummary = el("summary");
    details.appendChild(pm.tableSummary);
    pm.descriptionEl = el("p", "pm-description", pm.data.meta.description);
    details.appendChild(pm.descriptionEl);
    var table = el("table"), head = el("tr");
    ["partner", "category", "type", "status", "dates", "title"].forEach(function (k) {
      head.appendChild(el("th", null, pm.ui(k)));
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    pm.tableBody = el("tbody");
    table.appendChild(pm.tableBody);
    details.appendChild(table);
    pm.tableMore = el("button", "pm-more");
    pm.tableMore.type = "button";
    pm.tableMore.style.display = "none";
    details.appendChild(pm.tableMore);
    pm.tableEl = details;
    details.addEventListener("toggle", function () {
      if (details.open) fillTable(pm);
      exclusive(pm, details);
      fit(pm);
      pm.declutter();
    });
    pm.tableMore.addEventListener("click", function () { fillTable(pm, pm.tableShown + pm.style.web.table_page); });
    return details;
  }

  function shownIndices(pm) {
    var out = [];
    pm.data.partnerIds.forEach(function (id) { Array.prototype.push.apply(out, pm.shownTies(id)); });
    return out;
  }

  // Rows are made only while the table is open, a page at a time.
  function fillTable(pm, upto) {
    var body = pm.tableBody, w = pm.words, t = pm.data.ties;
    if (!pm.detailsLoaded) {
      while (body.firstChild) body.removeChild(body.firstChild);
      var wait = el("tr");
      wait.appendChild(el("td", "pm-loading", pm.ui("loading")));
      body.appendChild(wait);
      pm.whenDetails(function () { if (pm.tableEl.open) fillTable(pm, upto); });
      return;
    }
    var rows = shownIndices(pm), stop = Math.min(rows.length, upto || pm.style.web.table_page);
    while (body.firstChild) body.removeChild(body.firstChild);
    for (var r = 0; r < stop; r++) {
      var i = rows[r], tr = el("tr");
      tr.setAttribute("data-tie", t.id[i]);
      if (pm.facts[i].change) tr.className = "pm-changed";
      var partner = pm.partnerById[pm.data.partnerIds[t.partner[i]]] || pm.groupById[pm.data.partnerIds[t.partner[i]]];
      var status = (w.status[pm.status[i]] || pm.status[i]) + (pm.facts[i].change ? " · " + pm.ui("change_" + pm.facts[i].change) : "");
      [partner ? partner.name : "", w.category[t.category[i]], w.type[t.type[i]] || t.type[i], status,
       PM.popup.stepsText(pm, i), t.title[i]].forEach(function (v) { tr.appendChild(el("td", null, v)); });
      body.appendChild(tr);
    }
    pm.tableShown = stop;
    pm.tableMore.style.display = stop < rows.length ? "" : "none";
    pm.tableMore.textContent = pm.ui("more", { n: rows.length - stop });
  }

  function legendBox(pm) {
    var box = el("details", "pm-panel pm-legend");
    if (!pm.narrow) box.open = true;
    box.addEventListener("toggle", function () { exclusive(pm, box); fit(pm); pm.declutter(); });
    box.appendChild(el("summary", null, pm.ui("legend")));
    pm.legendBody = el("div", "pm-legend-body pm-legend-" + pm.data.meta.legendLayout);
    box.setAttribute("aria-label", pm.ui("legend"));
    box.appendChild(pm.legendBody);
    pm.legendEl = box;
    return box;
  }

  function corner(name) { return name.replace("-", ""); }

  // On a phone, opening one panel (legend, table, filters) folds the others: none covers another.
  function exclusive(pm, opened) {
    if (!pm.narrow || !opened.open) return;
    [pm.legendEl, pm.tableEl, pm.filterEl].forEach(function (box) {
      if (box && box !== opened && box.open) box.open = false;
    });
  }

  function build(pm) {
    var map = pm.map, meta = pm.data.meta, C = dom.control;
    var legendCorner = corner(meta.legendCorner);
    var bottom = corner(meta.infoCorner || (legendCorner === "bottomleft" ? "bottom-right" : "bottom-left"));
    C("topleft", function () { return titleBox(pm); }).addTo(map);
    if (meta.controls) {
      var entries = [];
      for (var cat in pm.overlays) entries.push([pm.overlays[cat], pm.words.category[cat]]);
      pm.groupings.forEach(function (g) { entries.push([g.layer, g.rec.label]); });
      entries.push([pm.labelLayer, pm.ui("labels")]);
      // A list, not an object keyed by name: a group called "__proto__" must not replace an entry.
      pm.layerControl = L.control.layers(null, null, { collapsed: entries.length > 6 || pm.narrow,
                                                       position: "topright" });
      entries.forEach(function (e) { pm.layerControl.addOverlay(e[0], dom.escapeHtml(e[1])); });
      pm.layerControl.addTo(map);
      C("topleft", function () { return fullscreenButton(pm); }).addTo(map);
      C("topright", function () { pm.filterEl = filterBox(pm); return pm.filterEl; }).addTo(map);
    }
    if (meta.timeline) C(bottom, function () { return timelineBox(pm); }).addTo(map);
    C(bottom, function () {
      pm.creditEl = el("div", "pm-panel pm-credit", meta.credit);
      return pm.creditEl;
    }).addTo(map);
    C(legendCorner, function () { return legendBox(pm); }).addTo(map);
    var table = C(bottom, function () { return tableBox(pm); }).addTo(map);
    if (!meta.controls) table.getContainer().classList.add("pm-visually-hidden");  // still read by screen readers
  }

  // The rows rules.legendRows lists (the order of scene.legend_entries), from the catalog;
  // a grouping's sample takes its colour on the day shown (rules.groupingState).
  function legendRows(pm, st) {
    var catalog = pm.data.legendCatalog;
    return st.legendRows.map(function (keys) {
      return keys.filter(function (k) { return catalog[k]; }).map(function (k) {
        var entry = catalog[k];
        if (k.indexOf("grouping:") !== 0) return entry;
        var swatch = L.extend({}, entry.swatch, { color: st.groups[k.slice(9)].color });
        return L.extend({}, entry, { swatch: swatch });
      });
    });
  }

  // The label in the lines placement.wrap broke it into (as the figure draws it), one block per
  // line, each keeping the space it was broken at: the text is the label, exactly.
  function wrapped(label, lines) {
    var box = el("span", "pm-lines"), pos = 0, starts = [];
    (lines || []).forEach(function (line) {
      var at = label.indexOf(line, pos);
      if (at < 0 || starts.length === 0 && at !== label.search(/\S|$/)) at = -1;
      starts.push(at);
      pos = at < 0 ? pos : at + line.length;
    });
    if (!starts.length || starts.indexOf(-1) >= 0) starts = [0];
    starts.forEach(function (start, i) {
      var text = label.slice(i ? start : 0, i + 1 < starts.length ? starts[i + 1] : label.length);
      box.appendChild(el("span", "pm-line", text));
    });
    return box;
  }

  function legendRow(pm, r) {
    var row = el("div", r.swatch ? "pm-legend-row" : "pm-legend-note");
    row.setAttribute("data-legend", r.key);
    if (r.swatch) row.appendChild(dom.swatch(r.swatch, pm.style));
    row.appendChild(wrapped(r.label, r.lines));
    if (r.key.indexOf("grouping:") === 0) {  // a grouping's row opens its popup
      var g = pm.groupings.filter(function (x) { return "grouping:" + x.id === r.key; })[0];
      row.classList.add("pm-opener");
      row.setAttribute("role", "button");
      row.setAttribute("tabindex", "0");
      var go = function (e) { e.preventDefault(); PM.popup.open(pm, g.id, g.at); };
      row.addEventListener("click", go);
      row.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") go(e); });
    }
    return row;
  }

  function update(pm, st) {
    var meta = pm.data.meta, w = pm.words;
    // Legend: only what is drawn, each sample as drawn; groupings beside, below (a grid), or
    // beside the first part set in two columns ("wide": split as placement.wide_split does).
    var body = pm.legendBody, rows = legendRows(pm, st);
    if (meta.legendLayout === "wide") {
      var k = Math.ceil(rows[0].length / 2);
      rows = [rows[0].slice(0, k), rows[0].slice(k), rows[1]];
    }
    while (body.firstChild) body.removeChild(body.firstChild);
    var sideIndex = rows.length - 1;
    rows.forEach(function (column, i) {
      if (!column.length) return;
      var side = i === sideIndex;
      var col = el("div", "pm-legend-col" + (side ? " pm-legend-side" : ""));
      var grid = null;
      column.forEach(function (r) {
        if (side && !r.swatch) { col.appendChild(legendRow(pm, r)); grid = col.appendChild(el("div", "pm-legend-grid")); }
        else (grid || col).appendChild(legendRow(pm, r));
      });
      body.appendChild(col);
    });
    // Title line and credit follow the day shown.
    var dayText = pm.year ? String(pm.year) : meta.lastDayText;
    if (meta.autoSubtitle) {
      var parts = meta.viewPartsBase.slice();
      if (meta.timeline || pm.year) parts.splice(parts.length - (meta.changesSince ? 1 : 0), 0,
                                                  pm.ui("as_of_date", { date: dayText }));
      else parts = meta.viewParts.slice();
      pm.subtitleEl.textContent = parts.join(" · ");
      pm.subtitleEl.style.display = parts.length ? "" : "none";
    }
    pm.creditEl.textContent = [meta.creditTitle, pm.ui("as_of_date", { date: dayText }), meta.creditWhere,
                               "Natural Earth"].join(" · ");
    // Counts and the text alternative.
    var shown = shownIndices(pm), counts = PM.rules.tally(pm.factsOf(shown)), drawn = 0;
    pm.data.partnerIds.forEach(function (id) { if (pm.shownTies(id).length) drawn += 1; });
    var breakdown = Object.keys(counts).map(function (c) {
      return pm.ui("tally", { label: w.category[c], n: counts[c][0] });
    }).join(", ");
    var text = pm.ui("description", { focal: meta.focalName, ties: shown.length, partners: drawn,
                                      breakdown: breakdown });
    pm.descriptionEl.textContent = text;
    pm.map.getContainer().setAttribute("aria-label", meta.title + ". " + text);
    pm.tableSummary.textContent = pm.ui("table") + " (" + shown.length + ")";
    if (pm.tableEl.open) fillTable(pm, pm.tableShown);
  }

  // Panels never take more than a share of the map's height, so top and bottom corners never
  // overlap; an open table never runs under a legend in the other bottom corner.
  function fit(pm) {
    var web = pm.style.web, size = pm.map.getSize(), h = size.y;
    var cap = Math.max(web.panel_min_px, Math.round(h * web.panel_share)) + "px";
    pm.map.getContainer().querySelectorAll(".pm-filter .pm-scroll, .pm-table[open], .pm-table")
      .forEach(function (n) { n.style.maxHeight = cap; });
    // a legend in a bottom corner has the whole lower part of its side (the title is small)
    var bottom = pm.data.meta.legendCorner.indexOf("bottom") === 0;
    if (pm.legendEl) {
      pm.legendEl.style.maxHeight = Math.max(web.panel_min_px,
                                             Math.round(h * (bottom ? web.legend_share : web.panel_share))) + "px";
    }
    var narrow = size.x < web.narrow_px;
    pm.narrow = narrow;
    pm.map.getContainer().classList.toggle("pm-narrow", narrow);
    // the title never runs under the controls of the top-right corner (a phone, a long title)
    var right = pm.map.getContainer().querySelector(".leaflet-top.leaflet-right"), title = pm.titleEl;
    if (title) {
      var taken = 0;
      if (right) Array.prototype.forEach.call(right.children, function (n) {
        if (!n.classList.contains("pm-legend")) taken = Math.max(taken, n.getBoundingClientRect().width);
      });
      title.style.maxWidth = Math.max(web.panel_min_px, size.x - taken - 4 * web.gap_px) + "px";
    }
    if (pm.tableEl) {
      var room = size.x - 3 * web.gap_px;
      if (bottom && pm.legendEl && pm.legendEl.open && !narrow) room -= pm.legendEl.getBoundingClientRect().width;
      pm.tableEl.style.maxWidth = Math.max(web.panel_min_px, room) + "px";
    }
  }

  PM.controls = { build: build, update: update, fit: fit, dayOfYearEnd: dayOfYearEnd };
})(window.partnermap = window.partnermap || {});
