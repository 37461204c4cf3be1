# read-only connections get the "xvirsh >" prompt; connect switches.
-r -c test:///default
--- stdin
suspend test
connect
suspend test
connect --readonly
domstate test
