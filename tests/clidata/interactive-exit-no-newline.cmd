-c test:///default
--- stdin
uri
exit