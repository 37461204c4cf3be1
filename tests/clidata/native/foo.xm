name = "foo"
uuid = "c7a5fdbd-cdaf-9455-926a-d65c16db1809"
memory = 256
vcpus = 2
kernel = "/boot/vmlinuz"
disk = [ "phy:/dev/vg/foo,xvda,w" ]
vif = [ "mac=00:16:3e:00:00:01,bridge=xenbr0" ]
