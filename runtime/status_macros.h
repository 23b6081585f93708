// RETURN_IF_ERROR / ASSIGN_OR_RETURN: one-line Status plumbing for internals (DESIGN.md: a
// Status becomes duet::Error once, at the API boundary).
// Example:
//   RETURN_IF_ERROR(out.Write(header.data(), header.size()));
//   ASSIGN_OR_RETURN(Tensor t, ReadNpy(path));
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define DUET_STATUS_CONCAT_INNER_(a, b) a##b
#define DUET_STATUS_CONCAT_(a, b) DUET_STATUS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)             \
  do {                                    \
    ::absl::Status duet_status_ = (expr); \
    if (!duet_status_.ok()) [[unlikely]]  \
      return duet_status_;                \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  DUET_ASSIGN_OR_RETURN_IMPL_(DUET_STATUS_CONCAT_(duet_statusor_, __LINE__), lhs, expr)

#define DUET_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                \
  if (!statusor.ok()) [[unlikely]]                       \
    return statusor.status();                            \
  lhs = *std::move(statusor)
