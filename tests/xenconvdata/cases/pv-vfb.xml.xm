name = "pv-vfb"
uuid = "4f77abd2-3019-58e8-3bab-6fbf2118f880"
maxmem = 512
memory = 256
maxvcpus = 4
vcpus = 2
cpus = "0-1"
localtime = 1
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "coredump-restart"
device_model_override = "/usr/lib/xen/bin/qemu-dm"
vfb = [ "type=vnc,vncunused=0,vncdisplay=7,vnclisten=127.0.0.1,vncpasswd=s3cr't,keymap=de" ]
vif = [ "mac=00:16:3e:1d:06:15,bridge=xenbr0,script=vif-bridge,vifname=net0,rate=1024KB/s", "mac=00:16:3e:1d:06:16,ip=10.0.0.5,script=vif-route" ]
kernel = "/boot/vmlinuz-xen"
ramdisk = "/boot/initrd-xen"
extra = "root=/dev/xvda1 ro quiet"
disk = [ "phy:/dev/vg0/pv-vfb,xvda,w", "tap:qcow:/var/lib/xen/data.qcow,xvdb,w!" ]
