"""Readers and minimal-edit writers for the files of an SDD workspace (no I/O here)."""
