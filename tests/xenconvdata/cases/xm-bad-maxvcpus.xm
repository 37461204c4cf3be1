name = "bad"
memory = 256
vcpus = 4
maxvcpus = 2
bootloader = "/usr/bin/pygrub"
