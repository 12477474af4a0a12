# fuzz.cmake - how one libFuzzer target is built and tested.
#
# Each target compiles the sources it exercises itself, with coverage, so
# it needs nothing from the rest of the build and the gcc build is untouched.
# Two ctests per target (label fuzz):
#   fuzz.<name>.replay  every input of corpus/<name> and regressions/<name>, once
#   fuzz.<name>.short   a BOXCONFORM_FUZZ_SECONDS fuzz run from them (new
#                       inputs go to a scratch dir in the build tree)
# -g1: a crash's stack keeps its file:line (line tables), for less build time.
set(BC_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer -g1 -O1)
set(BOXCONFORM_FUZZ_SECONDS 20 CACHE STRING "seconds of each fuzz.<target>.short test")
# libFuzzer's -timeout is wall time, and ./run tests runs these at nice 19
# beside the release tests: a unit of 30 ms CPU may wait seconds for a core.
# Every input here takes well under 0.2 s of CPU; a hang or a quadratic
# blow-up (regressions/fuzz_scenario_load/eight-thousand-steps.json took
# 31 s before its fix) still ends the run.
set(BC_FUZZ_UNIT_TIMEOUT 30)

function(bc_fuzz_target name)
  cmake_parse_arguments(F "" "" "SOURCES;INCLUDES" ${ARGN})
  add_executable(${name} ${name}.c ${F_SOURCES})
  target_include_directories(${name} PRIVATE ${F_INCLUDES})
  target_compile_options(${name} PRIVATE ${BC_FUZZ_FLAGS})
  target_link_options(${name} PRIVATE ${BC_FUZZ_FLAGS})
  target_link_libraries(${name} PRIVATE PkgConfig::JANSSON PkgConfig::LWS PkgConfig::ARCHIVE
                        PkgConfig::CRYPTO m pthread)
  set(corpus ${BC_FUZZ_DIR}/corpus/${name})
  # A target nothing has crashed yet has no regressions/<name>/ in git (git
  # keeps no empty folder): pass only the folders that exist.
  set(inputs ${corpus})
  if(EXISTS ${BC_FUZZ_DIR}/regressions/${name})
    list(APPEND inputs ${BC_FUZZ_DIR}/regressions/${name})
  endif()
  set(work ${CMAKE_CURRENT_BINARY_DIR}/work/${name})
  file(MAKE_DIRECTORY ${work})
  add_test(NAME fuzz.${name}.replay
    COMMAND ${name} -runs=0 -timeout=${BC_FUZZ_UNIT_TIMEOUT} -artifact_prefix=${work}/ ${inputs}
    WORKING_DIRECTORY ${work})
  set_tests_properties(fuzz.${name}.replay PROPERTIES LABELS fuzz TIMEOUT 120)
  add_test(NAME fuzz.${name}.short
    COMMAND ${BC_FUZZ_DIR}/short-run.sh $<TARGET_FILE:${name}> ${BOXCONFORM_FUZZ_SECONDS}
            ${BC_FUZZ_UNIT_TIMEOUT} ${work} ${inputs}
    WORKING_DIRECTORY ${work})
  set_tests_properties(fuzz.${name}.short PROPERTIES LABELS fuzz
    TIMEOUT 180)
endfunction()
