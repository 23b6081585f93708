// The object graph behind a Checkpoint: every variable by object path, and the plan that
// matches a checkpoint's entries to it (what to assign now, what to defer, what is wrong).
// Kept apart from the file I/O so restore can validate everything before changing anything.
// Example:
//   ASSIGN_OR_RETURN(ObjectGraph g, WalkObjects(roots));
//   ASSIGN_OR_RETURN(RestorePlan plan, PlanRestore(g, saved, path));
//   ApplyRestore(plan);
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "api/train/safetensors.h"
#include "api/train/trackable.h"
#include "eager/variable.h"

namespace duet::train {

// A named root: exactly one of object / variable is set.
struct GraphRoot {
  std::string name;
  Trackable* object = nullptr;
  Variable variable;
};

struct ObjectGraph {
  std::vector<std::pair<std::string, Variable>> variables;  // "model/dense/kernel" -> variable
  std::map<std::string, Trackable*> objects;                // "model/dense" -> object
};

// Walks the roots' tracked_children()/tracked_variables(). Errors on a cycle, on an empty or
// '/'-containing child name, on a variable name with an empty segment (variable names may be
// relative paths, like an optimizer's "m/dense/kernel") and on two variables with one path;
// `what` prefixes messages.
absl::StatusOr<ObjectGraph> WalkObjects(const std::vector<GraphRoot>& roots,
                                        const std::string& what);

struct RestorePlan {
  std::vector<std::pair<Variable, Tensor>> assign;
  std::map<Trackable*, std::map<std::string, Tensor>> defer;  // relative paths per object
};

// Matches every saved entry to a variable (same dtype and shape) or to a not-yet-built object.
// On any problem returns one InvalidArgument listing all of them, one per line:
//   missing <path>: <spec>                  (a variable the checkpoint lacks)
//   unexpected <path>: <spec>               (an entry nothing takes)
//   mismatched <path>: checkpoint <spec>, variable <spec>
absl::StatusOr<RestorePlan> PlanRestore(const ObjectGraph& graph, const NamedTensors& saved,
                                        const std::string& file);

void ApplyRestore(RestorePlan& plan);

}  // namespace duet::train
