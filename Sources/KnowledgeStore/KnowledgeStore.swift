// placeholder: the knowledge store is being written (issue 2)
