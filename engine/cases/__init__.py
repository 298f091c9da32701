"""Cases: the scenario models, the YAML reader, the scenario's facts."""
