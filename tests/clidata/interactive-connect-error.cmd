# A bad URI fails each command that needs the hypervisor, not the shell;
# connect can then fix it.
-c bogus:///nowhere
--- stdin
list
help uri
connect test:///default
uri
