// placeholder: the Tensor module is being written (issue 3)
