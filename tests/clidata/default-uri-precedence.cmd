@env XENVIRT_DEFAULT_URI=test:///default
@env VIRSH_DEFAULT_CONNECT_URI=bogus:///second
@env LIBVIRT_DEFAULT_URI=bogus:///third
uri
