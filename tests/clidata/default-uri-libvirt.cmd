# virsh's variables are honoured when XENVIRT_DEFAULT_URI is not set
@env LIBVIRT_DEFAULT_URI=test:///default
'uri; list'
