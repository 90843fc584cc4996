"""The tracker: national framework, force strategy, responses and their updates."""
