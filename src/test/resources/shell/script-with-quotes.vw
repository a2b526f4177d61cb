# a script: comments, blank lines and quoted arguments
rules

advise --facts 'src/test/resources/shell/kvm-no-hugepages.json' --format "json"   # trailing comment
