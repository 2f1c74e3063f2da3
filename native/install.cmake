# What `cmake --install` puts under the prefix, and the release archive `cpack` makes of it:
#   lib/libarchive_bridge.a, include/abr/*.h,
#   lib/cmake/archive-bridge/ (config, version and targets files: find_package(archive-bridge) gives archive-bridge::abr)
# The archive is named after the JavaCPP platform the toolchain builds for, as the Java platform jars are.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ABR_PACKAGE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/archive-bridge")

set_target_properties(archive_bridge PROPERTIES EXPORT_NAME abr)
install(TARGETS archive_bridge EXPORT archive-bridge-targets
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
    INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/include/abr" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
    FILES_MATCHING PATTERN "*.h")
install(EXPORT archive-bridge-targets NAMESPACE archive-bridge:: DESTINATION "${ABR_PACKAGE_CMAKE_DIR}")

configure_package_config_file("${CMAKE_CURRENT_SOURCE_DIR}/cmake/archive-bridge-config.cmake.in"
    "${CMAKE_CURRENT_BINARY_DIR}/archive-bridge-config.cmake"
    INSTALL_DESTINATION "${ABR_PACKAGE_CMAKE_DIR}")
# 0.x releases promise nothing across minor versions: only the same major.minor is compatible.
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/archive-bridge-config-version.cmake"
    VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/archive-bridge-config.cmake"
    "${CMAKE_CURRENT_BINARY_DIR}/archive-bridge-config-version.cmake"
    DESTINATION "${ABR_PACKAGE_CMAKE_DIR}")

if (CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    set(ABR_PLATFORM "linux-arm64")
elseif (CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    set(ABR_PLATFORM "linux-x86_64")
else ()
    set(ABR_PLATFORM "linux-${CMAKE_SYSTEM_PROCESSOR}")
endif ()
set(CPACK_GENERATOR TGZ)
set(CPACK_PACKAGE_NAME "archive-bridge")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_FILE_NAME "archive-bridge-${PROJECT_VERSION}-${ABR_PLATFORM}")
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
include(CPack)
