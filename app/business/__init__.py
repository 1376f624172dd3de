"""The business profile and the workspace's settings."""
