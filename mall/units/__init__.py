"""Budget units (预算单位): the tree by region and by supervising department; SOEs as children."""
