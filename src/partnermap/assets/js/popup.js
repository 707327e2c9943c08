/* partnermap popup: tooltips and popups, from the current state (one counting rule: rules.tally).
 *
 * A popup lists a partner's ties shown, by category, with type, the status on the day shown,
 * dates, summary, parties, note and sources. Long lists come in pages (theme popup_page), so a
 * partner with 50,000 ties opens as fast as one with five.
 */
(function (PM) {
  "use strict";
  var R = PM.rules, dom = PM.dom, el = dom.el;

  function tallyLine(pm, category, row) {
    var label = pm.words.category[category] || category;
    return row[1] ? pm.ui("tally_ended", { label: label, n: row[0], ended: row[1] })
      : pm.ui("tally", { label: label, n: row[0] });
  }

  function nameOf(pm, id) {
    var p = pm.partnerById[id] || pm.groupById[id];
    return p ? p.name : id;
  }

  function tooltip(pm, id) {
    var box = el("div", "pm-tooltip");
    box.appendChild(el("strong", null, nameOf(pm, id)));
    var counts = R.tally(pm.factsOf(pm.shownTies(id)));
    Object.keys(counts).forEach(function (c) { box.appendChild(el("div", null, tallyLine(pm, c, counts[c]))); });
    return box;
  }

  // A tie's dates arrive flat, three items a step: status, date as written, day reached (payload.py).
  function stepsText(pm, i) {
    var d = pm.data.ties.dates[i], w = pm.words, out = [];
    for (var k = 0; k < d.length; k += 3) {
      if (d[k + 2] <= pm.day) out.push((w.status[d[k]] || d[k]) + " " + d[k + 1]);
    }
    return out.join("; ");
  }

  // A source arrives as [title, publisher, date, author, container, locator, url] (payload.py
  // _source_record), trailing nulls dropped.
  function citation(pm, s) {
    var item = el("li");
    var cite = [s[3], s[0], s[4], s[1], s[2]].filter(Boolean).join(", ");
    var url = dom.safeUrl(s[6]);
    if (url) {
      var a = el("a", null, cite);
      a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      item.appendChild(a);
    } else {
      item.appendChild(document.createTextNode(cite));
    }
    if (s[5]) item.appendChild(el("span", "pm-locator", " [" + s[5] + "]"));
    return item;
  }

  function tieItem(pm, i) {
    var t = pm.data.ties, w = pm.words;
    var li = el("li", "pm-tie" + (pm.facts[i].change ? " pm-changed" : ""));
    li.setAttribute("data-tie", t.id[i]);
    li.appendChild(el("div", "pm-tie-title", t.title[i]));
    var status = pm.status[i];
    var meta = (w.type[t.type[i]] || t.type[i]) + " · " + (w.status[status] || status);
    if (t.friction[i]) meta += " · " + pm.ui("friction");
    if (pm.facts[i].change) meta += " · " + pm.ui("change_" + pm.facts[i].change);
    li.appendChild(el("div", "pm-tie-meta", meta));
    li.appendChild(el("div", "pm-tie-dates", stepsText(pm, i)));
    li.appendChild(el("div", "pm-tie-summary", t.summary[i]));
    if (t.parties[i].length) li.appendChild(el("div", "pm-tie-parties", pm.ui("parties") + ": " + t.parties[i].join(", ")));
    if (t.note[i]) li.appendChild(el("div", "pm-tie-note", pm.ui("note") + ": " + t.note[i]));
    var refs = t.sources[i], list = el("ul", "pm-sources");
    refs.forEach(function (k) { list.appendChild(citation(pm, pm.data.sources[k])); });
    var details = el("details", "pm-sources-box");
    details.appendChild(el("summary", null, pm.ui("sources") + " (" + refs.length + ")"));
    details.appendChild(list);
    li.appendChild(details);
    return li;
  }

  // Items a page at a time, with a button for the next page: the DOM never holds thousands of ties.
  function paged(pm, list, indices) {
    var shown = 0;
    function more() {
      var stop = Math.min(indices.length, shown + pm.style.web.popup_page);
      for (; shown < stop; shown++) list.appendChild(tieItem(pm, indices[shown]));
      if (shown < indices.length) {
        var b = el("button", "pm-more", pm.ui("more", { n: indices.length - shown }));
        b.type = "button";
        b.addEventListener("click", function (e) { e.stopPropagation(); b.remove(); more(); });
        list.appendChild(b);
      }
    }
    more();
  }

  function content(pm, id) {
    var box = el("div", "pm-popup");
    box.appendChild(el("h3", null, nameOf(pm, id)));
    var g = pm.groupById[id];
    if (g && g.memberNames.length) {
      box.appendChild(el("p", "pm-members", pm.ui("members") + ": " + g.memberNames.join(", ")));
    }
    var any = false;
    pm.data.rules.categoryOrder.forEach(function (cat) {
      var ties = pm.shownTies(id, cat);
      if (!ties.length) return;
      any = true;
      var counts = R.tally(pm.factsOf(ties));
      var section = el("section", "pm-cat pm-cat-" + cat);
      var h = el("h4", null, tallyLine(pm, cat, counts[cat]));
      h.style.borderColor = pm.style.category[cat];
      section.appendChild(h);
      var list = el("ol", "pm-ties");
      paged(pm, list, ties);
      section.appendChild(list);
      box.appendChild(section);
    });
    if (!any) box.appendChild(el("p", null, pm.ui("nothing_shown")));
    return box;
  }

  // [topLeft, bottomRight] padding that keeps an opened popup clear of the open panels in their
  // corners and, when the map is tall enough for both, under the controls along its top (zoom,
  // title, fullscreen, layers): on a phone the popup spans the width, and panned up to the top it
  // ran under the fullscreen button, which hid its heading.
  function panelPadding(pm, popupHeight) {
    var gap = pm.style.web.gap_px, tl = [gap, gap], br = [gap, gap];
    var box = pm.map.getContainer(), map = box.getBoundingClientRect();
    var top = 0;
    Array.prototype.forEach.call(box.querySelectorAll(".leaflet-top .leaflet-control, .pm-title"), function (n) {
      var r = n.getBoundingClientRect();
      if (r.width && r.height < map.height / 2) top = Math.max(top, r.bottom - map.top);  // an open panel: too tall
    });
    if (top + gap + popupHeight + gap <= map.height) tl[1] = top + gap;
    if (pm.narrow) return [tl, br];
    [pm.legendEl, pm.tableEl].forEach(function (panel) {
      if (!panel || !panel.open) return;
      var r = panel.getBoundingClientRect();
      if (!r.width) return;
      var right = r.left + r.width / 2 > map.left + map.width / 2;
      if (right) br[0] = Math.max(br[0], map.right - r.left + gap);
      else tl[0] = Math.max(tl[0], r.right - map.left + gap);
    });
    return [tl, br];
  }

  // Opens the popup of partner or grouping `id` at `latlng`: never wider than the map (less a
  // margin each side), never taller than a share of it; the content scrolls (theme web sizes).
  function open(pm, id, latlng) {
    var size = pm.map.getSize(), web = pm.style.web;
    var width = Math.max(web.popup_floor_px, Math.min(web.popup_width, size.x - 2 * web.popup_margin));
    var height = Math.max(web.popup_floor_height, Math.min(web.popup_height, Math.round(size.y * web.popup_share)));
    var pad = panelPadding(pm, height + web.popup_chrome_px);
    var popup = L.popup({ maxWidth: width, minWidth: Math.min(web.popup_min_width, width), maxHeight: height,
                          autoPanPaddingTopLeft: pad[0], autoPanPaddingBottomRight: pad[1],
                          className: "pm-popup-box" });
    if (pm.detailsLoaded) {
      popup.setLatLng(latlng).setContent(content(pm, id)).openOn(pm.map);
    } else {  // a big map's texts are still inflating: say so, then show them where the reader looks
      popup.setLatLng(latlng).setContent(el("div", "pm-loading", pm.ui("loading"))).openOn(pm.map);
      pm.whenDetails(function () { if (pm.map.hasLayer(popup)) popup.setContent(content(pm, id)); });
    }
    return popup;
  }

  function bind(pm, layer, id) {
    layer.bindTooltip(function () { return tooltip(pm, id); }, { sticky: true });
    layer.on("click", function (e) {
      layer.closeTooltip();
      open(pm, id, e.latlng);
    });
  }

  PM.popup = { bind: bind, open: open, content: content, tooltip: tooltip, stepsText: stepsText };
})(window.partnermap = window.partnermap || {});
