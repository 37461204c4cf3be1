name = "pv-bootloader"
uuid = "596a5d21-71f4-8fb2-e068-e2386a5c413e"
maxmem = 256
memory = 256
vcpus = 1
localtime = 0
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "destroy"
vfb = [ "type=sdl,display=:0.0,xauthority=/root/.Xauthority" ]
bootloader = "/usr/bin/pygrub"
bootargs = "--entry=2"
extra = "console=hvc0"
disk = [ "file:/iso/rescue.iso,xvdc:cdrom,r" ]
