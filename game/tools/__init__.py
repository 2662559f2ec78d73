"""Writer and teacher tools: thin shells over the story and the engine."""
