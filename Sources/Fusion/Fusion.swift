// placeholder: the fusion model is being written (issue 6)
