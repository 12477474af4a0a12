# Misbehaving adapters (crash, hang, ignored SIGTERM, 50 MB flood, bad lines,
# stderr only): included from tests/harness/CMakeLists.txt.
add_executable(test_misbehaving ${CMAKE_CURRENT_LIST_DIR}/test_misbehaving.c)
target_link_libraries(test_misbehaving PRIVATE bc_harness PkgConfig::CMOCKA)
target_compile_definitions(test_misbehaving PRIVATE
  MIS_DIR="${CMAKE_CURRENT_LIST_DIR}/adapters-misbehaving"
  FAKESERVER="$<TARGET_FILE:fakeserver>" FAKETIME_LIB="${FAKETIME_LIB}")
add_dependencies(test_misbehaving fakeserver)
add_test(NAME harness.misbehaving COMMAND test_misbehaving)
# TIMEOUT: the slow-* scenarios may take their deadline, 150 s real.
set_tests_properties(harness.misbehaving PROPERTIES LABELS unit TIMEOUT 600)
