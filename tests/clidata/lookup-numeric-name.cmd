# A domain named "7": the ID lookup fails first, the name lookup finds it,
# and the failed ID lookup must not be reported later in the command.
-c test:///default 'define xml/numeric-name.xml; dominfo 7; domid 7; setmem 7 abc'
