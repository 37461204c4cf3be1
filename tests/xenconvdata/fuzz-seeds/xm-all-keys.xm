# every key libvirt's xm reader knew, HVM flavour
name = "xm-all"
uuid = "c7a5fdb2cdaf9455926ad65c16db1809"
builder = 'hvm'
kernel = "/usr/lib/xen/boot/hvmloader"
device_model = "/usr/lib/xen/bin/qemu-dm"
memory = "256"
maxmem = 512
vcpus = 2
maxvcpus = 4
cpus = "0-3,^2"
pae = 0
acpi = 1
apic = 0
hap = 0
viridian = 1
hpet = 1
localtime = 1
rtc_timeoffset = -7200
boot = "dcn"
on_poweroff = "preserve"
on_reboot = "rename-restart"
on_crash = "coredump-destroy"
disk = [ 'phy:/dev/vg/root,hda,w',
         'file:/iso/x.iso,hdc:cdrom,r',   # the installer
         'tap:qcow2:/img/data.qcow2,hdb,w!' ]
vif = [ "mac=00:16:3e:00:00:01,bridge=xenbr0,model=rtl8139,vifname=guest0,rate=10Mb/s@20ms",
        "mac=00:16:3e:00:00:02,ip=192.168.0.9,script=vif-nat,type=netfront" ]
pci = [ "01:00.0", "0000:02:1f.7" ]
vnc = 1
vncunused = 0
vncdisplay = 3
vnclisten = "0.0.0.0"
vncpasswd = "pw"
keymap = "fr"
sdl = 0
serial = [ "pty", "none", "file:/var/log/xen/serial2.log" ]
parallel = "udp:10.0.0.1:5555@:6666"
soundhw = "all"
usb = 1
usbdevice = "mouse"
