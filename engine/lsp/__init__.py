"""``treaty lsp``: a Language Server Protocol server for rule files and scenario files.

:mod:`.documents` analyses one open document (the same diagnostics as ``treaty lint`` and
``treaty check``) and keeps what hover, completion and the rest read; :mod:`.rule_features` and
:mod:`.scenario_features` answer those requests; :mod:`.server` wires them to pygls.
"""
