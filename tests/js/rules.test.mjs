// The map script's rules (src/partnermap/assets/js/rules.js) against the golden vectors that
// pytest also asserts for the Python reference (tests/test_rules.py). Run: node --test tests/js
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const root = new URL("../../", import.meta.url);
const read = (p) => readFileSync(fileURLToPath(new URL(p, root)), "utf8");

function load(files) {
  const context = { globalThis: {} };
  context.globalThis = context;
  vm.createContext(context);
  for (const f of files) vm.runInContext(read(`src/partnermap/assets/js/${f}`), context, { filename: f });
  return context.partnermap;
}

const PM = load(["decode.js", "rules.js"]);
const R = PM.rules;
const vectors = JSON.parse(read("tests/data/rules/vectors.json"));

function set(list) {
  if (list === null) return null;
  const o = {};
  for (const v of list) o[v] = true;
  return o;
}

// The twin of tests/rules_vectors.py evaluate().
function evaluate(c, style) {
  const types = set(c.shownTypes), statuses = set(c.shownStatuses);
  const facts = {}, shown = {}, inEffect = {};
  for (const t of c.ties) {
    const status = R.statusAt(t.steps, c.day);
    const f = { category: t.category, type: t.type, friction: !!t.friction, status, change: t.change };
    facts[t.id] = f;
    shown[t.id] = R.isShown(f, types, statuses);
    inEffect[t.id] = R.inEffect(f.type, f.status);
  }
  const partners = {}, fills = [];
  for (const [pid, rel] of Object.entries(c.relationships)) {
    const mine = c.ties.filter((t) => t.partner === pid && shown[t.id]).map((t) => facts[t.id]);
    const prim = R.primary(mine, rel);
    fills.push(prim);
    partners[pid] = { primary: prim, tally: R.tally(mine), fill: R.fillStyle(prim, style) };
  }
  const groupings = {}, rows = [], grouped = [];
  for (const g of c.groupings) {
    const mine = c.ties.filter((t) => t.partner === g.id && shown[t.id]).map((t) => facts[t.id]);
    const s = R.groupingState(g.kind, mine, style);
    groupings[g.id] = s;
    rows.push([g.id, g.kind, s.drawn && g.visible]);
    if (g.kind === "group" && s.drawn && g.visible && s.category) grouped.push(s.category);
  }
  const states = c.links.map((l) => [l.category, R.linkState(l.ties.filter((i) => shown[i]).map((i) => facts[i]))]);
  const max = {};
  for (const [cat, s] of states) if (s) max[cat] = Math.max(max[cat] || 1, s.count);
  const links = states.map(([cat, s]) => ({ state: s, style: s ? R.linkStyle(s, max[cat], cat, style, c.changes) : null }));
  const status = {};
  for (const [k, f] of Object.entries(facts)) status[k] = f.status;
  const legend = R.legendKeys(fills, states.filter(([, s]) => s), c.changes, grouped);
  return { status, shown, inEffect, partners, links, groupings, legend, legendRows: R.legendRows(legend, rows) };
}

// JSON has no undefined and Python's floats print to 17 digits: compare numbers closely, the rest exactly.
function close(actual, expected, path = "") {
  if (typeof expected === "number") {
    assert.ok(typeof actual === "number" && Math.abs(actual - expected) < 1e-9, `${path}: ${actual} != ${expected}`);
  } else if (expected === null || typeof expected !== "object") {
    assert.equal(actual === undefined ? null : actual, expected, path);
  } else if (Array.isArray(expected)) {
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((v, i) => close(actual[i], v, `${path}[${i}]`));
  } else {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const k of Object.keys(expected)) close(actual[k], expected[k], `${path}.${k}`);
  }
}

R.configure(vectors.tables);

for (const c of vectors.cases) {
  test(`rules: ${c.name}`, () => close(evaluate(c, vectors.style), c.expect, c.name));
}

test("statusAt takes the latest step reached, null before the first", () => {
  const steps = [[10, "signed"], [20, "in_force"], [30, "ended"]];
  assert.equal(R.statusAt(steps, 9), null);
  assert.equal(R.statusAt(steps, 10), "signed");
  assert.equal(R.statusAt(steps, 29), "in_force");
  assert.equal(R.statusAt(steps, 99), "ended");
});

for (const c of vectors.coordinates) {
  test(`decodeRing: ${c.name}`, () => {
    const plain = (v) => JSON.parse(JSON.stringify(v));  // arrays made in the vm's realm
    assert.deepEqual(plain(PM.decode.decodeRing(c.text, c.scale)), c.lonlat.map(([x, y]) => [y, x]));
  });
}

test("decodeLines and decodePolygons: a ring a string; a malformed one is refused", () => {
  const plain = (v) => JSON.parse(JSON.stringify(v));
  assert.deepEqual(plain(PM.decode.decodeLines({ e: ["AACCCC"] }, 100)), [[[0, 0], [0.01, 0.01], [0.02, 0.02]]]);
  assert.deepEqual(plain(PM.decode.decodePolygons({ e: [["AA", "CC"]] }, 100)), [[[[0, 0]], [[0.01, 0.01]]]]);
  for (const bad of ["g", "A", "A!", "A\u00c1", "gggggggAA"]) assert.throws(() => PM.decode.decodeRing(bad, 100), /not an encoded ring/);
});
