# Sourced by the tests whose script adapter keeps state in $tmp across runs:
# profile NAME writes $tmp/NAME.profile.json for the adapter $tmp/NAME.sh.
# Confined (as root) an adapter writes only its sandbox and what its
# profile's "writable" names (docs/adapter.md): here $tmp.
profile() {
    cat > "$tmp/$1.profile.json" <<JSON
{"name": "$1", "command": ["$tmp/$1.sh"], "faketime": true, "writable": ["$tmp"],
 "constants": {"first_frame": 10, "watchdog": 45, "probe_timeout": 5, "backoff_initial": 15,
               "backoff_max": 30, "budget": 270, "handshake": 30, "ping_interval": 15}}
JSON
}
