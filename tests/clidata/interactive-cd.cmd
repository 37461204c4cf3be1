# cd changes where file names are resolved; pwd shows it.
-c test:///default
--- stdin
cd xml
define foo.xml
cd /nonexistent-directory
cd /
pwd
define foo.xml
