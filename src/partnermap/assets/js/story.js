/* partnermap story: a story told step by step over one map (render.build_story).
 *
 * Each step is a state of the map — the ties its view shows, the day, the changes marked,
 * the partners in focus — applied with the same rules as every toggle, then the map flies to
 * the step's extent. ←/→, space (shift+space back), PageUp/PageDown and the buttons step
 * through; the URL hash (#step-3) names the step, so a link opens it. Text arrives as the
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

  function citations(pm, parent, step, words) {
    if (!step.cite.length) return;
    parent.appendChild(el("h3", "pm-story-cited", words.cited));
    var list = parent.appendChild(el("ul", "pm-story-sources"));
    var t = pm.data.ties;
    step.cite.forEach(function (i) {
      var li = list.appendChild(el("li"));
      li.appendChild(el("strong", null, t.title[i]));
      t.sources[i].forEach(function (k) {
        var s = pm.data.sources[k];
        var cite = [s.author, s.title, s.container, s.publisher, s.date].filter(Boolean).join(", ");
        var url = dom.safeUrl(s.url);
        li.appendChild(document.createTextNode(" — "));
        if (url) {
          var a = li.appendChild(el("a", null, cite));
          a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
        } else {
          li.appendChild(document.createTextNode(cite));
        }
      });
    });
  }

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
    window.addEventListener("hashchange", function () { self.go(self.fromHash(), true); });
    pm.map.invalidateSize();
    this.go(this.fromHash(), true);
    document.body.setAttribute("data-pm-story", "ready");
  }

  Story.prototype.fromHash = function () {
    var m = /^#step-(\d+)$/.exec(window.location.hash || "");
    var n = m ? parseInt(m[1], 10) - 1 : 0;
    return Math.max(0, Math.min(this.story.steps.length - 1, n));
  };

  Story.prototype.go = function (i, fromHash) {
    var steps = this.story.steps;
    if (i < 0 || i >= steps.length || i === this.index) return;
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
    var e = step.extent;
    pm.map.flyToBounds([[e[2], e[0]], [e[3], e[1]]], { padding: [16, 16], duration: 0.9 });
    // the panel
    var body = this.body;
    while (body.firstChild) body.removeChild(body.firstChild);
    body.appendChild(el("h2", "pm-story-headline", step.headline));
    blocks(body, step.blocks);
    citations(pm, body, step, words);
    body.scrollTop = 0;
    this.progressText.textContent = words.step + " " + (i + 1) + " " + words.of + " " + steps.length;
    this.progressFill.style.width = ((i + 1) / steps.length * 100) + "%";
    this.prev.disabled = i === 0;
    this.next.disabled = i === steps.length - 1;
    document.body.setAttribute("data-pm-step", String(i + 1));
    if (!fromHash && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#step-" + (i + 1));
    } else if (!fromHash) {
      window.location.hash = "step-" + (i + 1);
    }
  };

  // One page per step when printed: headline, the step's picture, its text and sources.
  Story.prototype.printPages = function () {
    var box = el("div", "pm-print"), pm = this.pm, words = this.story.words;
    box.setAttribute("aria-hidden", "true");
    var self = this;
    this.story.steps.forEach(function (step, i) {
      var page = box.appendChild(el("section", "pm-print-page"));
      page.appendChild(el("p", "pm-story-progress", self.story.title + " · " + words.step + " " + (i + 1) + " " +
                                                    words.of + " " + self.story.steps.length));
      page.appendChild(el("h2", null, step.headline));
      if (step.picture && /^data:image\/png;base64,[A-Za-z0-9+\/=]+$/.test(step.picture)) {
        var img = page.appendChild(el("img"));
        img.src = step.picture;
        img.alt = step.headline;
      }
      blocks(page, step.blocks);
      citations(pm, page, step, words);
    });
    document.body.appendChild(box);
  };

  PM.story = function (pm, story) { PM.lastStory = new Story(pm, story); return PM.lastStory; };
})(window.partnermap = window.partnermap || {});
