"""Detection that explains itself: rolling windows against the learned hourly baseline with one
alarm and one all-clear per episode (`windows`), why it spiked (`explanation`), watch and reach
alerts (`live`), near-identical posts from many accounts (`clusters`), and "when could we have
known?" for the debrief (`hindsight`). The store's `detection` repository keeps the live state."""
