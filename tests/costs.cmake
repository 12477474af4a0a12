# tests/costs.cmake - how long the long tests take, in seconds, so that
# ctest starts the longest first in a fresh clone too.
#
# ctest orders a -j run by each test's COST. It learns real durations into
# Testing/Temporary/CTestCostData.txt after a first run; a fresh clone (every
# CI run) has none, so every test costs 0 and they start in the order they
# were added: the ASan+UBSan stage of ./run tests then started its six 10-15 s
# tests last, and a run could end on one of them alone (BENCHMARKS.md 7i).
# Figures: a `./run tests` on 2 cores (2026-12-07), the unit and fault tests
# as the ASan+UBSan tree runs them, the others in the release tree. Only the
# order matters: a stale figure costs time, never a verdict.
set(BC_TEST_SECONDS
  # the release tree's tests (./run tests' release stage, -j5)
  harness.mutants 140          # the matrix, first: the others fill the machine around it
  install.deb 35               # a whole suite run: not the stage's last
  harness.mutants_doubtful 35
  harness.repeat 27
  python.testbuild_reconnect-rejected 18
  harness.gate_baseline 18
  python.testbuild_wire 13
  harness.run_again 11
  # the unit and fault tests (the ASan+UBSan stage, -j4)
  harness.misbehaving 15
  refclient_pump_rest 15
  harness.guard 13.5
  refclient_testbuild_wire 13.4
  reports_html_chromium 13
  harness.runner 12.8
  harness.actions 12.8
  fakeserver_stream 10.3
  harness.confine 10
  fakeserver_faults 8.5
  refclient_rest 7.1
  refclient_testbuild_reconnect-rejected 6.7
  common_scenario 4.8
  refclient_pump_ping 4.2
  fakeserver_surface 3.6
  refclient_actions 3.4
  fakeserver_flood 3.1)

# Sets COST on those of the tests above added in the calling directory: a
# test's properties can be set only there (CMake 3.25), so each tests/<part>/
# CMakeLists.txt ends with bc_test_costs().
function(bc_test_costs)
  set(table ${BC_TEST_SECONDS})
  while(table)
    list(POP_FRONT table name seconds)
    if(TEST ${name})
      set_tests_properties(${name} PROPERTIES COST ${seconds})
    endif()
  endwhile()
endfunction()

# Every name above must be a test of one of the dirs (tests/<part>/): a test
# renamed or removed would otherwise lose its place in silence.
function(bc_test_costs_check)
  set(known)
  foreach(dir ${ARGN})
    get_property(tests DIRECTORY ${dir} PROPERTY TESTS)
    list(APPEND known ${tests})
  endforeach()
  set(table ${BC_TEST_SECONDS})
  while(table)
    list(POP_FRONT table name seconds)
    if(NOT name IN_LIST known)
      message(FATAL_ERROR "tests/costs.cmake: BC_TEST_SECONDS names ${name}, "
                          "which no tests/<part>/CMakeLists.txt adds (expected a test's name)")
    endif()
  endwhile()
endfunction()
