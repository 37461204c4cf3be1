@mask ^(\S+ [a-z_]+) \d+$ => \1 <n>
@mask ^( (?:number of [a-z ]+|error count):\s+)\d+$ => \1<n>
-c test:///default 'domifstat test testnet0; domifstat test aa:bb:cc:dd:ee:ff'
