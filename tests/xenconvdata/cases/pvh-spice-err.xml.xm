error 67 15: unsupported configuration: xm cannot describe a PVH guest
