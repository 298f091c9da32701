"""`treaty serve`: the classroom explorer, a local web application over the engine (issue 16)."""
