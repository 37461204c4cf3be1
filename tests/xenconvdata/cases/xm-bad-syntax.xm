name = "bad"
memory = [ 128
