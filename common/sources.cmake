# The shared pieces' sources: one list for bc_common and for fuzz/'s
# targets (which compile them with coverage), so a new file reaches both.
set(BC_COMMON_SOURCES
    clock.c contracts.c jbig.c jpos.c jfield.c pct.c scenario.c scenario_client.c
    scenario_load.c scenario_reply.c scenario_server.c scenario_script.c scenario_tar.c
    module.c)
