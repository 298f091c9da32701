"""The rule language: grammar, parse, AST, static checks, compile to ASP, load, cache."""
