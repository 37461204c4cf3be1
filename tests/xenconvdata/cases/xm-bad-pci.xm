name = "bad"
memory = 128
pci = [ "0000:01:1g.0" ]
