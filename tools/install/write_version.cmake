# Writes duetConfigVersion.cmake with CMake's own helper (run by install.sh in script mode).
# Example: cmake -DVERSION=0.1.0 -DOUT=PREFIX/lib/cmake/duet/duetConfigVersion.cmake -P write_version.cmake
include(CMakePackageConfigHelpers)
write_basic_package_version_file("${OUT}" VERSION "${VERSION}" COMPATIBILITY SameMinorVersion)
