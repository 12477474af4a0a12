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
install(TARGETS boxconform RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS fakeserver refclient RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/boxconform)
# their tar modules, beside them (common/module.h)
install(TARGETS fakeserver-tar refclient-tar LIBRARY DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/boxconform)
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
# The shared libraries the programs link (libwebsockets17, libcurl4,
# libjansson4, libc6, ...) as dpkg-shlibdeps finds them, plus libfaketime,
# which is preloaded into clients, never linked.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libfaketime")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nodejs, npm")
set(CPACK_STRIP_FILES ON)
include(CPack)
