"""Drills: rehearse a crisis on a quiet day, in a sealed copy of the workspace, scored against
the workspace's own plan.

- `scenario` reads and checks the scenario files (one documented, versioned TOML format),
  `writer` writes them back, and `replay` turns a past incident into one.
- `sandbox` copies the workspace with SQLite's backup API; nothing reaches the real one.
- `clock` is the drill clock: scenario time at 1×, 2×, 5× or 10×, paused at will; it is an
  ordinary `Clock`, so countdowns, the timeline and the alarm follow it.
- `runner` plays the injects when stepped and reports what happened as `DrillEvent`s;
  `autopilot` plays a reasonable owner for `drill run --auto`.
- `score` measures the drill: the debrief's metrics and each expectation met or missed.
- `repository` keeps the drills run, with their scores, beside the workspace (not in it).
"""
