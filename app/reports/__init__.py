"""Report content (plan binder, debrief) as HTML and Markdown, without Qt."""
