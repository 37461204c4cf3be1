error 67 15: unsupported configuration: interface: network 'default' cannot be resolved to a bridge offline
