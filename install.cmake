# install.cmake - `cmake --install` and the DEB package (`cpack -G DEB`).
#
#   PREFIX/bin/boxconform
#   PREFIX/libexec/boxconform/{fakeserver,refclient}       what it runs
#   PREFIX/libexec/boxconform/{fakeserver,refclient}-tar.so  their tar code
#   PREFIX/share/boxconform/{scenarios,clients,adapters}   what it reads
#   PREFIX/share/doc/boxconform/                           README, docs
#
# boxconform finds the rest relative to its own executable (harness/layout.c),
# so any PREFIX works (docs/install.md).
set(bc_libexec_programs fakeserver refclient)
set(bc_modules fakeserver-tar refclient-tar)     # their tar code, beside them (common/module.h)
install(TARGETS boxconform RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${bc_libexec_programs} RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/boxconform)
install(TARGETS ${bc_modules} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/boxconform)
# Every target an installed copy holds, built by one name (tests/CMakeLists.txt).
add_custom_target(bc_installed)
add_dependencies(bc_installed boxconform ${bc_libexec_programs} ${bc_modules})
set(bc_data ${CMAKE_INSTALL_DATADIR}/boxconform)
install(DIRECTORY scenarios clients DESTINATION ${bc_data}
        FILES_MATCHING PATTERN "*.json" PATTERN "*.md")
# The adapters' sources, not their installed dependencies (node_modules is
# 110 MB of one platform's native code): docs/install.md says how to add them.
install(DIRECTORY adapters DESTINATION ${bc_data}
        PATTERN node_modules EXCLUDE)
install(FILES README.md BENCHMARKS.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME boxconform)
set(CPACK_PACKAGE_VENDOR "boxconform")
set(CPACK_PACKAGE_CONTACT "boxconform maintainers <boxconform@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "conformance and fault-injection suite for BoxLite exec-attach clients")
set(CPACK_PACKAGE_DESCRIPTION
    "boxconform runs any client of BoxLite's REST exec-attach protocol, through a small\n\
adapter, against a scriptable fake server with accelerated time, and judges every\n\
contract of the protocol from measured evidence.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # boxconform_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The packages of the shared libraries the programs and modules link, with
# the versions dpkg-shlibdeps gave on Debian 12, plus libfaketime, which is
# preloaded into clients, never linked. Kept by hand: CPack's shlibdeps
# path took 15.8 s of CPU (it runs `cmake -E env file` on each of the
# package's 331 files) against 0.3 s without (BENCHMARKS.md 7d).
# tests/install/install_deb.sh fails when a linked library's package is
# missing here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libfaketime, libarchive13 (>= 3.2.1), libc6 (>= 2.36), libcurl4 (>= 7.66.0), \
libjansson4 (>= 2.14), libssl3 (>= 3.0.0), libwebsockets17 (>= 4.1.0)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nodejs, npm")
set(CPACK_STRIP_FILES ON)
include(CPack)
