# A session piped to the shell: prompt and echo like readline, state kept
# between commands, comments and ';' handled, errors do not end the shell.
-c test:///default
--- stdin
list
define xml/foo.xml
start foo ; list

# a comment line
domstate   foo   --reason
nosuchcommand
dominfo nosuch
help quit
destroy foo
list --all
