"""Shared by every model: data readers, run state, the training loop and CLI, metrics, export helpers."""
