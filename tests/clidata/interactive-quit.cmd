# quit ends the session; what follows is not run.  The exit status of an
# interactive session is 0 even when commands failed.
-c test:///default
--- stdin
suspend test
resume nosuch
quit
list
