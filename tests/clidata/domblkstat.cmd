@mask ^(\S+ [a-z_]+) \d+$ => \1 <n>
@mask ^( (?:number of [a-z ]+|error count):\s+)\d+$ => \1<n>
-c test:///default 'domblkstat test vda; domblkstat test --device vda --human; domblkstat test /guest/diskimage1'
