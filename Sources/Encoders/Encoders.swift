// placeholder: the Encoders module is being written (issue 3)
