/* partnermap rules: the JS twin of partnermap/rules.py (same names in camelCase, same inputs).
 *
 * Pure functions, no DOM, no Leaflet: tests/js/rules.test.mjs runs them in node against the
 * golden vectors in tests/data/rules/*.json that pytest also asserts for the Python reference.
 * The tables (tiers, treaty types...) and every number come from the payload (configure()).
 */
(function (PM) {
  "use strict";
  var T = null;  // tables: {categoryOrder, terminal, inEffect, treatyTypes, tier, tiers}

  function set(list) { var o = {}; for (var i = 0; i < list.length; i++) o[list[i]] = true; return o; }

  function configure(tables) {
    T = {
      categoryOrder: tables.categoryOrder.slice(),
      terminal: set(tables.terminal),
      inEffect: set(tables.inEffect),
      treatyTypes: set(tables.treatyTypes),
      tier: tables.tier,
      tiers: tables.tiers
    };
    return T;
  }

  function statusAt(steps, day) {
    var status = null;
    for (var i = 0; i < steps.length; i++) {
      if (steps[i][0] > day) break;
      status = steps[i][1];
    }
    return status;
  }

  function inEffect(type, status) {
    return !!T.inEffect[status] || (status === "signed" && !T.treatyTypes[type]);
  }

  function isLive(status) { return status !== null && status !== undefined && !T.terminal[status]; }

  // shownTypes / shownStatuses: objects used as sets, or null for "all".
  function isShown(fact, shownTypes, shownStatuses) {
    if (fact.status === null || fact.status === undefined) return false;
    if (shownTypes && !shownTypes[fact.type]) return false;
    return !shownStatuses || !!shownStatuses[fact.status];
  }

  function tally(facts) {
    var out = {}, ordered = {};
    facts.forEach(function (f) {
      var row = out[f.category] || (out[f.category] = [0, 0]);
      row[0] += 1;
      if (T.terminal[f.status]) row[1] += 1;
    });
    T.categoryOrder.forEach(function (c) { if (out[c]) ordered[c] = out[c]; });
    return ordered;
  }

  function linkState(facts) {
    if (!facts.length) return null;
    var live = facts.filter(function (f) { return isLive(f.status); });
    var coop = live.filter(function (f) { return !f.friction; });
    return {
      count: live.length || facts.length,
      ended: !live.length,
      pending: coop.length > 0 && !coop.some(function (f) { return inEffect(f.type, f.status); }),
      friction: facts.some(function (f) { return !!f.friction; }),
      cooperative: coop.length,
      changed: facts.some(function (f) { return !!f.change; })
    };
  }

  function tieRank(f) { return [T.tier[f.type], T.categoryOrder.indexOf(f.category)]; }

  function before(a, b) { return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]); }

  // The deepest cooperative tie in effect on the day; with none in effect, the deepest live one, pending.
  function primary(facts, relationship) {
    if (!facts.length) return null;
    var friction = facts.some(function (f) { return !!f.friction; });
    var coop = facts.filter(function (f) { return isLive(f.status) && !f.friction; });
    var effective = coop.filter(function (f) { return inEffect(f.type, f.status); });
    var best = null, bestRank = null;
    (effective.length ? effective : coop).forEach(function (f) {
      var r = tieRank(f);
      if (best === null || before(r, bestRank)) { best = f; bestRank = r; }
    });
    var tier = best ? T.tier[best.type] : null, pending = coop.length > 0 && !effective.length;
    if (relationship === "contested") return { fill: "contested", friction: friction, tier: tier, pending: pending };
    return { fill: best ? best.category : null, friction: friction, tier: tier, pending: pending };
  }

  function linkWidth(count, maxCount, wmin, wmax) {
    return wmin + (wmax - wmin) * Math.sqrt(count / Math.max(1, maxCount));
  }

  function linkStyle(state, maxCount, category, style, changes) {
    var weight = linkWidth(state.count, maxCount, style.weightMin, style.weightMax);
    var color, dash, overlay = null;
    if (state.ended) { color = style.ended; dash = style.dashPending; }
    else if (state.cooperative === 0 && state.friction) { color = style.friction; dash = style.dashFriction; }
    else {
      color = style.category[category];
      dash = state.pending ? style.dashPending : null;
      if (state.friction) {
        overlay = { color: style.friction, dash: style.dashFriction,
                    weight: Math.max(style.weightMin, weight * style.frictionMarkRatio) };
      }
    }
    var opacity = style.lineOpacity;
    if (changes) {
      if (state.changed) weight += style.highlight; else opacity = style.muted;
    }
    if (overlay) overlay.opacity = opacity;
    return { color: color, weight: weight, opacity: opacity, dash: dash, overlay: overlay };
  }

  function fillStyle(prim, style) {
    if (!prim) return null;
    var color, opacity, hatch = false;
    if (prim.fill === "contested") { color = style.contested; opacity = style.fillContested; hatch = true; }
    else if (prim.fill === null) { color = null; opacity = 0; }
    else if (prim.pending) { color = style.category[prim.fill]; opacity = style.fillMin; hatch = true; }
    else {
      var depth = 1 - (prim.tier || 0) / Math.max(1, T.tiers - 1);
      color = style.category[prim.fill];
      opacity = style.fillMin + (style.fillMax - style.fillMin) * depth;
    }
    return { color: color, opacity: opacity, friction: prim.friction, hatch: hatch };
  }

  function groupingState(kind, facts, style) {
    var prim = primary(facts, "partner");
    var category = prim && prim.fill && style.category[prim.fill] ? prim.fill : null;
    var color = kind === "organisation" ? style.organisation : (category ? style.category[category] : style.group);
    return { drawn: facts.length > 0, category: category, color: color, friction: prim ? prim.friction : false };
  }

  var LEGEND_ORDER = ["focal", "security", "economic", "diplomatic", "contested", "pending_fill", "in_effect",
                      "pending", "friction", "ended", "changed", "unchanged"];

  // fills: list of primary() results (or null); links: list of [category, linkState].
  function legendKeys(fills, links, changes, grouped) {
    var used = { focal: true }, drawn = false;
    (grouped || []).forEach(function (c) { used[c] = true; });
    fills.forEach(function (p) {
      if (!p) return;
      if (p.fill) used[p.fill] = true;
      if (p.pending && p.fill && p.fill !== "contested") used.pending_fill = true;
      if (p.friction) used.friction = true;
    });
    links.forEach(function (pair) {
      var category = pair[0], s = pair[1];
      drawn = true;
      if (s.ended) { used.ended = true; return; }
      if (s.cooperative) { used[category] = true; used[s.pending ? "pending" : "in_effect"] = true; }
      if (s.friction) used.friction = true;
      if (changes) used[s.changed ? "changed" : "unchanged"] = true;
    });
    var keys = LEGEND_ORDER.filter(function (k) { return used[k]; });
    if (drawn) keys.push("width");
    return keys;
  }

  // groupings: [[id, kind, shown], ...] in scene order. Returns [main, side] lists of row keys.
  function legendRows(keys, groupings) {
    var cats = keys.filter(function (k) { return T.categoryOrder.indexOf(k) >= 0; }), main = [], side = [];
    keys.forEach(function (k) {
      if (k !== "width") main.push(k);
      if (cats.length && k === cats[cats.length - 1]) main.push("fill_rule");
    });
    if (keys.indexOf("width") >= 0) main.push("width");
    ["organisation", "group"].forEach(function (kind) {
      var ids = groupings.filter(function (g) { return g[1] === kind && g[2]; });
      if (!ids.length) return;
      side.push("note:" + kind);
      ids.forEach(function (g) { side.push("grouping:" + g[0]); });
    });
    return [main, side];
  }

  PM.rules = {
    configure: configure, statusAt: statusAt, inEffect: inEffect, isLive: isLive, isShown: isShown,
    tally: tally, linkState: linkState, primary: primary, linkWidth: linkWidth, linkStyle: linkStyle,
    fillStyle: fillStyle, groupingState: groupingState, legendKeys: legendKeys, legendRows: legendRows,
    LEGEND_ORDER: LEGEND_ORDER
  };
})((function (root) { return root.partnermap || (root.partnermap = {}); })(typeof window !== "undefined" ? window : globalThis));
