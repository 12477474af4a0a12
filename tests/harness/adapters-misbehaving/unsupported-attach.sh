#!/bin/sh
# Cannot attach by id, and says so the way docs/adapter.md asks: an
# "unsupported" event, then exit 127. Any other action goes to the client $1
# (the reference client in the tests).
#   sh unsupported-attach.sh CLIENT [ARGS...]
case $BOXCONFORM_ACTION in
*'"action":"attach"'*)
    echo '{"event":"unsupported","reason":"no attach-by-id in this test client"}'
    exit 127 ;;
esac
exec "$@"
