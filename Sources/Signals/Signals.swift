// placeholder: the signal and image front ends are being written (issue 6)
