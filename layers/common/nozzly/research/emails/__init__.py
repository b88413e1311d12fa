"""Product research: emails (the owner's daily report)."""
