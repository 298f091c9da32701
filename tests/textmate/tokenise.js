// Tokenise files with VS Code's TextMate engine (vscode-textmate + vscode-oniguruma, as VS Code runs them).
// Usage: node tokenise.js GRAMMAR.json SCOPE FILE... ; prints JSON: for each file, its tokens by line
// ([start, end, "scope scope ..."]) and `open`, the rule-stack depth left at the end (1: every region closed).
"use strict";
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

async function main() {
  const [grammarPath, scope, ...files] = process.argv.slice(2);
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (name) =>
      name === scope ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar(scope);
  if (!grammar) throw new Error(`no grammar for ${scope}`);
  const out = {};
  for (const file of files) {
    let stack = vsctm.INITIAL;
    const lines = fs.readFileSync(file, "utf8").split(/\r\n|\r|\n/);
    const tokens = [];
    for (const line of lines) {
      const r = grammar.tokenizeLine(line, stack);
      tokens.push(r.tokens.map((t) => [t.startIndex, t.endIndex, t.scopes.join(" ")]));
      stack = r.ruleStack;
    }
    let depth = 0;
    for (let s = stack; s; s = s.parent) depth++;
    out[file] = { open: depth, tokens };
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1); });
