// placeholder: the Rules module is being written (issue 5)
