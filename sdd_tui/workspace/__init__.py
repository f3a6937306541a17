"""Everything that touches the disk: discovery, loading, safe reads and atomic writes."""
