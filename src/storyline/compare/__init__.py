"""Compare: what the sources of one story agree on, contradict, state alone, and which headlines mislead."""
