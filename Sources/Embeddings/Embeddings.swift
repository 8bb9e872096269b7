// placeholder: the Embeddings module is being written (issue 4)
