"""Annotations of audio files: tiers of intervals, points and boxes, their edits, the field's
file formats, and the sidecar store that never loses a label. No Qt."""
