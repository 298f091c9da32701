// The explorer's page: plain JavaScript, no framework, no build step. Every text from the server is
// put in with textContent (never as markup), so names from a scenario cannot become HTML.
const $ = (id) => document.getElementById(id);
const STATUSES = ["established", "alleged", "disputed", "denied"];
let state = { scenario: null, variant: "", statuses: {}, interpretations: {}, file: {}, previous: null };

async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = r.headers.get("content-type").includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw new Error(data.error + (data.hint ? " (" + data.hint + ")" : ""));
  return data;
}

function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function request(extra = {}) {
  return { scenario: state.scenario, variant: state.variant, statuses: state.statuses,
           interpretations: state.interpretations, ...extra };
}

async function loadScenarios() {
  const list = await (await fetch("/api/scenarios")).json();
  state.cases = Object.fromEntries(list.map((c) => [c.id, c]));
  await choose($("scenario").value, "");
}

async function choose(scenario, variant) {
  state = { ...state, scenario, variant, statuses: {}, interpretations: {}, previous: null };
  const v = $("variant");
  v.replaceChildren(el("option", "(the case as written)", { value: "" }));
  for (const name of state.cases[scenario].variants) v.append(el("option", name, { value: name }));
  v.value = variant;
  await refresh(true);
}

function conclusionLine(c) {
  const who = (id) => (state.names[id] || id);
  const towards = c.beneficiary || c.recipient;
  return `${c.kind}: ${who(c.bearer)} — ${c.action.replaceAll("_", " ")}${towards ? " → " + who(towards) : ""}`
    + ` (${c.basis.instrument} art. ${c.basis.article}) · ${c.status} · ${c.holds === "all" ? "every reading" : "some readings"}`;
}

async function refresh(fromFile = false) {
  let doc;
  try { doc = await post("/api/solve", request({ timeline: true })); } catch (e) { $("summary").replaceChildren(el("span", e.message, { class: "error" })); return; }
  state.names = doc.names || {};
  if (fromFile) state.file = Object.fromEntries(doc.facts.map((f) => [f.id, f.status]));
  renderFacts(doc);
  renderInterpretations(doc);
  renderConclusions(doc);
  $("summary").textContent = `${doc.conclusions.length} conclusions · ${doc.readings} readings`;
  $("timeline").innerHTML = doc.timeline;  // drawn by the engine from an autoescaped template, in the same answer
}

function renderFacts(doc) {
  const box = $("facts");
  box.replaceChildren();
  const shown = doc.facts.filter((f) => f.status !== "established" || state.statuses[f.id] || state.file[f.id] !== "established");
  for (const f of shown) {
    const row = el("div", null, { class: "fact" });
    const label = el("label", f.label, { for: "fact-" + f.id });
    const select = el("select", null, { id: "fact-" + f.id, "data-fact": f.id });
    for (const s of STATUSES) select.append(el("option", s, { value: s }));
    select.value = f.status;
    select.disabled = Boolean(f.together_with);
    if (f.together_with) label.title = "stands or falls with " + f.together_with;
    select.addEventListener("change", () => { state.statuses[f.id] = select.value; refresh(); });
    row.append(label, select);
    box.append(row);
  }
}

function renderInterpretations(doc) {
  const box = $("interpretations");
  box.replaceChildren();
  for (const i of doc.interpretations) {
    const row = el("div", null, { class: "interp" });
    const select = el("select", null, { id: "interp-" + i.id, "data-interpretation": i.id });
    select.append(el("option", "open (every position)", { value: "open" }));
    for (const p of i.positions) select.append(el("option", p.id, { value: p.id, title: p.statement || "" }));
    select.value = i.position || "open";
    select.addEventListener("change", () => { state.interpretations[i.id] = select.value; refresh(); });
    row.append(el("label", i.question, { for: "interp-" + i.id }), select);
    box.append(row);
  }
}

function renderConclusions(doc) {
  const before = state.previous || {};
  const now = Object.fromEntries(doc.conclusions.map((c) => [c.id, c]));
  const list = $("conclusions");
  list.replaceChildren();
  for (const c of doc.conclusions) {
    const was = before[c.id];
    const mark = !state.previous ? "" : !was ? "appeared" : (was.holds !== c.holds || was.status !== c.status) ? "changed" : "";
    const b = el("button", conclusionLine(c), { type: "button", "data-id": c.id, class: [c.holds, mark].join(" ").trim() });
    b.addEventListener("click", () => showWhy(c.id));
    const li = el("li");
    li.append(b);
    list.append(li);
  }
  if (state.previous) for (const [id, c] of Object.entries(before)) if (!now[id]) {
    const li = el("li", conclusionLine(c), { class: "vanished", "data-id": id });
    list.append(li);
  }
  state.previous = now;
}

function tree(node) {
  // a node of a why-tree: what holds (or fails), the rule that made it with its article's text one click
  // away, and for a fact its status and source
  const kids = node.children || [];
  let text = (node.holds === false ? "✗ " : "✓ ") + node.text;
  if (node.status) text += ` — ${node.status}${node.source ? ", source " + node.source : ""}`;
  const d = el("details", null, { class: "node " + node.kind });
  d.open = kids.length > 0;
  d.append(el("summary", text, { class: node.holds === false ? "no" : "ok" }));
  if (node.rule) {
    const r = node.rule;
    const art = el("details", null, { class: "article" });
    art.append(el("summary", `by rule ${r.id} "${r.title || ""}": ${r.instrument} article ${r.article}`
      + (r.version ? ` (${r.version} wording)` : "")));
    if (r.quote) art.append(el("blockquote", r.quote.text), el("p", `(${r.quote.language}, ${r.quote.label})`, { class: "hint" }));
    d.append(art);
  }
  if (node.source_cite) d.append(el("p", node.source_cite, { class: "hint" }));
  if (node.note) d.append(el("p", node.note, { class: "hint" }));
  for (const k of kids) d.append(tree(k));
  return d;
}

async function showWhy(id) {
  try {
    const e = await post("/api/why", request({ id }));
    $("why").replaceChildren(el("p", e.conclusion), tree(e.tree));
  } catch (err) { $("why").replaceChildren(el("p", err.message, { class: "error" })); }
}

$("whynot-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try {
    const w = await post("/api/why-not", request({ pattern: $("pattern").value }));
    const box = el("div");
    box.append(el("p", w.summary || w.pattern || ""));
    for (const c of w.candidates || []) {
      const d = el("details");
      d.open = true;
      d.append(el("summary", c.rule.id + " (" + c.rule.instrument + " art. " + c.rule.article + ")"));
      for (const f of [...(c.missing || []), ...(c.failing || [])]) d.append(el("div", f, { class: "no" }));
      box.append(d);
    }
    $("whynot").replaceChildren(box);
  } catch (err) { $("whynot").replaceChildren(el("p", err.message, { class: "error" })); }
});
$("scenario").addEventListener("change", () => choose($("scenario").value, ""));
$("variant").addEventListener("change", () => { state.variant = $("variant").value; state.statuses = {}; state.interpretations = {}; state.previous = null; refresh(true); });
$("reset").addEventListener("click", () => { state.statuses = {}; state.interpretations = {}; refresh(); });
$("large").addEventListener("change", () => document.body.classList.toggle("large", $("large").checked));
loadScenarios();
