"""Reasoning: grounding and solving, findings, derivations and explanations."""
