#include "api/train/object_graph.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/status_macros.h"

namespace duet::train {
namespace {

constexpr int kMaxDepth = 64;

class Walker {
 public:
  explicit Walker(const std::string& what) : what_(what) {}

  absl::Status Root(const GraphRoot& root) {
    RETURN_IF_ERROR(CheckName(root.name, "the checkpoint"));
    if (root.object) return Object(root.name, *root.object, 0);
    return AddVariable(root.name, root.variable);
  }

  ObjectGraph Take() { return std::move(graph_); }

 private:
  absl::Status Fail(const std::string& message) const {
    return absl::InvalidArgumentError(absl::StrCat("[", what_, "] ", message));
  }
  absl::Status CheckName(const std::string& name, const std::string& where) const {
    if (name.empty() || name.find('/') != std::string::npos)
      return Fail(absl::StrCat("object names must be non-empty and contain no '/': got '", name,
                               "' in ", where));
    return absl::OkStatus();
  }
  // A variable's local name may be a relative path: an optimizer's slots are "<slot>/<variable
  // name>" ("m/dense/kernel"), as TF's. Its segments must be non-empty.
  absl::Status CheckVariableName(const std::string& name, const std::string& where) const {
    if (name.empty() || name.front() == '/' || name.back() == '/' ||
        name.find("//") != std::string::npos)
      return Fail(
          absl::StrCat("variable names must be non-empty paths without empty segments: got '", name,
                       "' in ", where));
    return absl::OkStatus();
  }
  absl::Status AddVariable(const std::string& path, const Variable& v) {
    if (!v.defined()) return absl::OkStatus();  // not created yet
    if (!paths_.insert(path).second)
      return Fail(absl::StrCat("two variables have the path '", path, "'"));
    graph_.variables.emplace_back(path, v);
    return absl::OkStatus();
  }
  absl::Status Object(const std::string& path, Trackable& object, int depth) {
    if (depth > kMaxDepth)
      return Fail(absl::StrCat("objects nest deeper than ", kMaxDepth, " at '", path, "'"));
    if (on_path_.count(&object))
      return Fail(absl::StrCat("'", path, "' contains itself (a cycle of objects)"));
    graph_.objects[path] = &object;
    on_path_.insert(&object);
    for (const auto& [name, v] : object.tracked_variables()) {
      RETURN_IF_ERROR(CheckVariableName(name, "'" + path + "'"));
      RETURN_IF_ERROR(AddVariable(path + "/" + name, v));
    }
    for (const auto& [name, child] : object.tracked_children()) {
      RETURN_IF_ERROR(CheckName(name, "'" + path + "'"));
      if (child) RETURN_IF_ERROR(Object(path + "/" + name, *child, depth + 1));
    }
    on_path_.erase(&object);
    return absl::OkStatus();
  }

  std::string what_;
  ObjectGraph graph_;
  std::set<std::string> paths_;
  std::set<const Trackable*> on_path_;
};

// The deepest existing object on `path` and the rest of the path below it; null when none.
std::pair<Trackable*, std::string> DeepestObject(const ObjectGraph& graph,
                                                 const std::string& path) {
  for (size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0;
       slash = path.rfind('/', slash - 1)) {
    auto it = graph.objects.find(path.substr(0, slash));
    if (it != graph.objects.end()) return {it->second, path.substr(slash + 1)};
  }
  return {nullptr, ""};
}

}  // namespace

absl::StatusOr<ObjectGraph> WalkObjects(const std::vector<GraphRoot>& roots,
                                        const std::string& what) {
  Walker walker(what);
  for (const GraphRoot& root : roots) RETURN_IF_ERROR(walker.Root(root));
  return walker.Take();
}

absl::StatusOr<RestorePlan> PlanRestore(const ObjectGraph& graph, const NamedTensors& saved,
                                        const std::string& file) {
  std::map<std::string, const Variable*> by_path;
  for (const auto& [path, v] : graph.variables) by_path[path] = &v;
  RestorePlan plan;
  std::vector<std::string> problems;
  std::set<std::string> seen;
  for (const auto& [path, value] : saved) {
    seen.insert(path);
    auto it = by_path.find(path);
    if (it != by_path.end()) {
      const TensorSpec want(it->second->shape(), it->second->dtype());
      if (want == value.spec())
        plan.assign.emplace_back(*it->second, value);
      else
        problems.push_back(absl::StrCat("mismatched ", path, ": checkpoint ",
                                        value.spec().to_string(), ", variable ", want.to_string()));
      continue;
    }
    auto [object, rest] = DeepestObject(graph, path);
    if (object && object->accepts_deferred(rest))
      plan.defer[object][rest] = value;
    else
      problems.push_back(
          absl::StrCat("unexpected ", PrintableName(path), ": ", value.spec().to_string()));
  }
  for (const auto& [path, v] : graph.variables)
    if (!seen.count(path))
      problems.push_back(
          absl::StrCat("missing ", path, ": ", TensorSpec(v.shape(), v.dtype()).to_string()));
  if (!problems.empty())
    return absl::InvalidArgumentError(
        absl::StrCat("[Checkpoint.restore] '", file, "': ", problems.size(),
                     problems.size() == 1 ? " problem" : " problems", ", nothing was restored:\n  ",
                     absl::StrJoin(problems, "\n  ")));
  return plan;
}

void ApplyRestore(RestorePlan& plan) {
  for (auto& [variable, value] : plan.assign) variable.assign(value);
  for (auto& [object, values] : plan.defer) object->DeferRestore(std::move(values));
}

}  // namespace duet::train
