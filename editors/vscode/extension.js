// Starts `treaty lsp` (setting `treaty.command`) for rule files and for YAML files; the server
// answers for scenario files (under scenarios/, or with title:/events: at the top) and ignores other YAML.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("treaty").get("command", ["treaty", "lsp"]);
  const server = { command, args, options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath } };
  client = new LanguageClient("treaty", "Treaty engine", server, {
    documentSelector: [
      { scheme: "file", language: "treaty-rules" },
      { scheme: "file", language: "yaml" },
    ],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
