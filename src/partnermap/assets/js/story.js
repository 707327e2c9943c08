/* partnermap story: a story told step by step over one map (render.build_story).
 *
 * Each step is a state of the map — the ties its view shows, the day, the changes marked,
 * the partners in focus — applied with the same rules as every toggle, then the map flies to
 * the step's extent. ←/→, space (shift+space back), PageUp/PageDown and the buttons step
 * through; the URL hash (#step-3, set on load too) names the step, so a link opens it. Text arrives as the
 * Markdown subset's tree (text.markdown_subset) and is built with textContent only.
 */
(function (PM) {
  "use strict";
  var dom = PM.dom, el = dom.el;

  function inline(parent, nodes) {
    nodes.forEach(function (n) {
      if (n.t !== undefined) parent.appendChild(document.createTextNode(n.t));
      else if (n.em) inline(parent.appendChild(el("em")), n.em);
      else if (n.strong) inline(parent.appendChild(el("strong")), n.strong);
      else if (n.a !== undefined) {
        var url = dom.safeUrl(n.a);
        var a = parent.appendChild(el(url ? "a" : "span"));
        if (url) { a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer"; }
        inline(a, n.c || []);
      }
    });
  }

  function blocks(parent, list) {
    list.forEach(function (b) {
      if (b.p) inline(parent.appendChild(el("p")), b.p);
      ["ul", "ol"].forEach(function (k) {
        if (!b[k]) return;
        var listEl = parent.appendChild(el(k));
        b[k].forEach(function (item) { inline(listEl.appendChild(el("li")), item); });
      });
    });
  }

  // The cited ties, each with its sources as short lines ("Publisher, date — short title") linked
  // to the source; on screen a <details> (closed on a phone, so the step buttons stay near).
  function citations(parent, step, words, open) {
    if (!step.citations.length) return;
    var n = 0;
    step.citations.forEach(function (c) { n += c[1].length; });
    var box = parent.appendChild(el(open === null ? "div" : "details", "pm-story-cited"));
    if (open !== null) {
      box.open = open;
      box.appendChild(el("summary", null, words.cited + " (" + n + ")"));
    } else {
      box.appendChild(el("h3", null, words.cited));
    }
    var list = box.appendChild(el("ul", "pm-story-sources"));
    step.citations.forEach(function (c) {
      var li = list.appendChild(el("li"));
      li.appendChild(el("strong", null, c[0]));
      var inner = li.appendChild(el("ul"));
      c[1].forEach(function (s) {
        var item = inner.appendChild(el("li"));
        var url = open === null ? null : dom.safeUrl(s[1]);
        if (url) {
          var a = item.appendChild(el("a", null, s[0]));
          a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
        } else {
          item.appendChild(document.createTextNode(s[0]));
        }
      });
    });
  }

  function phone() { return !!(window.matchMedia && window.matchMedia("(max-width: 700px)").matches); }

  function calm() { return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches); }

  function Story(pm, story) {
    this.pm = pm;
    this.story = story;
    this.index = -1;
    var self = this, words = story.words;
    var panel = this.panel = el("aside", "pm-story");
    panel.setAttribute("aria-live", "polite");
    var head = panel.appendChild(el("header", "pm-story-head"));
    head.appendChild(el("p", "pm-story-title", story.title));
    this.progressText = head.appendChild(el("p", "pm-story-progress"));
    var bar = head.appendChild(el("div", "pm-story-bar"));
    this.progressFill = bar.appendChild(el("div", "pm-story-bar-fill"));
    this.body = panel.appendChild(el("article", "pm-story-body"));
    var nav = panel.appendChild(el("nav", "pm-story-nav"));
    this.prev = nav.appendChild(el("button", "pm-story-prev", "← " + words.previous));
    this.next = nav.appendChild(el("button", "pm-story-next", words.next + " →"));
    this.prev.type = this.next.type = "button";
    this.prev.addEventListener("click", function () { self.go(self.index - 1); });
    this.next.addEventListener("click", function () { self.go(self.index + 1); });
    document.body.appendChild(panel);
    this.legendStyle = document.head.appendChild(el("style"));
    document.body.classList.add("pm-story-page");
    this.printPages();
    document.addEventListener("keydown", function (e) {
      var tag = (e.target && e.target.tagName) || "";
      if (/INPUT|SELECT|TEXTAREA|BUTTON/.test(tag) && e.key === " ") return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var forward = e.key === "ArrowRight" || e.key === "PageDown" || (e.key === " " && !e.shiftKey);
      var back = e.key === "ArrowLeft" || e.key === "PageUp" || (e.key === " " && e.shiftKey);
      if (!forward && !back) return;
      e.preventDefault();
      self.go(self.index + (forward ? 1 : -1));
    });
    window.addEventListener("hashchange", function () { self.go(self.fromHash()); });
    pm.map.invalidateSize();
    this.go(this.fromHash());
    document.body.setAttribute("data-pm-story", "ready");
  }

  Story.prototype.fromHash = function () {
    var m = /^#step-(\d+)$/.exec(window.location.hash || "");
    var n = m ? parseInt(m[1], 10) - 1 : 0;
    return Math.max(0, Math.min(this.story.steps.length - 1, n));
  };

  Story.prototype.go = function (i) {
    var steps = this.story.steps;
    if (i < 0 || i >= steps.length) return;
    if (i !== this.index) this.show(i);
    // the address names the step (a link opens it), replaced rather than pushed: no history spam
    var hash = "#step-" + (i + 1);
    if (window.location.hash !== hash) {
      if (window.history && window.history.replaceState) window.history.replaceState(null, "", hash);
      else window.location.hash = hash;
    }
  };

  Story.prototype.show = function (i) {
    var steps = this.story.steps;
    this.index = i;
    var step = steps[i], pm = this.pm, words = this.story.words;
    // the step's state of the map, then the same refresh every toggle uses
    pm.stepTies = {};
    step.ties.forEach(function (k) { pm.stepTies[k] = true; });
    pm.changeOverride = {};
    step.changes.forEach(function (c) { pm.changeOverride[c[0]] = c[1]; });
    pm.changes = !!step.changesSince;
    pm.data.legendCatalog = step.legendCatalog;
    pm.data.meta.viewParts = step.viewParts;
    pm.data.meta.lastDayText = step.dayText;
    pm.data.meta.subtitle = step.viewParts.join(" · ");
    pm.data.meta.autoSubtitle = true;
    pm.setFocus(step.focus);
    pm.year = null;
    pm.setDay(step.day);
    this.legendRows(step);
    this.focusNames();
    this.frame(step);
    // the panel
    var body = this.body;
    while (body.firstChild) body.removeChild(body.firstChild);
    body.appendChild(el("h2", "pm-story-headline", step.headline));
    blocks(body, step.blocks);
    citations(body, step, words, !phone());
    body.scrollTop = 0;
    this.progressText.textContent = words.step + " " + (i + 1) + " " + words.of + " " + steps.length;
    this.progressFill.style.width = ((i + 1) / steps.length * 100) + "%";
    this.prev.disabled = i === 0;
    this.next.disabled = i === steps.length - 1;
    document.body.setAttribute("data-pm-step", String(i + 1));
  };

  // The legend says what colours and lines mean; of the groupings (each named on the map) it keeps
  // only those the step is about. A style rule, so it holds however often the legend is rebuilt.
  Story.prototype.legendRows = function (step) {
    var pm = this.pm, kinds = {}, keep = [];
    step.focus.forEach(function (id) {
      var g = pm.groupById[id];
      if (g) { keep.push(id); kinds[g.kind] = true; }
    });
    var css = ".pm-story-page [data-legend^='grouping:'], .pm-story-page [data-legend^='note:'] { display: none; }\n";
    keep.forEach(function (id) {
      css += ".pm-story-page [data-legend=\"grouping:" + CSS.escape(id) + "\"] { display: flex; }\n";
    });
    Object.keys(kinds).forEach(function (k) {
      css += ".pm-story-page [data-legend=\"note:" + CSS.escape(k) + "\"] { display: block; }\n";
    });
    if (!keep.length) css += ".pm-story-page .pm-legend-col + .pm-legend-col { display: none; }\n";
    this.legendStyle.textContent = css;
  };

  // The names of the partners a step is about outrank the others' (never the focal country's) when
  // names would overlap: China stays named in a step about China.
  var FOCUS_BOOST = 500000;  // below labels.FOCAL_PRIORITY, above any other name
  Story.prototype.focusNames = function () {
    var pm = this.pm;
    Array.prototype.forEach.call(pm.map.getContainer().querySelectorAll("[data-partner][data-priority]"),
      function (span) {
        if (!span.hasAttribute("data-base-priority")) {
          span.setAttribute("data-base-priority", span.getAttribute("data-priority"));
        }
        var base = +span.getAttribute("data-base-priority");
        var focused = Object.prototype.hasOwnProperty.call(pm.focus, span.getAttribute("data-partner"));
        span.setAttribute("data-priority", String(focused ? base + FOCUS_BOOST : base));
      });
    pm.declutter();
  };

  // Fly to the step's extent. A step about some partners keeps them — and the focal country — clear of
  // the map's panels (title, legend, table and credit, buttons): of the frames padded on each panel's
  // side (sideways or vertically), the largest that leaves every focus box uncovered, else the one
  // that covers least (focusBoxes: lon/lat bounds of their main parts).
  var COVERED = 0.03;  // as framing.COVERED: more than a sliver of a part under a panel
  var CORNERS = [".leaflet-top.leaflet-left", ".leaflet-top.leaflet-right", ".leaflet-bottom.leaflet-left",
                 ".leaflet-bottom.leaflet-right"];
  Story.prototype.frame = function (step) {
    var map = this.pm.map, e = step.extent, pad = 16, self = this;
    var bounds = L.latLngBounds([[e[2], e[0]], [e[3], e[1]]]);
    var best = { tl: [pad, pad], br: [pad, pad] };
    if (step.focusBoxes.length) {
      var panels = CORNERS.map(function (c) { return self.panelBox(map.getContainer().querySelector(c)); })
        .filter(Boolean);
      var chosen = null;
      this.paddings(panels, pad).forEach(function (o) {
        var target = map._getBoundsCenterZoom(bounds, { paddingTopLeft: o.tl, paddingBottomRight: o.br });
        if (!isFinite(target.zoom) || !isFinite(target.center.lat) || !isFinite(target.center.lng)) return;
        var cost = self.covered(panels, step.focusBoxes, target);
        if (!chosen || cost < chosen.cost - 1e-9 || (Math.abs(cost - chosen.cost) <= 1e-9 && target.zoom > chosen.zoom)) {
          chosen = { cost: cost, zoom: target.zoom, tl: o.tl, br: o.br };
        }
      });
      best = chosen || best;
    }
    var how = { paddingTopLeft: best.tl, paddingBottomRight: best.br };
    if (calm()) map.fitBounds(bounds, how);
    else { how.duration = 0.9; map.flyToBounds(bounds, how); }
  };

  // A panel's box in the map's pixels, or null when it shows nothing.
  Story.prototype.panelBox = function (node) {
    if (!node || !node.offsetWidth || !node.offsetHeight) return null;
    var m = this.pm.map.getContainer().getBoundingClientRect(), r = node.getBoundingClientRect();
    return { left: r.left - m.left, top: r.top - m.top, right: r.right - m.left, bottom: r.bottom - m.top };
  };

  // Every combination of leaving each panel be, padding beside it or padding below (above) it, that
  // leaves the frame at least 40% of the map each way.
  Story.prototype.paddings = function (panels, pad) {
    var size = this.pm.map.getSize(), out = [{ tl: [pad, pad], br: [pad, pad] }];
    panels.forEach(function (p) {
      var left = p.left < size.x - p.right, top = p.top < size.y - p.bottom;
      var side = left ? { tl: [p.right + pad, 0] } : { br: [size.x - p.left + pad, 0] };
      var edge = top ? { tl: [0, p.bottom + pad] } : { br: [0, size.y - p.top + pad] };
      var grown = [];
      out.forEach(function (o) {
        [side, edge].forEach(function (w) {
          var tl = o.tl.slice(), br = o.br.slice();
          if (w.tl) { tl[0] = Math.max(tl[0], w.tl[0]); tl[1] = Math.max(tl[1], w.tl[1]); }
          if (w.br) { br[0] = Math.max(br[0], w.br[0]); br[1] = Math.max(br[1], w.br[1]); }
          if (tl[0] + br[0] <= size.x * 0.6 && tl[1] + br[1] <= size.y * 0.6) grown.push({ tl: tl, br: br });
        });
      });
      out = out.concat(grown);
    });
    return out;
  };

  // How much of the focus boxes the panels would cover, the map at ``target``: the summed shares
  // beyond a sliver (0: all clear).
  Story.prototype.covered = function (panels, boxes, target) {
    var map = this.pm.map, half = map.getSize().divideBy(2);
    var origin = map.project(target.center, target.zoom);
    var total = 0;
    boxes.forEach(function (b) {
      var a = map.project([b[3], b[0]], target.zoom).subtract(origin).add(half);
      var c = map.project([b[1], b[2]], target.zoom).subtract(origin).add(half);
      var x0 = Math.min(a.x, c.x), x1 = Math.max(a.x, c.x), y0 = Math.min(a.y, c.y), y1 = Math.max(a.y, c.y);
      var area = Math.max(1, (x1 - x0) * (y1 - y0));
      panels.forEach(function (p) {
        var w = Math.min(x1, p.right) - Math.max(x0, p.left), h = Math.min(y1, p.bottom) - Math.max(y0, p.top);
        if (w > 0 && h > 0 && w * h > COVERED * area) total += w * h / area;
      });
    });
    return total;
  };

  // One page per step when printed: the step's picture, its headline and text, the ties it cites,
  // then their sources once each, as short lines (story.css lays them out for portrait or landscape).
  Story.prototype.printPages = function () {
    var box = el("div", "pm-print"), words = this.story.words;
    box.setAttribute("aria-hidden", "true");
    var self = this;
    this.story.steps.forEach(function (step, i) {
      var page = box.appendChild(el("section", "pm-print-page"));
      var figure = page.appendChild(el("div", "pm-print-picture"));
      if (step.picture && /^data:image\/png;base64,[A-Za-z0-9+\/=]+$/.test(step.picture)) {
        var img = figure.appendChild(el("img"));
        img.src = step.picture;
        img.alt = step.headline;
      }
      var text = page.appendChild(el("div", "pm-print-text"));
      text.appendChild(el("p", "pm-story-progress", self.story.title + " · " + words.step + " " + (i + 1) + " " +
                                                    words.of + " " + self.story.steps.length));
      text.appendChild(el("h2", null, step.headline));
      blocks(text, step.blocks);
      if (!step.citations.length) return;
      var cited = text.appendChild(el("p", "pm-print-cited"));
      cited.appendChild(el("strong", null, words.cited + ": "));
      cited.appendChild(document.createTextNode(step.citations.map(function (c) { return c[0]; }).join(" · ")));
      var seen = {}, list = page.appendChild(el("ul", "pm-print-sources"));
      step.citations.forEach(function (c) {
        c[1].forEach(function (s) {
          if (seen[s[0]]) return;
          seen[s[0]] = true;
          list.appendChild(el("li", null, s[0]));
        });
      });
    });
    document.body.appendChild(box);
  };

  PM.story = function (pm, story) { PM.lastStory = new Story(pm, story); return PM.lastStory; };
})(window.partnermap = window.partnermap || {});
