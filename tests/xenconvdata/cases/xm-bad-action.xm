name = "bad"
memory = 128
on_reboot = "coredump-destroy"
