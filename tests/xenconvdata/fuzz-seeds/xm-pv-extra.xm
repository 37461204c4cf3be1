name = "pv"
uuid = "c7a5fdb2-cdaf-9455-926a-d65c16db1810"
memory = 128
kernel = "/boot/vmlinuz"
ramdisk = "/boot/initrd"
root = "/dev/xvda1 ro"
extra = "console=hvc0"
vfb = [ "type=sdl,display=:1,xauthority=/home/u/.Xauthority" ]
disk = [ "/dev/sdb,xvda,w" ]
