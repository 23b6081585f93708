# duet's CMake package (installed by ./dev install-lib): find_package(duet) gives duet::duet, the
# shared library libduet.so with the headers api/duet.h needs and C++20. Relocatable: paths are
# found from this file's location (PREFIX/lib/cmake/duet).
# The installed headers include Abseil's (absl::Status, StatusOr, InlinedVector, Span), so
# Abseil's own package (Debian: libabsl-dev) is a dependency; libduet.so's other dependencies
# (MLIR/LLVM 22, oneDNN, protobuf, ONNX, Highway, zlib, CUDA) are found through its RUNPATH.
# Example:
#   find_package(duet REQUIRED)
#   target_link_libraries(app PRIVATE duet::duet)
include(CMakeFindDependencyMacro)
find_dependency(absl CONFIG)

get_filename_component(_duet_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET duet::duet)
  add_library(duet::duet SHARED IMPORTED)
  set_target_properties(duet::duet PROPERTIES
    IMPORTED_LOCATION "${_duet_prefix}/lib/libduet.so"
    IMPORTED_SONAME "libduet.so"
    INTERFACE_INCLUDE_DIRECTORIES "${_duet_prefix}/include/duet;${_duet_prefix}/include"
    INTERFACE_COMPILE_FEATURES cxx_std_20
    INTERFACE_LINK_LIBRARIES
      "absl::status;absl::statusor;absl::strings;absl::inlined_vector;absl::span")
endif()
unset(_duet_prefix)
