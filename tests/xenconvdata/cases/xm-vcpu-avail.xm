# xm 3.x style: 4 vcpus, two of them online at boot
name = "vcpu-avail"
uuid = "c7a5fdb2-cdaf-9455-926a-d65c16db1812"
memory = 256
vcpus = 4
vcpu_avail = 0x5
bootloader = "/usr/bin/pygrub"
disk = [ "phy:/dev/vg/va,xvda,w" ]
