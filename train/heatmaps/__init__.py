"""Distilled 68-landmark heatmap student (paper 003 §3.3): model, training, export."""
