-q -c test:///default
--- stdin
list
domname 1
