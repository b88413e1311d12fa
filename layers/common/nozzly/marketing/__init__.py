"""Marketing: the store's automated email flows (on/off, delays, words) that the senders read."""
