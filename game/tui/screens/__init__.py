"""One module per screen the player sees."""
