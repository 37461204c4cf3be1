name = "bad"
memory = 128
kernel = "/boot/vmlinuz"
vif = [ "mac=00:16:3e:zz:00:01,bridge=xenbr0" ]
