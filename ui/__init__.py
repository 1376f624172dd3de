"""Crisis Desk's Qt user interface: thin pages over the `app` core."""
