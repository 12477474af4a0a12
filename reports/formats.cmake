# The report formats (junit, tap, markdown, html), diff, merge and repro
# bundles, made from the results document of results.c. Included from
# reports/CMakeLists.txt, so bc_reports is defined already.
add_library(bc_report_formats STATIC
  ${CMAKE_CURRENT_LIST_DIR}/report.c ${CMAKE_CURRENT_LIST_DIR}/junit.c
  ${CMAKE_CURRENT_LIST_DIR}/tap.c ${CMAKE_CURRENT_LIST_DIR}/markdown.c
  ${CMAKE_CURRENT_LIST_DIR}/html.c ${CMAKE_CURRENT_LIST_DIR}/timeline.c
  ${CMAKE_CURRENT_LIST_DIR}/diff.c ${CMAKE_CURRENT_LIST_DIR}/merge.c
  ${CMAKE_CURRENT_LIST_DIR}/bundle.c)
target_include_directories(bc_report_formats PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(bc_report_formats PUBLIC bc_reports PkgConfig::JANSSON PkgConfig::LWS m)
