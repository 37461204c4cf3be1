@hostname
-c test:///default hostname
