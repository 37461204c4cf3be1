# Only node sets can be printed.  A malformed expression is an error here;
# virsh 9.0 prints libxml2's complaint but exits 0.
-c test:///default 'dumpxml test --xpath "count(//disk)"; dumpxml test --xpath "bad[["'
